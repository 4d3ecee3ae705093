"""Goals: life domains, statuses, the MAGIE and SMART checks, and the goal limit.

Pure: no Flask, no database. Services gather what the checks need about a goal
into a :class:`GoalFacts` and get back one :class:`Check` per letter, each with a
short Dutch (B1) hint saying what to add when the letter is still missing.

MAGIE (meetbaar, acceptabel, gecommuniceerd, inspirerend, engagerend) suits the
goal as the family words it; SMART (specifiek, meetbaar, acceptabel,
realistisch, tijdgebonden) suits the steps towards it. A MAGIE goal is made
SMART by its sub-goals (*tussendoelen*): see :func:`smart`.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from samenplan.domain.i18n import _
from samenplan.domain.selfreliance import FAMILY_DOMAIN_NAMES
from samenplan.domain.vocabulary import GoalStatus, LifeDomain, Role

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ENDING_STATUSES",
    "FINAL_STATUSES",
    "GOAL_LIMIT",
    "GOAL_LIMIT_LVB",
    "LIFE_DOMAINS",
    "LIFE_DOMAIN_CODES",
    "LIFE_DOMAIN_GROUPS",
    "LIFE_DOMAIN_LABELS",
    "Check",
    "GoalFacts",
    "can_transition",
    "may_end_outside_evaluation",
    "status_change_refusal",
    "fold_text",
    "goal_limit",
    "is_positively_phrased",
    "life_domain_choices",
    "life_domain_label",
    "life_domain_name",
    "limit_warning",
    "magie",
    "missing",
    "negations_in",
    "smart",
    "text_words",
]

# --------------------------------------------------------------------------
# Life domains (leefgebieden)
# --------------------------------------------------------------------------

def _group(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(LifeDomain.choices([d for d in LifeDomain if d.group == name]))


#: The 18 life domains (the vocabulary `LifeDomain`) in display order, as (code, Dutch label):
#: the 13 self-sufficiency domains, the 4 parenting domains, and Veiligheid.
LIFE_DOMAINS: tuple[tuple[str, str], ...] = tuple(LifeDomain.choices())
LIFE_DOMAIN_CODES: tuple[str, ...] = tuple(code for code, _label in LIFE_DOMAINS)
LIFE_DOMAIN_LABELS: Mapping[str, str] = dict(LIFE_DOMAINS)

#: The same domains in three groups, e.g. for <optgroup>s: (group label, domains).
LIFE_DOMAIN_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (_("Zelfredzaamheid"), _group("zrm")),
    (_("Opvoeding"), _group("opvoeding")),
    (_("Veiligheid"), _group("veiligheid")),
)


def life_domain_label(code: str) -> str:
    """The Dutch label of a life domain code; ValueError for an unknown code."""
    try:
        return LIFE_DOMAIN_LABELS[code]
    except KeyError:
        raise ValueError(f"unknown life domain {code!r}") from None


def life_domain_name(code: str, for_family: bool) -> str:
    """A life domain as this reader says it (marked for translation): the ZRM name for a
    professional, a plain name for a family or network reader ("Geld", not "Financiën";
    DESIGN §2 and §7). ValueError for an unknown code."""
    label = life_domain_label(code)
    return FAMILY_DOMAIN_NAMES.get(LifeDomain(code), label) if for_family else label


def life_domain_choices(for_family: bool) -> tuple[tuple[str, str], ...]:
    """The life domains to choose from, as this reader says them (see `life_domain_name`)."""
    return tuple((code, life_domain_name(code, for_family)) for code in LIFE_DOMAIN_CODES)


# --------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------

#: Which status may follow which (the statuses are `GoalStatus`). ``behaald`` and
#: ``gestopt`` are final: to work on a finished goal again, make a new goal.
ALLOWED_TRANSITIONS: Mapping[GoalStatus, frozenset[GoalStatus]] = {
    GoalStatus.DRAFT: frozenset({GoalStatus.ACTIVE, GoalStatus.STOPPED}),
    GoalStatus.ACTIVE: frozenset({GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.STOPPED}),
    GoalStatus.PAUSED: frozenset({GoalStatus.ACTIVE, GoalStatus.STOPPED}),
    GoalStatus.ACHIEVED: frozenset(),
    GoalStatus.STOPPED: frozenset(),
}
FINAL_STATUSES: frozenset[GoalStatus] = frozenset(
    status for status, nexts in ALLOWED_TRANSITIONS.items() if not nexts
)


def can_transition(old: str, new: str) -> bool:
    """Whether a goal may go from status `old` to status `new` (members or their codes).

    Staying in the same status is not a transition (False); unknown statuses
    give False.
    """
    return new in ALLOWED_TRANSITIONS.get(GoalStatus.parse(old), frozenset())


#: The statuses that end a goal. DESIGN §2: goals end by an evaluation decision (*afronden/
#: behaald*, *stoppen*); outside an evaluation only the casusregisseur ends one, with a reason.
ENDING_STATUSES: frozenset[GoalStatus] = frozenset({GoalStatus.ACHIEVED, GoalStatus.STOPPED})

_NO_SUCH_STEP = _("Deze stap kan niet. Een behaald of gestopt doel blijft zo; maak dan een nieuw doel.")
_NO_REASON = _("Schrijf op waarom de status verandert.")
_AT_EVALUATION = _(
    "Of een doel behaald is of stopt, besluiten jullie samen bij een evaluatie. Buiten een "
    "evaluatie kan alleen je vaste hulpverlener dat doen, met een reden."
)
#: The hint next to the status, for whoever may change it.
ENDING_HINT = _(
    "Behaald of gestopt besluiten jullie normaal samen bij een evaluatie. Doe je het nu? "
    "Schrijf dan op waarom."
)


def may_end_outside_evaluation(role: str) -> bool:
    """Whether a participant in `role` may mark a goal *behaald* or *gestopt* outside an
    evaluation: only the casusregisseur."""
    return role == Role.CASUSREGISSEUR


def status_change_refusal(
    old: str, new: str, reason: str, *, role: str, at_evaluation: bool = False
) -> str | None:
    """Why a goal may not go from `old` to `new` now (a Dutch sentence), or None when it may.

    Every change needs a reason; the step must be allowed (`can_transition`); and *behaald* /
    *gestopt* are decided at an evaluation (`at_evaluation`), or else by the casusregisseur.
    Staying in the same status is no change (None).
    """
    if GoalStatus.parse(new) == GoalStatus.parse(old):
        return None
    if not can_transition(old, new):
        return _NO_SUCH_STEP
    if not (reason or "").strip():
        return _NO_REASON
    if (GoalStatus.parse(new) in ENDING_STATUSES and not at_evaluation
            and not may_end_outside_evaluation(role)):
        return _AT_EVALUATION
    return None


# --------------------------------------------------------------------------
# MAGIE and SMART
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalFacts:
    """What the MAGIE and SMART checks need to know about one goal.

    The service computes the booleans from the database:

    - `has_gas_ladder`: GAS levels −1 and 0 are described;
    - `family_agreed`: at least one family member said *akkoord* and no family
      member said *niet akkoord*;
    - `family_seen`: at least one family member has seen or agreed to the goal;
    - `sub_goals_smart`: every sub-goal passes SMART on its own;
    - `owner_set`: the goal has an owner;
    - `realistic_confirmed`: the team marked the goal realistic, or at least one
      action has an owner.
    """

    title: str
    description: str = ""
    indicator: str = ""  # how we see progress, in words
    has_gas_ladder: bool = False
    start_date: date | None = None
    end_date: date | None = None
    family_agreed: bool = False
    family_seen: bool = False
    has_sub_goals: bool = False
    sub_goals_smart: bool = False
    owner_set: bool = False
    actions_count: int = 0
    realistic_confirmed: bool = False


@dataclass(frozen=True)
class Check:
    """One letter of MAGIE or SMART: met or not, and if not, what to add."""

    letter: str
    name: str
    ok: bool
    hint: str  # a short Dutch sentence; empty when ok


def missing(checks: Iterable[Check]) -> list[Check]:
    """The checks that are not met, in their order."""
    return [check for check in checks if not check.ok]


def fold_text(text: str) -> str:
    """Lower case without accents, for matching: "Één Financiën" -> "een financien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD = re.compile(r"\w+")


