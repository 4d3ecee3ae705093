"""What a viewer sees of one goal: sub-goals, actions, GAS, scaling answers, the checks.
Every record is read through the privacy door (Access); nothing else loads them."""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import joinedload, with_polymorphic

from samenplan.domain import gas as gas_rules
from flask_babel import gettext

from samenplan.domain.i18n import _ as _mark
from samenplan.domain import goals as goal_rules
from samenplan.domain import scaling as scaling_rules
from samenplan.escalations.models import Escalation
from samenplan.families.models import Participant
from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
from samenplan.domain.ages import local_day
from samenplan.domain.vocabulary import ScalingQuestion
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Audience
from samenplan.privacy.facts import Category, Role
from samenplan.privacy.models import Record
from samenplan.web import participant_name


@dataclass(frozen=True)
class ActionView:
    """One action as this viewer sees it: whether they may tick it, who does it (as far as the
    viewer may know), whether it is late."""

    action: Action
    may_tick: bool
    assignee_name: str
    overdue: bool
    # a family or network member reads an overdue action as a friendly nudge ("Dit was voor
    # 3 december. Lukt het nog?"), not a red "te laat"; professionals keep "te laat"
    nudge: bool = False

    @property
    def late(self) -> bool:
        """Shown as "te laat" (professionals)."""
        return self.overdue and not self.nudge


def action_view(access: Access, action: Action) -> ActionView:
    from samenplan.goals.services import may_tick

    overdue = (action.due_date is not None and not action.done
               and action.due_date < local_day(access.now))
    return ActionView(action, may_tick(access, action),
                      participant_name(access, action.assignee), overdue,
                      nudge=overdue and not access.participant.is_professional)


@dataclass
class RespondentSeries:
    participant: Participant
    answers: list[ScalingAnswer]  # oldest first
    name: str = ""  # as the viewer may see it ("een hulpverlener" for a hidden participation)

    @property
    def latest(self) -> ScalingAnswer:
        return self.answers[-1]

    @property
    def trend(self) -> str:
        return scaling_rules.trend([a.score for a in self.answers])

    @property
    def chart_series(self) -> tuple[str, list[tuple[date, int]]]:
        return self.name, [(a.answered_on, a.score) for a in self.answers]


@dataclass(frozen=True)
class GapNote:
    family_name: str
    family_score: int
    professional_name: str
    professional_score: int
    difference: int


@dataclass
class QuestionSummary:
    key: str
    label: str
    text: str
    series: list[RespondentSeries]
    gaps: list[GapNote]


@dataclass
class GoalDetail:
    goal: Goal
    children: list[Goal]
    actions: list[ActionView]
    gas_scores: list[GasScore]  # oldest first
    answers: list[ScalingAnswer]
    smart: list[goal_rules.Check] = field(default_factory=list)
    magie: list[goal_rules.Check] = field(default_factory=list)
    questions: list[QuestionSummary] = field(default_factory=list)
    may_edit: bool = False
    audience: Audience | None = None
    owner_name: str = ""
    # the sub-goals whose title this viewer may change
    editable_children: frozenset[int] = frozenset()
    # a family or network reader: the steps in words, no weight, T-score or "GAS" (DESIGN §7)
    for_family: bool = True
    # the scaling questions this viewer answers (a family member three, others voortgang)
    my_questions: tuple[str, ...] = ()
    # whether this viewer may mark the goal behaald/gestopt outside an evaluation
    may_end: bool = False
    # the escalations of its actions the viewer may see (escalations/reading.py shows them)
    escalations: list = field(default_factory=list)

    @property
    def advice(self) -> list[str]:
        """For a family reader: what would make the goal stronger, in plain words, each once
        (the SMART and MAGIE letters are for professionals, DESIGN §7)."""
        hints: list[str] = []
        for check in [*self.magie, *self.smart]:
            if not check.ok and check.hint and check.hint not in hints:
                hints.append(check.hint)
        return hints

    @property
    def domain_name(self) -> str:
        """The goal's leefgebied: for a family reader in plain words (no ZRM names, DESIGN §7)."""
        return goal_rules.life_domain_name(self.goal.life_domain, self.for_family)

    @property
    def step_words(self) -> dict[int, str]:
        """Each step's words for this reader (marked for translation): the family's, or the
        guideline's names for professionals."""
        return dict(gas_rules.STEP_WORDS if self.for_family else gas_rules.LEVEL_LABELS)

    @property
    def current_level(self) -> int | None:
        return self.gas_scores[-1].level if self.gas_scores else None

    @property
    def ladder(self) -> dict[int, str]:
        return {g.level: g.description for g in self.goal.gas_levels}

    @property
    def scorable(self) -> bool:
        return gas_rules.ladder_is_scorable(self.ladder)

    agreed: list[str] = field(default_factory=list)  # names, as the viewer may know them
    disagreed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)


