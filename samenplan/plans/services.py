"""What a viewer sees of a plan, loaded in a fixed number of queries however big the plan."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from samenplan.domain.goals import limit_warning
from samenplan.domain.vocabulary import GoalStatus, SectionKind
from samenplan.goals.models import Goal
from samenplan.goals.reading import (
    ActionView, action_view, load_measured, progress_by_goal, t_score_history,
)
from samenplan.goals.services import may_add_action
from samenplan.plans import live
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Audience
from samenplan.privacy.facts import Role
from samenplan.privacy.unseen import goal_warnings
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
    action_form: object = None  # the "add an action" form, set by the view where it may
    # its trekker and the assignees of its actions who cannot see them (privacy/unseen.py),
    # for whoever may change the goal
    unseen: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # the ladder in words, for the print (plans/printing.py)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if not a.action.done)


@dataclass(frozen=True)
class SectionEntry:
    record: PlanSection
    audience: Audience


@dataclass(frozen=True)
class SectionView:
    kind: SectionKind
    entries: list[SectionEntry]


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
    live: live.State | None = None  # what the page was made from, for its poll (plans/live.py)


def load_plan(access: Access) -> PlanView:
    active_goals = (
        select(func.count(Goal.id))
        .where(Goal.plan_id == Plan.id, Goal.parent_id.is_(None), Goal.status == GoalStatus.ACTIVE)
        .correlate(Plan).scalar_subquery()
    )
    plan, active, *start = access.session.execute(  # `start`: where the live plan starts from
        select(Plan, active_goals, *live.state_columns(access))
        .where(Plan.family_id == access.family_id)
    ).one()
    access.participants  # noqa: B018 - loads owners and assignees into the identity map at once
    entries: dict[SectionKind, list[SectionEntry]] = defaultdict(list)
    for section in access.load_visible(
        access.select_visible(PlanSection).where(PlanSection.plan_id == plan.id)
        .order_by(PlanSection.section, PlanSection.position, PlanSection.id)
    ):
        entries[section.section].append(SectionEntry(section, access.audience(section)))
    sections = {kind: SectionView(kind, entries[kind]) for kind in SectionKind if entries.get(kind)}
    goals = access.load_visible(
        access.select_visible(Goal)
        .where(Goal.plan_id == plan.id, Goal.parent_id.is_(None))
        .options(joinedload(Goal.agreements))
        .order_by(Goal.priority, Goal.id)
    )
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
        t_scores=t_score_history(goals, scores), limit_warning=_limit_warning(access, active),
        without_casusregisseur=not any(p.role == Role.CASUSREGISSEUR for p in access.participants),
        may_add_goal=access.may_create(policy.GOAL), live=live.state_of(access, *start),
    )


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