def text_words(text: str) -> list[str]:
    """The words of `text`, folded (see fold_text)."""
    return _WORD.findall(fold_text(text))


#: Words that make a goal say what should *not* happen (matched as whole words,
#: so "genieten" does not count as "niet").
NEGATION_WORDS: frozenset[str] = frozenset(
    {"niet", "geen", "nooit", "niets", "niks", "nergens", "niemand", "minder", "minderen"}
)
#: Phrases that make a goal about stopping something.
NEGATION_PHRASES: tuple[tuple[str, ...], ...] = (
    ("stoppen", "met"),
    ("stop", "met"),
    ("stopt", "met"),
    ("ophouden", "met"),
    ("houd", "op", "met"),
    ("houdt", "op", "met"),
)


def negations_in(text: str) -> list[str]:
    """The negations found in `text`, in order (a heuristic, see NEGATION_WORDS)."""
    words = text_words(text)
    found: list[str] = []
    for i, word in enumerate(words):
        if word in NEGATION_WORDS:
            found.append(word)
        for phrase in NEGATION_PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(" ".join(phrase))
    return found


def is_positively_phrased(text: str) -> bool:
    """Heuristic: `text` says what should happen, not what should stop.

    False when it contains a negation such as "niet", "geen", "nooit",
    "minder" or "stoppen met".
    """
    return not negations_in(text)


