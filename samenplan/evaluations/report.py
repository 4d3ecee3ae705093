"""The report of an evaluation ("Verslag van de evaluatie", issue 12 item 5): who was there,
per goal the step on the ladder in words, the scaling answers, the decision and its reason, the
new actions, and the next date; as a page to print and as a PDF (plans/pdf.py). Everything
through the door: a reader sees only the goals, scores, answers, decisions and actions they
may see, and names only as they may know them. Families and their network read the steps in
words, never GAS numbers, weights or the T-score (DESIGN §7)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import or_
from sqlalchemy.orm import with_polymorphic

from samenplan import charts
from samenplan.domain import gas as gas_rules
from samenplan.domain.vocabulary import EvaluationStatus, GoalStatus, ScalingQuestion
from samenplan.evaluations import reading
from samenplan.evaluations.models import Evaluation, GoalDecision
from samenplan.evaluations.versions import measured_at
from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
from samenplan.goals.reading import ActionView, action_view
from samenplan.privacy.access import Access
from samenplan.privacy.models import Record
from samenplan.web import participant_name


RUNNING = (GoalStatus.DRAFT, GoalStatus.ACTIVE, GoalStatus.PAUSED)


@dataclass(frozen=True)
class AnswerLine:
    who: str  # "Noah (ingevuld door Fatima El Amrani)" for a child's answer entered for them
    question: str
    score: int


@dataclass
class GoalReport:
    goal: Goal
    level: int | None = None
    step: str = ""  # the step in words (a professional also sees the number)
    ladder: Markup | None = None
    answers: list[AnswerLine] = field(default_factory=list)
    decision: GoalDecision | None = None
    decision_words: str = ""
    actions: list[ActionView] = field(default_factory=list)


@dataclass
class Report:
    evaluation: Evaluation
    when: str
    attendees: list[str]
    goals: list[GoalReport]
    next_when: str
    for_family: bool
    t_score: float | None = None


def who_answered(access: Access, answer: ScalingAnswer, by_id: dict, persons: dict) -> str:
    author = participant_name(access, by_id.get(answer.author_participant_id))
    if answer.respondent_person_id is not None:
        child = persons.get(answer.respondent_person_id)
        return gettext("%(child)s (ingevuld door %(author)s)",
                       child=child.first_name if child else "", author=author)
    return author


def load(access: Access, evaluation: Evaluation, *, every_goal: bool = False) -> Report:
    """The report; `every_goal`: also the goals nothing was said about yet (the agenda of an
    evaluation being held: every goal still running)."""
    for_family = not access.viewer.role.is_professional
    by_id = {p.id: p for p in access.participants}
    persons = {p.id: p for p in access.persons}
    scores_at, answers_at = measured_at(evaluation)
    kinds = with_polymorphic(Record, [Goal, GasScore, ScalingAnswer, Action, GoalDecision])
    records = access.load_visible(access.select_visible(kinds).where(or_(
        kinds.Goal.parent_id.is_(None) & (kinds.kind == "goal"),
        (kinds.kind == "gas_score") & scores_at,
        (kinds.kind == "scaling_answer") & answers_at,
        kinds.Action.evaluation_id == evaluation.id,
        kinds.GoalDecision.evaluation_id == evaluation.id,
    )))
    goals = sorted((r for r in records if isinstance(r, Goal)), key=lambda g: (g.priority, g.id))
    per_goal = {g.id: GoalReport(g) for g in goals}
    for record in sorted(records, key=lambda r: r.id):
        target = per_goal.get(getattr(record, "goal_id", None))
        if target is None:
            continue
        if isinstance(record, GasScore):
            target.level = record.level
        elif isinstance(record, ScalingAnswer):
            question = ScalingQuestion(record.question)
            target.answers.append(AnswerLine(who_answered(access, record, by_id, persons),
                                             gettext(question.label), record.score))
        elif isinstance(record, Action):
            target.actions.append(action_view(access, record))
        elif isinstance(record, GoalDecision):
            target.decision = record
            target.decision_words = gettext(record.decision.label)
    shown = [r for r in per_goal.values()
             if r.level is not None or r.answers or r.decision or r.actions
             or (every_goal and r.goal.status in RUNNING)]
    for r in shown:
        if r.level is not None:
            words = gettext(gas_rules.step_words(r.level))
            r.step = words if for_family else f"{r.level:+d}: {gettext(gas_rules.level_label(r.level))}"
        r.ladder = charts.gas_ladder({g.level: g.description for g in r.goal.gas_levels}, r.level,
                                     r.goal.gas_baseline, f"verslag-{r.goal.id}",
                                     for_family=for_family, start=r.goal.gas_start)
    scored = [r for r in shown if r.level is not None]
    t_score = None
    if scored and not for_family:
        t_score = gas_rules.t_score([r.level for r in scored], [r.goal.gas_weight for r in scored])
    attendees = [participant_name(access, by_id[i]) for i in (evaluation.attendee_ids or [])
                 if i in by_id]
    following = access.load_visible(
        access.select_visible(Evaluation).where(
            Evaluation.status == EvaluationStatus.PLANNED,
            Evaluation.starts_at > evaluation.starts_at).order_by(Evaluation.starts_at).limit(1))
    return Report(evaluation, reading.when(evaluation.starts_at), attendees, shown,
                  reading.when(following[0].starts_at) if following else "", for_family, t_score)
