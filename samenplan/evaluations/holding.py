"""Holding an evaluation at the table and closing it (issue 12 items 3 and 4; DESIGN §2
"Evaluations"). The casusregisseur opens a planned evaluation ("bezig"), and then saves each
part on its own (attendance, per goal a step on the ladder, scaling answers, a decision with
its reason, new actions, the next date), so a phone that locks loses at most the part being
typed. Closing it freezes a plan version (evaluations/versions.py) and tells everyone who may
read the evaluation that the report is ready.

The parts reuse the services that exist: a score is `goals.services.score_gas`, an answer
`goals.services.answer_scaling`, a new action `goals.services.add_action`, the goal's status
`goals.services.change_status` (a decision is an evaluation's, so it may end a goal), the next
date `evaluations.services.plan`. Each function checks the chair's right through the door and
commits once (the reused service's commit is the request's one commit)."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import EvaluationDecision, EvaluationStatus
from samenplan.evaluations import services
from samenplan.evaluations.models import Evaluation, GoalDecision
from samenplan.evaluations.services import Invalid, NotAllowed
from samenplan.goals import services as goals
from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.records.history import check_version, saving

#: what the services say when the viewer may not do it (views answer 404)
REFUSED = (NotAllowed, goals.NotAllowed)

__all__ = ["REFUSED", "Invalid", "NotAllowed", "add_action", "answer", "close", "decide", "plan_next",
           "score", "set_attendance", "start"]


def may_chair(access: Access, evaluation: Evaluation) -> bool:
    """Only the casusregisseur holds an evaluation (the right to change evaluations)."""
    return access.can_edit(evaluation, policy.EVALUATION).allowed


def _require_chair(access: Access, evaluation: Evaluation) -> policy.Decision:
    decision = access.can_edit(evaluation, policy.EVALUATION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    return decision


def _require_holding(access: Access, evaluation: Evaluation) -> policy.Decision:
    decision = _require_chair(access, evaluation)
    if evaluation.status != EvaluationStatus.IN_PROGRESS:
        raise NotAllowed("the evaluation is not being held")
    return decision


def _goal_in_family(access: Access, goal: Goal) -> None:
    if goal.family_id != access.family_id or goal.parent_id is not None:
        raise NotAllowed("not a goal of this plan")


def day_of(evaluation: Evaluation) -> date:
    """The evaluation's day, in Europe/Amsterdam."""
    return services.to_local(evaluation.starts_at).date()


def start(access: Access, evaluation: Evaluation, version: int | None) -> Evaluation:
    """"Evaluatie houden": a planned evaluation is now being held."""
    decision = _require_chair(access, evaluation)
    if evaluation.status == EvaluationStatus.IN_PROGRESS:
        return evaluation
    if evaluation.status != EvaluationStatus.PLANNED:
        raise NotAllowed("only a planned evaluation can be held")
    check_version(evaluation, version)
    with saving(access.session, evaluation):
        evaluation.status = EvaluationStatus.IN_PROGRESS
        if not evaluation.attendee_ids:
            evaluation.attendee_ids = _coming(access, evaluation)
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", evaluation, decision, params={"status": "bezig"}))
        access.session.commit()
    return evaluation


def _coming(access: Access, evaluation: Evaluation) -> list[int]:
    """Who said they come: the first guess at who is there."""
    from samenplan.evaluations.models import EvaluationAnswer
    from samenplan.domain.vocabulary import EvaluationReply

    return sorted(access.session.scalars(select(EvaluationAnswer.participant_id).where(
        EvaluationAnswer.evaluation_id == evaluation.id,
        EvaluationAnswer.reply == EvaluationReply.COMING)))


def set_attendance(access: Access, evaluation: Evaluation, participant_ids: list[int],
                   version: int | None) -> Evaluation:
    """Who was there: participants of this family the chair may know of (any other id is
    refused, nothing saved); from the version the chair saw (else Stale)."""
    decision = _require_holding(access, evaluation)
    check_version(evaluation, version)
    known = {p.id for p in access.visible_participants}
    wanted = sorted({int(i) for i in participant_ids})
    if any(i not in known for i in wanted):
        raise NotAllowed("attendee outside what this viewer may know of the plan")
    # attendees the chair may not know of (none, for a chair) stay as they were
    kept = [i for i in (evaluation.attendee_ids or []) if i not in known]
    with saving(access.session, evaluation):
        evaluation.attendee_ids = sorted(set(wanted) | set(kept))
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", evaluation, decision, params={"fields": ["attendee_ids"]}))
        access.session.commit()
    return evaluation


def score(access: Access, evaluation: Evaluation, goal: Goal, level: int, note: str = "") -> GasScore:
    """The step on the goal's ladder at this evaluation (a GasScore linked to it)."""
    _require_holding(access, evaluation)
    _goal_in_family(access, goal)
    return goals.score_gas(access, goal, level, day_of(evaluation), note,
                           evaluation_id=evaluation.id)


def children_answering(access: Access, goal: Goal) -> list:
    """The children without a login this goal is about: the chair may enter their answer."""
    from samenplan.safety.services import children_without_login

    about = {p.id for p in goal.effective_subjects}
    return [p for p in children_without_login(access) if p.id in about]


def answer_choices(access: Access, goal: Goal) -> list[tuple[str, str]]:
    """For whom the chair fills in the scaling questions about `goal`: herself, and each child
    it is about who has no login (their own answer, entered by her)."""
    from flask_babel import gettext

    return [("zelf", gettext("Jij zelf")), *[
        (f"person:{p.id}", gettext("%(name)s (jij vult het in voor %(name)s)", name=p.first_name))
        for p in children_answering(access, goal)]]