#: Words that alone do not make a goal specific ("Het gaat weer beter").
VAGUE_WORDS: frozenset[str] = frozenset(
    {
        # filler
        "de", "het", "een", "en", "of", "dat", "dit", "er", "is", "zijn", "wordt",
        "worden", "gaat", "gaan", "moet", "moeten", "wil", "willen", "kan", "kunnen",
        "we", "wij", "ik", "jij", "je", "hij", "zij", "ze", "ons", "onze", "mijn",
        "alles", "iedereen", "dingen", "weer", "gewoon", "echt", "heel", "veel",
        "meer", "wat", "beetje", "zo", "nu", "straks", "later", "met", "voor",
        "bij", "in", "op", "thuis", "huis", "samen",
        # vague wishes
        "goed", "beter", "fijn", "fijner", "leuk", "leuker", "prima", "oke", "ok",
        "rustig", "rustiger", "rust", "normaal", "lekker", "gelukkig", "blij",
        "tevreden", "sterk", "sterker", "positief", "stabiel", "stabieler",
    }
)
MIN_TITLE_WORDS = 3


def _title_is_specific(title: str) -> bool:
    words = text_words(title)
    return len(words) >= MIN_TITLE_WORDS and any(w not in VAGUE_WORDS for w in words)


def _is_measurable(goal: GoalFacts) -> bool:
    return bool(goal.indicator.strip()) or goal.has_gas_ladder


_NAME_MEETBAAR = _("Meetbaar")
_NAME_ACCEPTABEL = _("Acceptabel")
_NAME_GECOMMUNICEERD = _("Gecommuniceerd")
_NAME_INSPIREREND = _("Inspirerend")
_NAME_ENGAGEREND = _("Engagerend")
_NAME_SPECIFIEK = _("Specifiek")
_NAME_REALISTISCH = _("Realistisch")
_NAME_TIJDGEBONDEN = _("Tijdgebonden")

_HINT_MEETBAAR = _(
    "Schrijf op hoe jullie zien dat het beter gaat, of beschrijf de stappen −1 en 0 "
    "van de doelladder."
)
_HINT_ACCEPTABEL = _("Vraag het gezin of zij het eens zijn met dit doel.")
_HINT_GECOMMUNICEERD = _("Laat het doel aan het gezin zien en bespreek het samen.")
_HINT_INSPIREREND = _(
    "Schrijf op wat er wél moet gebeuren, in plaats van wat er niet meer mag."
)
_HINT_OWNER = _("Kies wie dit doel trekt.")
_HINT_ACTION = _("Spreek minstens één actie af: wie doet wat, en wanneer?")
_HINT_TITLE_VAGUE = _("Maak het doel concreet: wie doet wat, en waar of wanneer?")
_HINT_NO_DETAIL = _("Schrijf erbij wat er precies anders moet zijn, of maak tussendoelen.")
_HINT_REALISTISCH = _("Bespreek samen of dit doel haalbaar is. Spreek af wie welke actie doet.")
_HINT_NO_DATES = _("Kies een startdatum en een einddatum.")
_HINT_END_BEFORE_START = _("De einddatum moet na de startdatum liggen.")
_HINT_VIA_SUB_GOALS = _("Of maak alle tussendoelen SMART.")


def _check(letter: str, name: str, ok: bool, *hints: str) -> Check:
    hint = "" if ok else " ".join(h for h in hints if h)
    return Check(letter=letter, name=name, ok=ok, hint=hint)


def _meetbaar(goal: GoalFacts) -> tuple[bool, str]:
    return _is_measurable(goal), _HINT_MEETBAAR


def _acceptabel(goal: GoalFacts) -> tuple[bool, str]:
    return goal.family_agreed, _HINT_ACCEPTABEL


def magie(goal: GoalFacts) -> list[Check]:
    """The MAGIE check of `goal`: one Check per letter, in M-A-G-I-E order.

    - Meetbaar: there is an indicator (how we see progress) or a GAS ladder;
    - Acceptabel: the family agreed (see GoalFacts.family_agreed);
    - Gecommuniceerd: the family has seen it;
    - Inspirerend: the title is positively phrased (heuristic: no "niet",
      "geen", "nooit", "minder", "stoppen met", ...);
    - Engagerend: there is an owner and at least one action.
    """
    ok_m, hint_m = _meetbaar(goal)
    ok_a, hint_a = _acceptabel(goal)
    engaged_hints = (
        "" if goal.owner_set else _HINT_OWNER,
        "" if goal.actions_count > 0 else _HINT_ACTION,
    )
    return [
        _check("M", _NAME_MEETBAAR, ok_m, hint_m),
        _check("A", _NAME_ACCEPTABEL, ok_a, hint_a),
        _check("G", _NAME_GECOMMUNICEERD, goal.family_seen, _HINT_GECOMMUNICEERD),
        _check("I", _NAME_INSPIREREND, is_positively_phrased(goal.title), _HINT_INSPIREREND),
        _check(
            "E",
            _NAME_ENGAGEREND,
            goal.owner_set and goal.actions_count > 0,
            *engaged_hints,
        ),
    ]