def goal_facts(goal: Goal, children: list[Goal], actions: list[Action], family_ids: set[int],
               children_smart: bool) -> goal_rules.GoalFacts:
    family_votes = [a for a in goal.agreements if a.participant_id in family_ids]
    ladder = {g.level: g.description for g in goal.gas_levels}
    return goal_rules.GoalFacts(
        title=goal.title, description=goal.description, indicator=goal.indicator,
        has_gas_ladder=gas_rules.ladder_is_scorable(ladder),
        start_date=goal.start_date, end_date=goal.end_date,
        family_agreed=bool(family_votes) and all(a.agrees for a in family_votes),
        family_seen=bool(family_votes),
        has_sub_goals=bool(children), sub_goals_smart=children_smart,
        owner_set=goal.owner_participant_id is not None, actions_count=len(actions),
        realistic_confirmed=goal.realistic_confirmed or any(a.assignee_participant_id for a in actions),
    )


def load_goal_detail(access: Access, goal: Goal) -> GoalDetail:
    access.participants  # noqa: B018 - names of respondents and owners, in one query
    kinds = with_polymorphic(Record, [Goal, Action, GasScore, ScalingAnswer, Escalation])
    goal_actions = Action.__table__.alias("goal_actions")
    records = access.load_visible(  # everything under the goal the viewer may see, one query
        access.select_visible(kinds).where(or_(
            kinds.Goal.parent_id == goal.id, kinds.Action.goal_id == goal.id,
            kinds.GasScore.goal_id == goal.id, kinds.ScalingAnswer.goal_id == goal.id,
            kinds.Escalation.action_id.in_(  # the escalations of its actions (opschalen)
                select(goal_actions.c.id).where(goal_actions.c.goal_id == goal.id)),
        )).options(joinedload(kinds.Escalation.contact))
    )
    children = sorted((r for r in records if isinstance(r, Goal)), key=lambda g: (g.priority, g.id))
    actions = sorted((r for r in records if isinstance(r, Action)), key=action_order)
    scores = sorted((r for r in records if isinstance(r, GasScore)), key=lambda s: (s.scored_on, s.id))
    answers = sorted((r for r in records if isinstance(r, ScalingAnswer)),
                     key=lambda a: (a.answered_on, a.id))
    escalations = sorted((r for r in records if isinstance(r, Escalation)), key=lambda e: e.id)
    family_ids = {p.id for p in access.participants if p.role == Role.FAMILY}
    children_smart = all(
        not goal_rules.missing(goal_rules.smart(goal_facts(c, [], [], family_ids, False)))
        for c in children
    )
    facts = goal_facts(goal, children, actions, family_ids, children_smart)
    detail = GoalDetail(
        goal, children, [action_view(access, a) for a in actions], scores, answers,
        smart=goal_rules.smart(facts), magie=goal_rules.magie(facts),
        may_edit=access.can_edit(goal, policy.GOAL).allowed, audience=access.audience(goal),
        owner_name=participant_name(access, goal.owner),
        editable_children=frozenset(c.id for c in children if access.can_edit(c, policy.GOAL).allowed),
        agreed=[participant_name(access, a.participant) for a in goal.agreements if a.agrees],
        disagreed=[(participant_name(access, a.participant), a.reason)
                   for a in goal.agreements if not a.agrees],
        for_family=not access.viewer.role.is_professional,
        my_questions=scaling_rules.questions_for(access.viewer.role),
        may_end=goal_rules.may_end_outside_evaluation(access.viewer.role),
    )
    detail.questions = summarise_answers(access, answers)
    detail.escalations = escalations
    return detail


