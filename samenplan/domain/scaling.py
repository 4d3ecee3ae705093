"""Scaling questions (*schaalvragen*), 0-10.

As the guideline has them (004 p. 46): 0 means nothing has been reached yet, 10 the
situation wished for. Per goal, every family member who can see it answers for
themself on three questions: *voortgang* (progress), *motivatie* and *vertrouwen*
(confidence) — the family's own motivation and confidence. Network and professionals
answer *voortgang* only (`questions_for`).
Solution-focused follow-ups invite them to say what is already there and what
one point higher would look like. Answers over time give a trend per
respondent; when a family member and a professional differ by 3 points or
more on the same question, that gap is made visible so it can be talked about.

Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Final

from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import Role, ScalingQuestion, Trend

__all__ = [
    "FAMILY_ROLES",
    "FOLLOW_UPS",
    "GAP_THRESHOLD",
    "PROFESSIONAL_ROLES",
    "QUESTIONS",
    "QUESTION_KEYS",
    "SCORE_MAX",
    "SCORE_MIN",
    "TRENDS",
    "Gap",
    "Question",
    "RespondentKey",
    "ScalingQuestion",
    "Trend",
    "follow_ups",
    "gaps",
    "questions_for",
    "trend",
    "validate_score",
]

SCORE_MIN: Final = 0
SCORE_MAX: Final = 10


@dataclass(frozen=True)
class Question:
    """One scaling question: its code (`ScalingQuestion`, which has the short label) and the
    question as asked."""

    key: ScalingQuestion
    text: str

    @property
    def label(self) -> str:
        return self.key.label


QUESTIONS: Mapping[ScalingQuestion, Question] = {
    q.key: q
    for q in (
        Question(
            key=ScalingQuestion.PROGRESS,
            text=_(
                "Hoe gaat het met dit doel? 0 is: er is nog niets bereikt. 10 is: het is zoals "
                "je het wilt."
            ),
        ),
        Question(
            key=ScalingQuestion.MOTIVATION,
            text=_(
                "Hoe graag wil je aan dit doel werken? 0 is helemaal niet, 10 is heel graag."
            ),
        ),
        Question(
            key=ScalingQuestion.CONFIDENCE,
            text=_(
                "Hoeveel vertrouwen heb je dat dit doel lukt? 0 is helemaal geen "
                "vertrouwen, 10 is ik weet zeker dat het lukt."
            ),
        ),
    )
}
QUESTION_KEYS: tuple[ScalingQuestion, ...] = tuple(QUESTIONS)

#: What network and professionals answer: how far the goal is, not the family's motivation
#: or confidence (those only the family can say of themselves).
OTHERS_ANSWER: tuple[ScalingQuestion, ...] = (ScalingQuestion.PROGRESS,)


def questions_for(role: str) -> tuple[ScalingQuestion, ...]:
    """The questions a participant in `role` answers: a family member all three, network and
    professionals *voortgang* only."""
    return QUESTION_KEYS if role == Role.FAMILY else OTHERS_ANSWER

#: The solution-focused follow-ups; ``{n}`` is the score given.
FOLLOW_UP_WHY_NOT_ZERO = _("Wat maakt dat het een {n} is en geen 0?")
FOLLOW_UP_ONE_HIGHER = _("Wat zou er anders zijn bij één punt hoger?")
FOLLOW_UPS: tuple[str, str] = (FOLLOW_UP_WHY_NOT_ZERO, FOLLOW_UP_ONE_HIGHER)


def validate_score(value: object) -> int:
    """`value` as an int from 0 to 10, or ValueError with a Dutch message.

    Accepts ints and strings of whole numbers (from a form); rejects bools,
    floats and anything else.
    """
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(_("Kies een heel getal van 0 tot en met 10.")) from None
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise ValueError(_("Kies een heel getal van 0 tot en met 10."))
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(_("Het cijfer moet tussen 0 en 10 liggen (0 en 10 mogen ook)."))
    return int(value)


def follow_ups(score: int) -> list[str]:
    """The follow-up questions that make sense after `score`.

    After a 0 there is nothing to explain yet, so only "one point higher";
    after a 10 there is no point higher, so only "what makes it a 10".
    """
    score = validate_score(score)
    questions: list[str] = []
    if score > SCORE_MIN:
        questions.append(FOLLOW_UP_WHY_NOT_ZERO.format(n=score))
    if score < SCORE_MAX:
        questions.append(FOLLOW_UP_ONE_HIGHER)
    return questions


TRENDS: tuple[Trend, ...] = tuple(Trend)


def trend(scores: Sequence[int]) -> Trend:
    """Trend of one respondent's answers to one question, oldest first.

    Compares the last answer with the one before: "omhoog", "omlaag" or
    "gelijk"; "nieuw" when there is no earlier answer.
    """
    if len(scores) < 2:
        return Trend.NEW
    previous, last = scores[-2], scores[-1]
    if last > previous:
        return Trend.UP
    if last < previous:
        return Trend.DOWN
    return Trend.SAME


#: Identifies a respondent, e.g. a participant id.
RespondentKey = Hashable

#: Participant roles on the family's side and on the professionals' side; other
#: roles (network) take no part in gaps.
FAMILY_ROLES: frozenset[Role] = frozenset({Role.FAMILY})
PROFESSIONAL_ROLES: frozenset[Role] = frozenset(role for role in Role if role.is_professional)

#: Family and professional differ "visibly" from this many points.
GAP_THRESHOLD: Final = 3


@dataclass(frozen=True)
class Gap:
    """A family respondent and a professional far apart on the same question."""

    family_respondent: RespondentKey
    family_score: int
    professional_respondent: RespondentKey
    professional_score: int

    @property
    def difference(self) -> int:
        """How many points apart (always positive)."""
        return abs(self.family_score - self.professional_score)

    @property
    def family_higher(self) -> bool:
        """Whether the family scored higher than the professional."""
        return self.family_score > self.professional_score


def gaps(latest: Mapping[RespondentKey, tuple[str, int]]) -> list[Gap]:
    """Every family/professional pair whose latest scores differ by 3 or more.

    `latest` maps each respondent to (role, latest score) for ONE goal and ONE
    question; a role is a participant role ("family", "professional", ...) as a
    str or a str enum. Network respondents are ignored. Largest difference first; ties
    keep the order of `latest` (family respondent, then professional).
    Raises ValueError for a score outside 0..10.
    """
    family: list[tuple[RespondentKey, int]] = []
    professionals: list[tuple[RespondentKey, int]] = []
    for key, (role, score) in latest.items():
        score = validate_score(score)
        if role in FAMILY_ROLES:
            family.append((key, score))
        elif role in PROFESSIONAL_ROLES:
            professionals.append((key, score))
    found = [
        Gap(f_key, f_score, p_key, p_score)
        for f_key, f_score in family
        for p_key, p_score in professionals
        if abs(f_score - p_score) >= GAP_THRESHOLD
    ]
    found.sort(key=lambda gap: -gap.difference)  # stable: ties keep their order
    return found