def smart(goal: GoalFacts) -> list[Check]:
    """The SMART check of `goal`: one Check per letter, in S-M-A-R-T order.

    - Specifiek: the title has at least 3 words, not only vague ones ("Het gaat
      weer goed"), and there is a description or there are sub-goals;
    - Meetbaar: as in MAGIE — an indicator or a GAS ladder;
    - Acceptabel: as in MAGIE — the family agreed;
    - Realistisch: the team marked it realistic, or an action has an owner;
    - Tijdgebonden: a start and an end date, the end after the start.

    A MAGIE goal is made SMART by its sub-goals: a letter counts as met when the
    goal meets it itself OR the goal has sub-goals and every sub-goal passes
    SMART (``has_sub_goals and sub_goals_smart``). Then the hint is empty.
    """
    by_sub_goals = goal.has_sub_goals and goal.sub_goals_smart
    sub_goal_hint = _HINT_VIA_SUB_GOALS if goal.has_sub_goals else ""

    title_ok = _title_is_specific(goal.title)
    detail_ok = bool(goal.description.strip()) or goal.has_sub_goals
    specific_hints = (
        "" if title_ok else _HINT_TITLE_VAGUE,
        "" if detail_ok else _HINT_NO_DETAIL,
    )

    ok_m, hint_m = _meetbaar(goal)
    ok_a, hint_a = _acceptabel(goal)

    if goal.start_date is None or goal.end_date is None:
        timed_ok, timed_hint = False, _HINT_NO_DATES
    elif goal.end_date <= goal.start_date:
        timed_ok, timed_hint = False, _HINT_END_BEFORE_START
    else:
        timed_ok, timed_hint = True, ""

    def letter(code: str, name: str, ok: bool, *hints: str) -> Check:
        return _check(code, name, ok or by_sub_goals, *hints, sub_goal_hint)

    return [
        letter("S", _NAME_SPECIFIEK, title_ok and detail_ok, *specific_hints),
        letter("M", _NAME_MEETBAAR, ok_m, hint_m),
        letter("A", _NAME_ACCEPTABEL, ok_a, hint_a),
        letter("R", _NAME_REALISTISCH, goal.realistic_confirmed, _HINT_REALISTISCH),
        letter("T", _NAME_TIJDGEBONDEN, timed_ok, timed_hint),
    ]


# --------------------------------------------------------------------------
# How many goals at once
# --------------------------------------------------------------------------

#: Above this many active goals the plan warns (a nudge, not a block).
GOAL_LIMIT = 5
#: The same when a family member has the LVB flag.
GOAL_LIMIT_LVB = 3


def goal_limit(any_lvb: bool) -> int:
    """The number of active goals above which the plan warns."""
    return GOAL_LIMIT_LVB if any_lvb else GOAL_LIMIT


def limit_warning(active_goals: int, any_lvb: bool, professional: bool = False) -> str | None:
    """A plain Dutch nudge when there are too many active goals, else None.

    Never a block: the family and the team decide. `any_lvb` must be what the *reader* may
    know: the flag is health information, and a limit of 3 would give it away.
    `professional` words it for the casusregisseur, who may read the term.
    """
    if active_goals < 0:
        raise ValueError(f"active_goals cannot be negative, got {active_goals!r}")
    limit = goal_limit(any_lvb)
    if active_goals <= limit:
        return None
    if any_lvb and professional:
        template = _(
            "Dit gezin heeft {count} actieve doelen. Met een lvb in het gezin werken hoogstens "
            "{limit} doelen tegelijk het best. Kies samen met het gezin wat nu het belangrijkst is."
        )
    elif any_lvb:
        template = _(
            "Jullie hebben {count} actieve doelen. Met minder doelen tegelijk is het "
            "makkelijker om het overzicht te houden. Kies samen de {limit} doelen die "
            "nu het belangrijkst zijn."
        )
    else:
        template = _(
            "Jullie hebben {count} actieve doelen. Met meer dan {limit} doelen tegelijk "
            "lukt vaak geen enkel doel goed. Kies samen wat nu het belangrijkst is."
        )
    return template.format(count=active_goals, limit=limit)