def summarise_answers(access: Access, answers: list[ScalingAnswer]) -> list[QuestionSummary]:
    by_id = access.participants_by_id
    grouped: dict[str, dict[int, list[ScalingAnswer]]] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        if answer.author_participant_id in by_id and answer.respondent_person_id is None:
            grouped[answer.question][answer.author_participant_id].append(answer)
    summaries = []
    for key in scaling_rules.QUESTION_KEYS:
        question = scaling_rules.QUESTIONS[key]
        series = [RespondentSeries(by_id[pid], items, participant_name(access, by_id[pid]))
                  for pid, items in grouped[key].items()]
        latest = {s.participant.id: (s.participant.role, s.latest.score) for s in series}
        notes = [
            GapNote(participant_name(access, by_id[g.family_respondent]), g.family_score,
                    participant_name(access, by_id[g.professional_respondent]), g.professional_score,
                    g.difference)
            for g in scaling_rules.gaps(latest)
        ]
        summaries.append(QuestionSummary(key, question.label, question.text, series, notes))
    return summaries


def load_measured(access: Access, goal_ids: list[int]) -> tuple[list[GasScore], list[ScalingAnswer], list[Action]]:
    """What the plan page shows under its goals, in one query: the GAS scores and "voortgang"
    answers (oldest first) and the actions (by due date) of these goals that the viewer may
    see."""
    if not goal_ids:
        return [], [], []
    records = access.load_visible(access.kept("measured", _measured),
                                  {"measured_goal_ids": list(goal_ids)})
    scores = sorted((r for r in records if isinstance(r, GasScore)), key=lambda s: (s.scored_on, s.id))
    answers = sorted((r for r in records if isinstance(r, ScalingAnswer)),
                     key=lambda a: (a.answered_on, a.id))
    actions = sorted((r for r in records if isinstance(r, Action)), key=action_order)
    return scores, answers, actions


def _measured(access: Access):
    """`load_measured`'s statement, made once per viewer and family (`Access.kept`): the goals
    come with it when it runs."""
    kinds = with_polymorphic(Record, [GasScore, ScalingAnswer, Action])
    goal_ids = bindparam("measured_goal_ids", expanding=True)
    return access.select_visible(kinds, bound=False).where(or_(
        kinds.GasScore.goal_id.in_(goal_ids),
        and_(kinds.ScalingAnswer.goal_id.in_(goal_ids),
             kinds.ScalingAnswer.question == ScalingQuestion.PROGRESS),
        kinds.Action.goal_id.in_(goal_ids),
    ))


def action_order(action: Action) -> tuple:
    """Actions by due date, those without one last."""
    return (action.due_date is None, action.due_date or date.min, action.id)


def t_score_history(goals: list[Goal], scores: list[GasScore]) -> list[tuple[date, float]]:
    """The plan's Kiresuk-Sherman T-score on each day goals were scored, over the latest level
    of every goal scored so far. Callers pass only what the viewer may see, so nobody learns
    about goals hidden from them."""
    top = {g.id: g for g in goals if g.parent_id is None}
    by_day: dict[date, dict[int, int]] = defaultdict(dict)
    for score in scores:
        if score.goal_id in top:
            by_day[score.scored_on][score.goal_id] = score.level  # the last of the day counts
    history, latest = [], {}
    for day in sorted(by_day):
        latest.update(by_day[day])  # every goal counts with the last level it reached
        history.append((day, gas_rules.t_score(
            list(latest.values()), [top[gid].gas_weight for gid in latest]
        )))
    return history


