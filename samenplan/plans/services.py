"""What a viewer sees of a plan, loaded in a fixed number of queries however big the plan."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from samenplan.domain.ages import local_day
from samenplan.domain.goals import life_domain_name, limit_warning
from samenplan.domain.plan import missing_relapse_lines
from samenplan.domain.sections import HorizonWarning, horizon_warning, is_child
from samenplan.domain.vocabulary import GoalStatus, RelapseLine, SectionKind
from samenplan.goals.models import Goal
from samenplan.goals.reading import (
    ActionView, action_view, load_measured, progress_by_goal, t_score_history,
)
from samenplan.goals.services import may_add_action
from samenplan.plans import live
from samenplan.plans import sections as entries_service
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Audience
from samenplan.privacy.facts import Role
from samenplan.privacy.unseen import goal_warnings
from samenplan.team.models import PlanContact
from samenplan.web import participant_name


@dataclass
class GoalView:
    """One goal card as this viewer sees it, with what they may do to it."""

    goal: Goal
    actions: list[ActionView] = field(default_factory=list)
    current_level: int | None = None
    progress: list = field(default_factory=list)  # RespondentSeries of "voortgang"
    may_edit: bool = False
    may_add_action: bool = False
    audience: Audience | None = None
    owner_name: str = ""
    action_form: object = None  # the "add an action" form just posted (with its errors)
    # else "Wie doet het?" of the card's plain "add an action" form (goals.forms.with_action_forms)
    action_choices: list = field(default_factory=list)
    # its trekker and the assignees of its actions who cannot see them (privacy/unseen.py),
    # for whoever may change the goal
    unseen: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # the ladder in words, for the print (plans/printing.py)
    # a family or network reader: the ladder's step in words, never a GAS number (DESIGN §7)
    for_family: bool = False

    @property
    def step_words(self) -> str:
        """The step reached, in the family's words (marked for translation); "" when none."""
        from samenplan.domain.gas import step_words

        return "" if self.current_level is None else step_words(self.current_level)

    @property
    def domain_name(self) -> str:
        """The goal's leefgebied as this reader says it (marked for translation): a plain name
        for a family or network reader, the ZRM name for professionals (DESIGN §7)."""
        return life_domain_name(self.goal.life_domain, self.for_family)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if not a.action.done)

    #: the viewer's own participation: "jouw acties" on the goal's line (set by `_goal_view`)
    viewer_participant_id: int | None = None

    @property
    def my_open_actions(self) -> int:
        """The open actions this viewer does themself ("jouw acties: 2" on the goal's line)."""
        return sum(1 for a in self.actions if not a.action.done
                   and a.action.assignee_participant_id == self.viewer_participant_id
                   and self.viewer_participant_id is not None)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def agreed(self) -> int:
        """How many said akkoord (the goal's agreements come with the plan's first query)."""
        return sum(1 for a in self.goal.agreements if a.agrees)

    @property
    def disagreed(self) -> int:
        return sum(1 for a in self.goal.agreements if not a.agrees)


@dataclass(frozen=True)
class SectionEntry:
    """One entry of a plan section as this viewer sees it, with what they may do to it."""

    record: PlanSection
    audience: Audience
    may_edit: bool = False
    # toekomstperspectief: how near its horizon date is (None: not near, or no such date)
    horizon: HorizonWarning | None = None

    @property
    def tel(self) -> str:
        """The `tel:` link's number of a line of whom we call ("" without a phone)."""
        return entries_service.phone_digits(self.record.phone)

    @property
    def child_name(self) -> str:
        """The child a toekomstperspectief is about (its one subject)."""
        subjects = self.record.subjects
        return subjects[0].first_name if subjects else ""


@dataclass(frozen=True)
class SectionView:
    kind: SectionKind
    entries: list[SectionEntry]
    may_add: bool = False

    @property
    def relapse_groups(self) -> list[tuple[RelapseLine, list[SectionEntry]]]:
        """The plan for when things go less well, as three short lists under their headings."""
        return [(line, [e for e in self.entries if e.record.relapse_line == line])
                for line in RelapseLine]


BEFORE_GOALS = (SectionKind.PERSPECTIVE, SectionKind.FUTURE)


