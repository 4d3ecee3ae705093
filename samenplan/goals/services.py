"""Goals and actions: every change is checked against the policy, recorded with who and
when (the access's `now`: the moment of the request, or of the demo's history), logged in
the audit trail, and committed here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from samenplan.families.models import Person
from samenplan.domain.goals import status_change_refusal
from samenplan.domain.i18n import _
from samenplan.goals.models import Action, Goal, GoalStatusChange
from samenplan.plans.models import Plan
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Widening  # noqa: F401 - goals.views catches it here
from samenplan.domain.vocabulary import GoalStatus
from samenplan.privacy.facts import Role
from samenplan.records.history import check_version, saving


class Invalid(Exception):
    """Input that cannot be saved; the message (Dutch) is shown to the user."""


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
    goal_type: str = "persoonlijk"
    indicator: str = ""
    version: int | None = None  # the version the form was loaded at (None: a new goal)
    status_reason: str = ""


def _persons(access: Access, ids: list[int]) -> list[Person]:
    persons = [p for p in access.persons if p.id in set(ids)]
    if len(persons) != len(set(ids)):
        raise NotAllowed("subject outside this family")
    return persons


def _check_owner(access: Access, participant_id: int | None, current: int | None = None) -> None:
    """An owner or assignee must be someone the viewer may know takes part (or stay as is)."""
    if participant_id is None or participant_id == current:
        return
    if participant_id not in {p.id for p in access.visible_participants}:
        raise NotAllowed("owner outside what this viewer may know of the plan")


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
    goal.status_changes.append(GoalStatusChange(
        old_status=None, new_status=goal.status, changed_at=access.now, changed_by_id=access.user.id,
    ))
    access.session.add(goal)
    access.session.flush()
    access.queue(access.event("create", goal, policy.AUTHOR))
    access.session.commit()
    return goal


def update_goal(access: Access, goal: Goal, data: GoalInput) -> Goal:
    decision = access.can_edit(goal, policy.GOAL)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    check_version(goal, data.version)
    _check_owner(access, data.owner_participant_id, goal.owner_participant_id)
    old_status = goal.status
    refusal = status_change_refusal(old_status, data.status, data.status_reason,
                                    role=access.viewer.role)
    if refusal is not None:
        raise Invalid(refusal)
    _refuse_widening(access, goal, data)
    with saving(access.session, goal):
        _apply(access, goal, data)
        if goal.status != old_status:
            goal.status_reason = data.status_reason.strip()[:1000]
            goal.status_changes.append(GoalStatusChange(
                old_status=old_status, new_status=goal.status, changed_at=access.now,
                changed_by_id=access.user.id,
            ))
        goal.updated_by_id = access.user.id
        goal.updated_at = access.now
        access.session.flush()  # the goal first: a newer version stops the save here
        access.queue(access.event("update", goal, decision))
        access.session.commit()
    return goal


def _refuse_widening(access: Access, goal: Goal, data: GoalInput) -> None:
    """DESIGN.md §3: widening needs someone who may consent for every subject (the door
    decides: `Access.refuse_widening` raises Widening); narrowing is always allowed."""
    access.refuse_widening(goal, data.subject_ids, data.category)


def _apply(access: Access, goal: Goal, data: GoalInput) -> None:
    goal.title = data.title.strip()
    goal.description = (data.description or "").strip()
    subjects = _persons(access, data.subject_ids)
    inherited = goal.privacy_from_id is not None and (
        {p.id for p in subjects} == {p.id for p in goal.effective_subjects}
        and data.category == goal.effective_category
    )
    if not inherited:  # a sub-goal given other subjects or category has its own from now on
        goal.privacy_source = None
        goal.subjects = subjects
        goal.category = data.category
    goal.life_domain = data.life_domain
    goal.status = data.status
    goal.owner_participant_id = data.owner_participant_id
    goal.start_date = data.start_date
    goal.end_date = data.end_date
    goal.goal_type = data.goal_type
    goal.indicator = (data.indicator or "").strip()


def add_action(
    access: Access, goal: Goal, what: str, assignee_id: int | None, due_date: date | None,
    *, evaluation_id: int | None = None,
) -> Action:
    decision = access.can_edit(goal, policy.ACTION)
    if not decision.allowed or access.viewer.role is Role.NETWORK:
        raise NotAllowed("may not add actions to this goal")
    _check_owner(access, assignee_id)
    action = Action(
        family_id=access.family_id, goal=goal, what=what.strip(), privacy_source=goal.privacy_owner,
        assignee_participant_id=assignee_id, due_date=due_date, evaluation_id=evaluation_id,
        author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
    )
    access.session.add(action)
    access.session.flush()
    access.queue(access.event("create", action, policy.AUTHOR))
    access.session.commit()
    return action


def set_action_done(access: Access, action: Action, done: bool, version: int | None) -> Action:
    """Tick or untick, from the state the viewer saw (`version`): a tick from an older state
    changes nothing and answers with the action as it is now (Stale)."""
    decision = access.can_edit(action, policy.ACTION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    if access.viewer.role is Role.NETWORK and action.assignee_participant_id != access.participant.id:
        raise NotAllowed("network members tick only their own actions")
    check_version(action, version)
    with saving(access.session, action):
        action.done_at = access.now if done else None
        action.done_by_id = access.user.id if done else None
        action.updated_by_id = access.user.id
        action.updated_at = access.now
        access.queue(access.event("update", action, decision, params={"done": done}))
        access.session.commit()
    return action


def may_add_action(access: Access, goal: Goal) -> bool:
    return access.viewer.role is not Role.NETWORK and access.can_edit(goal, policy.ACTION).allowed


def may_tick(access: Access, action: Action) -> bool:
    if not access.can_edit(action, policy.ACTION).allowed:
        return False
    if access.viewer.role is Role.NETWORK:
        return action.assignee_participant_id == access.participant.id
    return True


# --- issue 4: lifecycle, ordering, agreement, GAS, scaling, sub-goals ---------------------
def _require_edit(access: Access, goal: Goal) -> policy.Decision:
    decision = access.can_edit(goal, policy.GOAL)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    return decision


def change_status(
    access: Access, goal: Goal, new_status: str, reason: str, version: int | None,
    *, at_evaluation: bool = False,
) -> None:
    """Move a goal along its lifecycle; every change is dated, attributed and has a reason.
    *Behaald* and *gestopt* are decided at an evaluation (`at_evaluation`, for the evaluation
    service to come); outside one only the casusregisseur may (domain.goals)."""
    decision = _require_edit(access, goal)
    check_version(goal, version)
    if new_status == goal.status:
        return
    refusal = status_change_refusal(goal.status, new_status, reason, role=access.viewer.role,
                                    at_evaluation=at_evaluation)
    if refusal is not None:
        raise Invalid(refusal)
    reason = reason.strip()
    with saving(access.session, goal):
        goal.status_changes.append(GoalStatusChange(
            old_status=goal.status, new_status=new_status, changed_at=access.now,
            changed_by_id=access.user.id,
        ))
        goal.status, goal.status_reason = new_status, reason[:1000]
        goal.updated_by_id, goal.updated_at = access.user.id, access.now
        access.queue(access.event("update", goal, decision, params={"status": new_status}))
        access.session.commit()


def move_goal(access: Access, goal: Goal, direction: int) -> None:
    """Move a goal past the nearest goal the viewer can see, up (-1) or down (+1)."""
    _require_edit(access, goal)
    siblings = Goal.parent_id == goal.parent_id if goal.parent_id else Goal.parent_id.is_(None)
    stmt = access.select_visible(Goal).where(
        Goal.plan_id == goal.plan_id, siblings, Goal.id != goal.id,
        Goal.priority < goal.priority if direction < 0 else Goal.priority > goal.priority,
    ).order_by(Goal.priority.desc() if direction < 0 else Goal.priority)
    neighbour = access.session.scalars(stmt.limit(1)).first()
    if neighbour is None:
        return
    # place it just before (up) or after (down) the neighbour this viewer sees; goals hidden
    # from the viewer keep their order among themselves
    order = list(access.session.scalars(
        select(Goal).where(Goal.plan_id == goal.plan_id, siblings).order_by(Goal.priority, Goal.id)
    ))
    order.remove(goal)
    at = order.index(neighbour) + (0 if direction < 0 else 1)
    order.insert(at, goal)
    for position, item in enumerate(order, 1):
        item.priority = position
    access.queue(access.event("update", goal, params={"fields": ["priority"]}))
    access.session.commit()


def set_agreement(
    access: Access, goal: Goal, agrees: bool, reason: str, version: int | None,
) -> None:
    """Akkoord or niet akkoord with the goal as the viewer read it (`version`): when the goal
    changed since, nothing is saved (Stale) and they see what changed first."""
    from samenplan.goals.models import GoalAgreement

    decision = access.decide(goal)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    check_version(goal, version)
    reason = (reason or "").strip()
    if not agrees and not reason:
        raise Invalid(_("Schrijf op waarom je het er niet mee eens bent."))
    existing = next((a for a in goal.agreements if a.participant_id == access.participant.id), None)
    if existing is None:
        goal.agreements.append(GoalAgreement(
            participant_id=access.participant.id, agrees=agrees, reason=reason, at=access.now
        ))
    else:
        existing.agrees, existing.reason, existing.at = agrees, reason, access.now
    access.queue(access.event("agree", goal, decision, params={"agrees": agrees}))
    access.session.commit()


def save_ladder(
    access: Access, goal: Goal, descriptions: dict[int, str], baseline: int | None,
    weight: int | None, indicator: str, version: int | None, *, start: str | None = None,
) -> str | None:
    """The goal's ladder: the five levels, the start in words (`start`; None keeps it) and the
    step it is on (`baseline`), and the weight (`weight`; None keeps it). The weight is for
    professionals only: nobody else sees it, so nobody else changes it. Returns a warning
    (Dutch) when the start is put where it cannot be (domain.gas.start_warning); the save
    stands."""
    from samenplan.domain.gas import LEVELS, start_warning
    from samenplan.goals.models import GasLevel

    decision = _require_edit(access, goal)
    check_version(goal, version)
    if weight is None:
        weight = goal.gas_weight
    elif weight != goal.gas_weight and not access.viewer.role.is_professional:
        raise NotAllowed("only professionals weigh goals")
    if not 1 <= weight <= 10:
        raise Invalid(_("Het gewicht is een getal van 1 tot en met 10."))
    if baseline is not None and baseline not in LEVELS:
        raise Invalid(_("Kies bij welke stap de start hoort: −2 tot en met +2."))
    with saving(access.session, goal):
        goal.updated_by_id, goal.updated_at = access.user.id, access.now
        access.session.flush()  # the goal's version first: a newer one stops the save here
        by_level = {g.level: g for g in goal.gas_levels}
        for level in LEVELS:
            text = (descriptions.get(level) or "").strip()
            if level in by_level:
                by_level[level].description = text
            elif text:
                goal.gas_levels.append(GasLevel(level=level, description=text))
        goal.gas_baseline, goal.gas_weight = baseline, weight
        if start is not None:
            goal.gas_start = start.strip()[:2000]
        goal.indicator = (indicator or "").strip()
        access.queue(access.event("update", goal, decision, params={"fields": ["gas_levels"]}))
        access.session.commit()
    return start_warning(baseline)


def ladder_of(goal: Goal) -> dict[int, str]:
    return {g.level: g.description for g in goal.gas_levels}


def score_gas(access: Access, goal: Goal, level: int, on: date, note: str, *,
              evaluation_id: int | None = None):
    from samenplan.domain.gas import LEVELS, ladder_is_scorable
    from samenplan.goals.models import GasScore

    _require_edit(access, goal)
    if not ladder_is_scorable(ladder_of(goal)):
        raise Invalid(_("Beschrijf eerst niveau −1 en 0 van de ladder."))
    if level not in LEVELS:
        raise Invalid(_("Kies een niveau van −2 tot en met +2."))
    score = GasScore(
        family_id=access.family_id, goal_id=goal.id, level=level, scored_on=on,
        note=(note or "").strip(), privacy_source=goal.privacy_owner, evaluation_id=evaluation_id,
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id,
    )
    access.session.add(score)
    access.session.flush()
    access.queue(access.event("create", score, policy.AUTHOR))
    access.session.commit()
    return score


def answer_scaling(access: Access, goal: Goal, answers: dict[str, tuple[int, str, str]], on: date,
                   *, evaluation_id: int | None = None, for_person=None):
    """Each participant who can see the goal answers for themself (never for someone else): a
    family member on voortgang, motivatie and vertrouwen; network and professionals on
    voortgang only (domain.scaling.questions_for). Anything else is refused, nothing saved.
    The one exception: at the table the casusregisseur enters the answer of a child of this
    family without a login (`for_person`, the child's own answer, marked as entered by them);
    it is a family member's, so all three questions."""
    from samenplan.domain.scaling import QUESTION_KEYS, questions_for, validate_score
    from samenplan.goals.models import ScalingAnswer

    decision = access.decide(goal)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    if not answers:
        raise Invalid(_("Kies voor minstens één vraag een cijfer van 0 tot en met 10."))
    if any(question not in QUESTION_KEYS for question in answers):
        raise Invalid("Onbekende vraag.")
    if for_person is not None:
        from samenplan.safety.services import children_without_login

        if (access.viewer.role is not Role.CASUSREGISSEUR
                or for_person.id not in {p.id for p in children_without_login(access)}):
            raise NotAllowed("only the casusregisseur enters a child's answer")
    role = Role.FAMILY if for_person is not None else access.viewer.role
    if any(question not in questions_for(role) for question in answers):
        raise Invalid(_("Hoe graag het gezin wil en hoeveel vertrouwen het heeft, vraag je het "
                        "gezin zelf. Jij beantwoordt alleen: hoe gaat het met dit doel?"))
    created = []
    for question, (score, why, higher) in answers.items():
        created.append(ScalingAnswer(
            family_id=access.family_id, goal_id=goal.id, question=question,
            score=validate_score(score), why_not_zero=(why or "").strip(),
            one_higher=(higher or "").strip(), answered_on=on, privacy_source=goal.privacy_owner,
            evaluation_id=evaluation_id,
            respondent_person_id=for_person.id if for_person is not None else None,
            author_participant_id=access.participant.id,
            created_by_id=access.user.id, updated_by_id=access.user.id,
        ))
    access.session.add_all(created)
    access.session.flush()
    for answer in created:
        access.queue(access.event("create", answer, policy.AUTHOR))
    access.session.commit()
    return created


def add_sub_goal(access: Access, parent: Goal, title: str) -> Goal:
    """A tussendoel under a goal, a werkpunt under a tussendoel; same subjects and category."""
    _require_edit(access, parent)
    if parent.level.below is None:
        raise Invalid(_("Onder een werkpunt kan geen nieuw doel."))
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Schrijf het tussendoel op."))
    last = access.session.scalar(select(func.max(Goal.priority)).where(Goal.parent_id == parent.id))
    child = Goal(
        family_id=access.family_id, plan_id=parent.plan_id, parent_id=parent.id,
        level=parent.level.below,
        title=title[:300], life_domain=parent.life_domain, status=GoalStatus.ACTIVE,
        start_date=parent.start_date, end_date=parent.end_date, priority=(last or 0) + 1,
        privacy_source=parent.privacy_owner,
        owner_participant_id=parent.owner_participant_id,
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id,
    )
    access.session.add(child)
    access.session.flush()
    access.queue(access.event("create", child, policy.AUTHOR))
    access.session.commit()
    return child


def rename_sub_goal(access: Access, goal: Goal, title: str, version: int | None) -> None:
    """A new title for a sub-goal (or work point), from the version the viewer saw: a save
    from an older one changes nothing (Stale) and gets the merge screen."""
    decision = _require_edit(access, goal)
    check_version(goal, version)
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Schrijf het tussendoel op."))
    with saving(access.session, goal):
        goal.title = title[:300]
        goal.updated_by_id, goal.updated_at = access.user.id, access.now
        access.session.flush()  # a newer version stops the save here
        access.queue(access.event("update", goal, decision, params={"fields": ["title"]}))
        access.session.commit()