def progress_by_goal(access: Access, answers: list[ScalingAnswer]) -> dict[int, list[RespondentSeries]]:
    """Per goal, each respondent's answers to "voortgang" (for the plan page)."""
    by_id = access.participants_by_id
    grouped: dict[int, dict[int, list[ScalingAnswer]]] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        if answer.author_participant_id in by_id and answer.respondent_person_id is None:
            grouped[answer.goal_id][answer.author_participant_id].append(answer)
    return {
        goal_id: [RespondentSeries(by_id[pid], items, participant_name(access, by_id[pid]))
                  for pid, items in per_person.items()]
        for goal_id, per_person in grouped.items()
    }


@dataclass(frozen=True)
class MergeRow:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def merge_rows(access: Access, goal: Goal, form) -> list[MergeRow]:
    """The goal as saved now next to what was typed, field by field, in words (for the merge
    screen). Choices are shown by their labels, people as the viewer may see them."""
    theirs = {
        "title": goal.title, "description": goal.description or "",
        "subjects": [p.id for p in goal.effective_subjects], "category": goal.effective_category,
        "life_domain": goal.life_domain, "status": goal.status,
        "owner": goal.owner_participant_id or 0, "start_date": goal.start_date,
        "end_date": goal.end_date, "goal_type": goal.goal_type, "indicator": goal.indicator or "",
    }
    return form_merge_rows(form, theirs)


def form_merge_rows(form, theirs: dict[str, object]) -> list[MergeRow]:
    """For any record's form: each field named in `theirs` (its value as saved now) next to
    what was typed in `form`, in words, by the field's label (for the merge screen)."""
    rows = []
    for name, value in theirs.items():
        field = form[name]
        rows.append(MergeRow(str(field.label.text), _in_words(field, value),
                             _in_words(field, field.data)))
    return rows


def _in_words(field, value) -> str:
    if field.type == "BooleanField":
        return gettext("ja") if value else gettext("nee")
    choices = dict((str(code), str(label)) for code, label in (getattr(field, "choices", None) or []))
    if isinstance(value, (list, tuple)):
        return ", ".join(choices.get(str(v), str(v)) for v in value)
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        return value.strftime("%d-%m-%Y")
    return choices.get(str(value), str(value))


# --- history ("Wat is er veranderd?") ------------------------------------------------------
FIELD_LABELS = {
    "title": _mark("Doel"), "description": _mark("Uitleg"), "subjects": _mark("Over wie"),
    "category": _mark("Soort informatie"), "life_domain": _mark("Leefgebied"),
    "status": _mark("Status"), "status_reason": _mark("Waarom"), "owner_participant_id": _mark("Trekker"),
    "start_date": _mark("Begint op"), "end_date": _mark("Klaar op"),
    "goal_type": _mark("Soort doel"), "indicator": _mark("Hoe zien we dat het lukt?"),
    "gas_start": _mark("Hoe het was bij de start"), "gas_baseline": _mark("Stap bij de start"),
    "gas_weight": _mark("Gewicht"),
    "what": _mark("Actie"), "assignee_participant_id": _mark("Wie doet het"),
    "due_date": _mark("Wanneer klaar"), "done_at": _mark("Klaar"), "body": _mark("Tekst"),
}


#: What a family or network reader's history shows: not the weight (for professionals only).
FAMILY_FIELD_LABELS = {name: label for name, label in FIELD_LABELS.items() if name != "gas_weight"}


def history_labels(access: Access) -> dict[str, str]:
    """The goal fields whose changes this viewer's history shows."""
    return FIELD_LABELS if access.viewer.role.is_professional else FAMILY_FIELD_LABELS


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: object
    after: object


@dataclass(frozen=True)
class HistoryEntry:
    revision: object  # records.models.Revision
    author: Participant | None
    changes: list[Change]
    came_into_view: bool = False  # from this change on, the viewer may see the record

    @property
    def created(self) -> bool:
        return not self.revision.before