@dataclass
class PlanView:
    plan: Plan
    sections: dict[SectionKind, SectionView]
    goals: list[GoalView]
    t_scores: list[tuple[date, float]] = field(default_factory=list)
    limit_warning: str | None = None
    # the casusregisseur left (e.g. their organisation let them go) and nobody took over yet
    without_casusregisseur: bool = False
    may_add_goal: bool = False
    # the children under a guardian organisation (voogd) of whom the plan does not say yet
    # where they grow up (for the casusregisseur)
    without_future: list[str] = field(default_factory=list)
    # what the plan for when things go less well still lacks (for the casusregisseur)
    relapse_missing: list[RelapseLine] = field(default_factory=list)
    # the joint analysis: the casusregisseur starts it; family members fill in their own part
    may_start_analysis: bool = False

    @property
    def before_goals(self) -> list[SectionView]:
        """The family's wish, and where each child under a protection measure grows up: what
        the goals are for, above them (on a phone the goals still start near the top)."""
        return [v for kind, v in self.sections.items() if kind in BEFORE_GOALS]

    @property
    def after_goals(self) -> list[SectionView]:
        """The rest of the analysis (what goes well, the worries, what the family does
        themselves, the help that is needed), then the other sections, in the plan's order."""
        return [v for kind, v in self.sections.items() if kind not in BEFORE_GOALS]

    @property
    def live_groups(self) -> dict[str, list[str]]:
        """The page's parts the live plan refreshes on their own (plans/live.py), in the order
        of the page, per place on it: the sections above the goals, the goals, the sections
        after them, the next evaluation."""
        return {
            "voor": [live.section_part(v.kind) for v in self.before_goals],
            "doelen": [live.goal_part(g.goal.id) for g in self.goals],
            "na": [live.section_part(v.kind) for v in self.after_goals],
            "evaluatie": [live.EVALUATION_PART],
        }

    goal_part = staticmethod(live.goal_part)
    section_part = staticmethod(live.section_part)
    evaluation_part = live.EVALUATION_PART

    def part_state(self, key: str) -> str:
        return self.live_parts.get(key, "")

    @property
    def horizon_warnings(self) -> list[SectionEntry]:
        """The entries whose horizon date is near or past, to warn about at the top."""
        return [e for v in self.sections.values() for e in v.entries if e.horizon is not None]

    contact: PlanContact | None = None  # the contact card as set now (team/reading.py)
    live: live.State | None = None  # what the page was made from, for its poll (plans/live.py)
    # each part's state as the page was made (plans/live.py `part_states`): the page marks its
    # parts with them, so the live plan refreshes only the parts that changed
    live_parts: dict[str, str] = field(default_factory=dict)
    next_evaluation: object = None  # the next planned evaluation the viewer may see, or None


def load_plan(access: Access) -> PlanView:
    active_goals = (
        select(func.count(Goal.id))
        .where(Goal.plan_id == Plan.id, Goal.parent_id.is_(None), Goal.status == GoalStatus.ACTIVE)
        .correlate(Plan).scalar_subquery()
    )
    # the contact card's current version (team/models.py) comes with the plan, in one query
    latest_contact = (select(func.max(PlanContact.version)).where(PlanContact.plan_id == Plan.id)
                      .correlate(Plan).scalar_subquery())
    # `start`: where the live plan starts from (plans/live.py)
    from samenplan.evaluations.models import Evaluation
    from samenplan.evaluations.reading import next_evaluation_id

    plan, active, contact, evaluation, *start = access.session.execute(
        select(Plan, active_goals, PlanContact, Evaluation, *live.state_columns(access))
        .outerjoin(PlanContact, and_(
            PlanContact.plan_id == Plan.id, PlanContact.version == latest_contact,
        ))
        .outerjoin(Evaluation, Evaluation.id == next_evaluation_id(access))
        .where(Plan.family_id == access.family_id),
        access.moment,  # the values of the kept state columns' clause
    ).one()
    access.participants  # noqa: B018 - loads owners and assignees into the identity map at once
    sections = load_sections(access, plan)
    goals = access.load_visible(access.kept("plan goals", _plan_goals), {"plan_id": plan.id})
    views = {goal.id: _goal_view(access, goal) for goal in goals}
    scores, answers, actions = load_measured(access, list(views))
    for score in scores:
        views[score.goal_id].current_level = score.level  # oldest first: the last one stays
    for goal_id, series in progress_by_goal(access, answers).items():
        views[goal_id].progress = series
    for action in actions:
        views[action.goal_id].actions.append(action_view(access, action))
    for view in views.values():
        view.unseen = goal_warnings(access, view.goal, [a.action for a in view.actions])
    return PlanView(
        plan, sections, list(views.values()),
        # the T-score is for professionals (DESIGN §2, §7): families see their goals' steps
        t_scores=t_score_history(goals, scores) if access.viewer.role.is_professional else [],
        limit_warning=_limit_warning(access, active),
        without_casusregisseur=not any(p.role == Role.CASUSREGISSEUR for p in access.participants),
        may_add_goal=access.may_create(policy.GOAL),
        without_future=_without_future(access, sections),
        relapse_missing=_relapse_missing(access, sections),
        may_start_analysis=access.viewer.role in (Role.CASUSREGISSEUR, Role.FAMILY)
        and entries_service.may_add(access), contact=contact, live=live.state_of(access, *start),
        live_parts=live.part_states(access, start[1]),
        next_evaluation=next(iter(access.admit([evaluation] if evaluation else [])), None),
    )