def answer(access: Access, evaluation: Evaluation, goal: Goal, respondent: str,
           answers: dict[str, tuple[int, str, str]]) -> list[ScalingAnswer]:
    """Scaling answers at the table: the chair's own (voortgang), or those of a child the goal
    is about who has no login ("person:<id>"), through the one scaling service."""
    _require_holding(access, evaluation)
    _goal_in_family(access, goal)
    child = None
    if respondent != "zelf":
        kind, _sep, raw = (respondent or "").partition(":")
        child = next((p for p in children_answering(access, goal)
                      if kind == "person" and str(p.id) == raw), None)
        if child is None:
            raise NotAllowed("no such child without a login")
    return goals.answer_scaling(access, goal, answers, day_of(evaluation),
                                evaluation_id=evaluation.id, for_person=child)


def decision_of(access: Access, evaluation: Evaluation, goal: Goal) -> GoalDecision | None:
    return access.session.scalar(select(GoalDecision).where(
        GoalDecision.evaluation_id == evaluation.id, GoalDecision.goal_id == goal.id))


def decide(access: Access, evaluation: Evaluation, goal: Goal, code: str, note: str,
           version: int | None) -> GoalDecision:
    """The decision about one goal, with its reason. It changes the goal's status through the
    goal's own status service (afronden: behaald, stoppen: gestopt, pauzeren: gepauzeerd;
    doorgaan and aanpassen wake a paused goal), the note being the reason. A decision already
    made is changed from the version the chair saw (`version`; else Stale)."""
    _require_holding(access, evaluation)
    _goal_in_family(access, goal)
    goal_decision = access.can_edit(goal, policy.GOAL)
    if not goal_decision.allowed:
        raise NotAllowed(goal_decision.ground)
    parsed = EvaluationDecision.parse(code)
    if parsed is None:
        raise Invalid("decision", _("Kies wat jullie besluiten over dit doel."))
    note = (note or "").strip()[:2000]
    existing = decision_of(access, evaluation, goal)
    target = parsed.goal_status
    if target == goal.status or (target.value == "actief" and goal.status != "gepauzeerd"):
        target = None
    if target is not None and not note:
        raise Invalid("note", _("Schrijf op waarom jullie dit besluiten."))
    if existing is None:
        record = GoalDecision(
            family_id=access.family_id, evaluation_id=evaluation.id, goal_id=goal.id,
            decision=parsed, note=note, privacy_source=goal.privacy_owner,
            author_participant_id=access.participant.id, created_by_id=access.user.id,
            updated_by_id=access.user.id, created_at=access.now, updated_at=access.now)
        access.session.add(record)
        action = "create"
    else:
        check_version(existing, version)
        record = existing
        record.decision, record.note = parsed, note
        record.updated_by_id, record.updated_at = access.user.id, access.now
        action = "update"
    with saving(access.session, record):
        access.session.flush()
    access.queue(access.event(action, record, goal_decision, params={"decision": parsed.value}))
    if target is None:
        access.session.commit()
        return record
    try:
        goals.change_status(access, goal, target, note, goal.version, at_evaluation=True)
    except goals.Invalid as exc:
        raise Invalid("decision", str(exc)) from None
    return record


def add_action(access: Access, evaluation: Evaluation, goal: Goal, what: str,
               assignee_id: int | None, due: date | None) -> Action:
    """A new action agreed at the table (the one add-action service, linked to the evaluation)."""
    _require_holding(access, evaluation)
    _goal_in_family(access, goal)
    if not (what or "").strip():
        raise Invalid("what", _("Schrijf op wat er moet gebeuren."))
    return goals.add_action(access, goal, what[:500], assignee_id, due,
                            evaluation_id=evaluation.id)


def plan_next(access: Access, evaluation: Evaluation, day: date | None, at: time | None,
              place: str, video_url: str = "", invitee_ids: list[int] | None = None) -> Evaluation:
    """The next date, with the same invitees unless others are named (the one planning
    service, which checks them)."""
    _require_holding(access, evaluation)
    active = {p.id for p in access.participants}
    invitees = invitee_ids if invitee_ids is not None else [
        i for i in (evaluation.invitee_ids or []) if i in active]
    return services.plan(access, services.EvaluationInput(
        day=day, at=at, place=place or "", video_url=video_url or "", invitee_ids=invitees))


def close(access: Access, evaluation: Evaluation, version: int | None):
    """"Evaluatie afsluiten": held. Freezes the plan as it is now into a new plan version, and
    tells everyone who may read the evaluation that its report is ready."""
    from samenplan.evaluations.versions import freeze
    from samenplan.notices.services import notify

    decision = _require_holding(access, evaluation)
    check_version(evaluation, version)
    with saving(access.session, evaluation):
        evaluation.status = EvaluationStatus.HELD
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
    plan_version = freeze(access, evaluation)
    access.queue(access.event("update", evaluation, decision,
                              params={"status": "gehouden", "plan_version": plan_version.number}))
    readers = access.readers_of(access.record_facts(evaluation))
    notify(access.session, [p.user_id for p in readers], kind="evaluation_report",
           params={"day": day_of(evaluation).isoformat()},
           link=f"/gezin/{access.family_id}/evaluaties/{evaluation.id}/verslag",
           now=access.now, family_id=access.family_id, actor_user_id=access.user.id)
    access.session.commit()
    return plan_version
