"""What a viewer sees of a plan, loaded in a fixed number of queries however big the plan."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from samenplan.domain.goals import limit_warning
from samenplan.goals.models import Action, Goal
from samenplan.goals.reading import load_measured, progress_by_goal, t_score_history
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Role
from samenplan.privacy.unseen import goal_warnings


@dataclass
class GoalView:
    goal: Goal
    actions: list[Action] = field(default_factory=list)
    current_level: int | None = None
    progress: list = field(default_factory=list)  # RespondentSeries of "voortgang"
    # its trekker and the assignees of its actions who cannot see them (privacy/unseen.py),
    # for whoever may change the goal
    unseen: list = field(default_factory=list)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if not a.done)


@dataclass
class PlanView:
    plan: Plan
    sections: dict[str, list[PlanSection]]
    goals: list[GoalView]
    t_scores: list[tuple[date, float]] = field(default_factory=list)
    limit_warning: str | None = None
    # the casusregisseur left (e.g. their organisation let them go) and nobody took over yet
    without_casusregisseur: bool = False


def load_plan(access: Access) -> PlanView:
    active_goals = (
        select(func.count(Goal.id))
        .where(Goal.plan_id == Plan.id, Goal.parent_id.is_(None), Goal.status == "actief")
        .correlate(Plan).scalar_subquery()
    )
    plan, active = access.session.execute(
        select(Plan, active_goals).where(Plan.family_id == access.family_id)
    ).one()
    access.participants  # noqa: B018 - loads owners and assignees into the identity map at once
    sections: dict[str, list[PlanSection]] = defaultdict(list)
    for section in access.load_visible(
        access.select_visible(PlanSection).where(PlanSection.plan_id == plan.id)
        .order_by(PlanSection.section, PlanSection.position, PlanSection.id)
    ):
        sections[section.section].append(section)
    goals = access.load_visible(
        access.select_visible(Goal)
        .where(Goal.plan_id == plan.id, Goal.parent_id.is_(None))
        .options(joinedload(Goal.agreements))
        .order_by(Goal.priority, Goal.id)
    )
    views = {goal.id: GoalView(goal) for goal in goals}
    scores, answers, actions = load_measured(access, list(views))
    for score in scores:
        views[score.goal_id].current_level = score.level  # oldest first: the last one stays
    for goal_id, series in progress_by_goal(access, answers).items():
        views[goal_id].progress = series
    for action in actions:
        views[action.goal_id].actions.append(action)
    for view in views.values():
        view.unseen = goal_warnings(access, view.goal, view.actions)
    return PlanView(
        plan, dict(sections), list(views.values()),
        t_scores=t_score_history(goals, scores), limit_warning=_limit_warning(access, active),
        without_casusregisseur=not any(p.role == Role.CASUSREGISSEUR.value for p in access.participants),
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


def _with_actions(access: Access, views: list[GoalView]) -> list[GoalView]:
    by_goal = {view.goal.id: view for view in views}
    actions = access.load_visible(
        access.select_visible(Action)
        .where(Action.goal_id.in_(list(by_goal)))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    for action in actions:
        by_goal[action.goal_id].actions.append(action)
    for view in views:
        view.unseen = goal_warnings(access, view.goal, view.actions)
    return views


def goal_view(access: Access, goal: Goal) -> GoalView:
    """One goal with the actions this viewer may see (for the goal fragment)."""
    return _with_actions(access, [GoalView(goal)])[0]