def _plan_goals(access: Access):
    """The plan's goals (not sub-goals) in their order, with who agrees: made once per viewer
    and family (`Access.kept`); the plan comes with it when it runs."""
    return (access.select_visible(Goal, bound=False)
            .where(Goal.plan_id == bindparam("plan_id"), Goal.parent_id.is_(None))
            .options(joinedload(Goal.agreements))
            .order_by(Goal.priority, Goal.id))


def _plan_sections(access: Access):
    """The entries on the plan (`load_sections`), kept as `_plan_goals`."""
    return (access.select_visible(PlanSection, bound=False)
            .where(PlanSection.plan_id == bindparam("plan_id"), PlanSection.archived_at.is_(None))
            .order_by(PlanSection.position, PlanSection.id))


def section_entry(access: Access, section: PlanSection) -> SectionEntry:
    """One entry as this viewer sees it; from facts already loaded (no query of its own)."""
    return SectionEntry(
        section, access.audience(section), may_edit=entries_service.may_edit(access, section),
        horizon=horizon_warning(section.horizon_date, local_day(access.now))
        if section.section.per_child else None,
    )


def load_sections(access: Access, plan: Plan) -> dict[SectionKind, SectionView]:
    """Every section in the plan's order, with the entries on the plan the viewer may see
    (one query); an empty one only for who may write in it (`_invites`)."""
    entries: dict[SectionKind, list[SectionEntry]] = defaultdict(list)
    for section in access.load_visible(access.kept("plan sections", _plan_sections),
                                       {"plan_id": plan.id}):
        entries[section.section].append(section_entry(access, section))
    may_add = entries_service.may_add(access)
    return {kind: SectionView(kind, entries[kind], may_add) for kind in SectionKind
            if entries.get(kind) or (may_add and _invites(access, kind))}


def _invites(access: Access, kind: SectionKind) -> bool:
    """Whether an empty section asks this viewer to write in it. Where a child grows up is a
    question for a child under a protection measure only: the professionals know whether there
    is one; a family is asked when a child of theirs has a guardian (voogd)."""
    if not kind.per_child or access.viewer.role.is_professional:
        return True
    return bool(_children_with_a_guardian(access))


def _children_with_a_guardian(access: Access) -> list:
    today = local_day(access.now)
    return [p for p in access.persons
            if (facts := access.facts.persons.get(p.id)) is not None
            and facts.authority_organisations and is_child(p.date_of_birth, today)]


def _without_future(access: Access, views: dict[SectionKind, SectionView]) -> list[str]:
    """For the casusregisseur: the children whose authority an organisation holds as voogd
    (a protection measure) and of whom no toekomstperspectief is on the plan."""
    if access.viewer.role is not Role.CASUSREGISSEUR:
        return []
    view = views.get(SectionKind.FUTURE)
    covered = {p.id for e in (view.entries if view else []) for p in e.record.subjects}
    return [p.first_name for p in _children_with_a_guardian(access) if p.id not in covered]


def _relapse_missing(access: Access, views: dict[SectionKind, SectionView]) -> list[RelapseLine]:
    """For the casusregisseur: the kinds of line the relapse plan lacks (it must be there and
    known before the plan is closed)."""
    if access.viewer.role is not Role.CASUSREGISSEUR:
        return []
    view = views.get(SectionKind.RELAPSE_PLAN)
    return missing_relapse_lines(e.record.relapse_line for e in (view.entries if view else []))


def _limit_warning(access: Access, active: int) -> str | None:
    """The goal-limit nudge: for the family and the casusregisseur, over every active goal of
    the family (`active`: also those the reader cannot see); the lower limit that comes with
    an LVB flag only for readers who may know of the flag."""
    role = access.viewer.role
    if role not in (Role.FAMILY, Role.CASUSREGISSEUR):
        return None
    lvb_known = any(p.lvb and access.may_know_lvb(p) for p in access.persons)
    return limit_warning(active, lvb_known, professional=role is Role.CASUSREGISSEUR)


def _goal_view(access: Access, goal: Goal) -> GoalView:
    return GoalView(
        goal, may_edit=access.can_edit(goal, policy.GOAL).allowed,
        may_add_action=may_add_action(access, goal), audience=access.audience(goal),
        owner_name=participant_name(access, goal.owner),
        for_family=not access.viewer.role.is_professional,
        viewer_participant_id=access.participant.id,
    )


def goal_view(access: Access, goal: Goal) -> GoalView:
    """One goal card as on the plan page (for the goal fragment): its actions, level and
    "voortgang" answers that this viewer may see."""
    view = _goal_view(access, goal)
    scores, answers, actions = load_measured(access, [goal.id])
    if scores:
        view.current_level = scores[-1].level
    view.progress = progress_by_goal(access, answers).get(goal.id, [])
    view.actions = [action_view(access, a) for a in actions]
    view.unseen = goal_warnings(access, goal, actions)
    return view