def load_history(access: Access, record: Record,
                 labels: dict[str, str] = FIELD_LABELS) -> list[HistoryEntry]:
    """The revisions of `record` (which the viewer may see now) that the viewer could also
    have seen before *and* after that change: a record narrowed or widened never shows anyone
    what was not meant for them. Where the record came into the viewer's sight, one entry
    says so, without what it was before. Newest first. `labels`: the fields shown, by name
    (a kind of record other than a goal names its own)."""
    from sqlalchemy import select

    from samenplan.privacy import loader, policy
    from samenplan.privacy.facts import Category
    from samenplan.records.models import Revision

    now_facts = loader.record_facts(record)

    def could_see(category: str, subject_ids) -> bool:
        then = dataclasses.replace(now_facts, category=Category(category),
                                   subject_ids=frozenset(subject_ids or []))
        return policy.can_view(access.viewer, then, access.facts, access.now).allowed

    by_user = {p.user_id: p for p in access.participants}
    entries: list[HistoryEntry] = []
    revisions = access.session.scalars(
        select(Revision).where(Revision.record_id == record.id).order_by(Revision.id.desc())
    )
    for revision in revisions:
        if not could_see(revision.category, revision.subject_ids):
            break  # from here back the record was out of the viewer's sight
        before_category = revision.before.get("category", revision.category)
        before_subjects = revision.before.get("subjects", revision.subject_ids)
        if revision.before and not could_see(before_category, before_subjects):
            entries.append(HistoryEntry(revision, None, [], came_into_view=True))
            break
        changes = [
            Change(name, labels.get(name, name), revision.before.get(name), value)
            for name, value in revision.after.items() if name in labels
        ]
        entries.append(HistoryEntry(revision, by_user.get(revision.changed_by_id), changes))
    return entries


def changes_since(access: Access, goal: Goal, version: int | None) -> list[MergeRow]:
    """What changed in `goal` since the viewer loaded it at `version`, field by field: as it
    is now next to as they read it, in words (for the merge screen of an answer given to an
    older version, like an agreement). Only what the goal's history shows this viewer
    (`load_history`): nothing from before it came into their sight. Unknown `version`: none."""
    if version is None:
        return []
    now: dict[str, object] = {}
    then: dict[str, object] = {}
    labels = history_labels(access)
    for entry in load_history(access, goal, labels):  # newest first
        if entry.revision.version <= version or entry.came_into_view:
            break
        for change in entry.changes:
            now.setdefault(change.field, change.after)
            then[change.field] = change.before
    return [
        MergeRow(gettext(labels[name]), in_words(access, name, now[name]),
                 in_words(access, name, then[name]))
        for name in labels if name in now
    ]


def sub_goal_merge(goal: Goal, form) -> list[MergeRow]:
    """The merge screen's row for a sub-goal's title: as saved now, and as typed."""
    return [MergeRow(str(form.title.label.text), goal.title, form.title.data or "")]


def in_words(access: Access, field: str, value) -> str:
    """A revised value as the reader should see it: labels for codes, names as the viewer
    may know them, dates in Dutch."""
    from datetime import date

    from flask_babel import format_date, gettext

    from samenplan.domain.goals import LIFE_DOMAIN_LABELS
    from samenplan.domain.vocabulary import GoalStatus, GoalType, RelapseLine

    if field == "archived_at":
        return gettext("van het plan gehaald") if value else gettext("op het plan")
    if field == "still_to_find":
        return gettext("ja") if value else gettext("nee")
    if value is None or value == "" or value == []:
        return gettext("(leeg)") if field != "done_at" else gettext("niet klaar")
    if field == "done_at":
        return gettext("klaar")
    vocabulary = {"category": Category, "status": GoalStatus, "goal_type": GoalType,
                  "relapse_line": RelapseLine}.get(field)
    if vocabulary is not None and vocabulary.parse(value) is not None:
        return gettext(vocabulary(value).label)
    if field == "life_domain":
        if value not in LIFE_DOMAIN_LABELS:
            return str(value)
        return gettext(goal_rules.life_domain_name(value, not access.viewer.role.is_professional))
    if field == "subjects":
        names = {p.id: p.first_name for p in access.persons}
        return ", ".join(names.get(i, "?") for i in value)
    if field in ("owner_participant_id", "assignee_participant_id"):
        who = next((p for p in access.participants if p.id == value), None)
        return participant_name(access, who) or gettext("(leeg)")
    if field in ("start_date", "end_date", "due_date", "horizon_date"):
        return format_date(date.fromisoformat(value), "d MMMM yyyy")
    return str(value)
