"""Goals and actions: every change is checked against the policy, recorded with who and
when, logged in the audit trail, and committed here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from samenplan.db import utcnow
from samenplan.families.models import Person
from samenplan.goals.models import Action, Goal
from samenplan.plans.models import Plan
from samenplan.privacy import audit, policy
from samenplan.privacy.access import Access


class NotAllowed(Exception):
    """The viewer may not do this. Views answer 404, so nothing leaks about the record."""


@dataclass
class GoalInput:
    title: str
    description: str
    subject_ids: list[int]
    category: str
    life_domain: str
    status: str
    owner_participant_id: int | None
    start_date: date | None
    end_date: date | None


def _persons(access: Access, ids: list[int]) -> list[Person]:
    persons = [p for p in access.persons if p.id in set(ids)]
    if len(persons) != len(set(ids)):
        raise NotAllowed("subject outside this family")
    return persons


def _check_owner(access: Access, participant_id: int | None) -> None:
    if participant_id is not None and participant_id not in {p.id for p in access.participants}:
        raise NotAllowed("owner outside this family")


def create_goal(access: Access, data: GoalInput) -> Goal:
    if not access.may_create(policy.GOAL):
        raise NotAllowed("role may not add goals")
    _check_owner(access, data.owner_participant_id)
    plan = access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))
    last = access.session.scalar(select(func.max(Goal.priority)).where(Goal.plan_id == plan.id))
    goal = Goal(
        family_id=access.family_id, plan_id=plan.id, author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
        priority=(last or 0) + 1,
    )
    _apply(access, goal, data)
    access.session.add(goal)
    access.session.flush()
    audit.append(access.session, [access.event("create", goal, ground=policy.AUTHOR)])
    access.session.commit()
    return goal


def update_goal(access: Access, goal: Goal, data: GoalInput) -> Goal:
    decision = access.can_edit(goal, policy.GOAL)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    _check_owner(access, data.owner_participant_id)
    _apply(access, goal, data)
    goal.updated_by_id = access.user.id
    goal.updated_at = utcnow()
    for action in goal.actions:  # actions follow their goal unless they have their own
        if not action.own_privacy:
            action.subjects = list(goal.subjects)
            action.category = goal.category
    audit.append(access.session, [
        access.event("update", goal, ground=decision.ground, detail=decision.detail)
    ])
    access.session.commit()
    return goal


def _apply(access: Access, goal: Goal, data: GoalInput) -> None:
    goal.title = data.title.strip()
    goal.description = (data.description or "").strip()
    goal.subjects = _persons(access, data.subject_ids)
    goal.category = data.category
    goal.life_domain = data.life_domain
    goal.status = data.status
    goal.owner_participant_id = data.owner_participant_id
    goal.start_date = data.start_date
    goal.end_date = data.end_date


def add_action(
    access: Access, goal: Goal, what: str, assignee_id: int | None, due_date: date | None
) -> Action:
    decision = access.can_edit(goal, policy.ACTION)
    if not decision.allowed or access.viewer.role.value == "network":
        raise NotAllowed("may not add actions to this goal")
    _check_owner(access, assignee_id)
    action = Action(
        family_id=access.family_id, goal=goal, what=what.strip(),
        assignee_participant_id=assignee_id, due_date=due_date,
        category=goal.category, subjects=list(goal.subjects),
        author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
    )
    access.session.add(action)
    access.session.flush()
    audit.append(access.session, [access.event("create", action, ground=policy.AUTHOR)])
    access.session.commit()
    return action


def set_action_done(access: Access, action: Action, done: bool) -> Action:
    decision = access.can_edit(action, policy.ACTION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    if access.viewer.role.value == "network" and action.assignee_participant_id != access.participant.id:
        raise NotAllowed("network members tick only their own actions")
    action.done_at = utcnow() if done else None
    action.done_by_id = access.user.id if done else None
    action.updated_by_id = access.user.id
    action.updated_at = utcnow()
    audit.append(access.session, [
        access.event("update", action, ground=decision.ground,
                     detail="klaar" if done else "niet klaar")
    ])
    access.session.commit()
    return action


def may_add_action(access: Access, goal: Goal) -> bool:
    return access.viewer.role.value != "network" and access.can_edit(goal, policy.ACTION).allowed


def may_tick(access: Access, action: Action) -> bool:
    if not access.can_edit(action, policy.ACTION).allowed:
        return False
    if access.viewer.role.value == "network":
        return action.assignee_participant_id == access.participant.id
    return True
