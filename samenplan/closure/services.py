"""The one place that changes the plan's phase (issue 13 items 2 and 4; DESIGN §2 "Closure"):
pause (a reason and a day to look again), resume (with a word), close (afronding: only when
every check passes; a final plan version is frozen, and the report of the evaluation it comes
from is the final report), reopen (with a reason). Every change appends a `PlanPhaseChange`
(the history: "Wat is er veranderd?"). Only the casusregisseur changes the phase (anyone
else: NotAllowed, which the views answer with 404). Each function commits once.

Also here: what the closing checks need that the plan had no place for — the family having
gone through the relapse plan, each family member's akkoord, and ending an open action that is
not done (cancelled with a reason, or handed over to someone)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from samenplan.closure.models import ClosureAgreement, RelapsePlanReview
from samenplan.domain.ages import age_on, local_day
from samenplan.domain.i18n import Message, _
from samenplan.domain.vocabulary import (
    ActionEnding, EvaluationStatus, GoalStatus, PlanPhase, Role, SectionKind,
)
from samenplan.families.models import Participant, Person
from samenplan.goals.models import Action, Goal
from samenplan.plans.models import Plan, PlanPhaseChange, PlanSection
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.records.history import check_version, saving

#: who may agree to closing: family members of this age and older (004 L1626: akkoord per
#: gezinslid van 12+); younger children's say is their parents'
AGREEING_AGE = 12
#: a goal in these states needs no decision before closing
FINAL_GOAL = (GoalStatus.ACHIEVED, GoalStatus.STOPPED)


class NotAllowed(Exception):
    """Not the casusregisseur, or not for this viewer (the views answer 404)."""


class Invalid(Exception):
    """The input does not do (the form shows `message` at `field`)."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


class Refused(Exception):
    """The plan cannot change phase now (the screen says why; nothing is lost)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- reading the phase ---------------------------------------------------------------------
def plan_of(access: Access) -> Plan:
    return access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))


def last_change(plan: Plan) -> PlanPhaseChange | None:
    return plan.phase_changes[-1] if plan.phase_changes else None


def _since_reopened(plan: Plan) -> datetime | None:
    """When the plan last reopened: what was agreed before that counts no more."""
    reopened = [c.changed_at for c in plan.phase_changes if c.old_phase is PlanPhase.CLOSED]
    return reopened[-1] if reopened else None


def is_chair(access: Access) -> bool:
    return access.viewer.role is Role.CASUSREGISSEUR


def require_chair(access: Access) -> None:
    if not is_chair(access):
        raise NotAllowed("only the casusregisseur changes the plan's phase")


def _change(access: Access, plan: Plan, new: PlanPhase, reason: str = "",
            look_again_on: date | None = None) -> PlanPhaseChange:
    change = PlanPhaseChange(plan=plan, old_phase=plan.phase, new_phase=new, reason=reason,
                             look_again_on=look_again_on, changed_at=access.now,
                             changed_by_id=access.user.id)
    access.session.add(change)
    plan.phase = new
    access.queue(access.event("phase", params={"from": change.old_phase.value if change.old_phase
                                               else "", "to": new.value}))
    return change


def _words(value: str | None, field_name: str, message, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(field_name, message)
    return text[:limit]


# --- pausing and resuming (004 L1833-1836) -------------------------------------------------
def pause(access: Access, reason: str, look_again_on: date | None) -> PlanPhaseChange:
    require_chair(access)
    plan = plan_of(access)
    if plan.phase is not PlanPhase.RUNNING:
        raise Refused(_("Alleen een lopend plan kan stil komen te staan."))
    reason = _words(reason, "reason", _("Schrijf op waarom de hulp stil komt te staan."))
    if look_again_on is None:
        raise Invalid("look_again_on", _("Kies de dag waarop jullie weer kijken."))
    if look_again_on <= local_day(access.now):
        raise Invalid("look_again_on", _("Kies een dag na vandaag."))
    change = _change(access, plan, PlanPhase.PAUSED, reason, look_again_on)
    access.session.commit()
    return change


def resume(access: Access, word: str) -> PlanPhaseChange:
    require_chair(access)
    plan = plan_of(access)
    if plan.phase is not PlanPhase.PAUSED:
        raise Refused(_("De hulp staat niet stil."))
    word = _words(word, "reason", _("Schrijf in een paar woorden waarom de hulp weer verder gaat."))
    change = _change(access, plan, PlanPhase.RUNNING, word)
    access.session.commit()
    return change


def reopen(access: Access, reason: str) -> PlanPhaseChange:
    """A closed plan is editable again; why is its history."""
    require_chair(access)
    plan = plan_of(access)
    if plan.phase is not PlanPhase.CLOSED:
        raise Refused(_("Dit plan is niet afgerond."))
    reason = _words(reason, "reason", _("Schrijf op waarom het plan weer opengaat."))
    change = _change(access, plan, PlanPhase.RUNNING, reason)
    _tell_everyone(access, "plan_reopened")
    access.session.commit()
    return change


def _tell_everyone(access: Access, kind: str) -> None:
    """The plan's phase is shown to every participant: all are told (no details in it)."""
    from samenplan.notices.services import notify

    notify(access.session, [p.user_id for p in access.participants], kind=kind, params={},
           link=f"/gezin/{access.family_id}", now=access.now, family_id=access.family_id,
           actor_user_id=access.user.id)


# --- what closing needs --------------------------------------------------------------------
def agreeing_persons(access: Access) -> list[Person]:
    today = local_day(access.now)
    return [p for p in access.persons if age_on(p.date_of_birth, today) >= AGREEING_AGE]


def agreements(access: Access, plan: Plan) -> dict[int, ClosureAgreement]:
    """Person id -> their latest say since the plan last reopened."""
    stmt = select(ClosureAgreement).where(ClosureAgreement.plan_id == plan.id)
    since = _since_reopened(plan)
    if since is not None:
        stmt = stmt.where(ClosureAgreement.recorded_at > since)
    latest: dict[int, ClosureAgreement] = {}
    for row in access.session.scalars(stmt.order_by(ClosureAgreement.id)):
        latest[row.person_id] = row
    return latest


def may_agree_for(access: Access, person: Person) -> bool:
    """A family member of 12+ for themselves (on their own phone); the casusregisseur for any
    of them, at the table."""
    if person not in agreeing_persons(access):
        return False
    return is_chair(access) or (access.viewer.role is Role.FAMILY
                                and access.participant.person_id == person.id)


def agree(access: Access, person_id: int | None, agrees: bool, reason: str) -> ClosureAgreement:
    plan = plan_of(access)
    if plan.phase is PlanPhase.CLOSED:
        raise Refused(_("Dit plan is al afgerond."))
    person = next((p for p in access.persons if p.id == person_id), None)
    if person is None or not may_agree_for(access, person):
        raise NotAllowed("not someone this viewer may agree for")
    at_table = access.participant.person_id != person.id
    if not agrees:
        reason = _words(reason, "reason", _("Schrijf op waarom je het er niet mee eens bent."))
    row = ClosureAgreement(plan_id=plan.id, person_id=person.id, agrees=agrees,
                           reason=(reason or "").strip()[:2000], at_table=at_table,
                           recorded_at=access.now, recorded_by_id=access.user.id)
    access.session.add(row)
    access.queue(access.event("closure_agreement", params={
        "person": person.id, "agrees": agrees, "at_table": at_table}))
    if at_table:  # "recorded at the table": the member is told, and sees who recorded it
        from samenplan.notices.services import notify

        users = [p.user_id for p in access.participants if p.person_id == person.id]
        notify(access.session, users, kind="closure_agreement_recorded",
               params={"agrees": agrees}, link=f"/gezin/{access.family_id}/afronden",
               now=access.now, family_id=access.family_id, actor_user_id=access.user.id)
    access.session.commit()
    return row


def propose(access: Access) -> None:
    """"Voorstel: het plan afronden": each family member of 12+ with a login is asked for their
    akkoord (a notification; no details in it)."""
    from samenplan.notices.services import notify

    require_chair(access)
    plan = plan_of(access)
    if plan.phase is PlanPhase.CLOSED:
        raise Refused(_("Dit plan is al afgerond."))
    ids = {p.id for p in agreeing_persons(access)}
    users = [p.user_id for p in access.participants
             if p.role is Role.FAMILY and p.person_id in ids]
    notify(access.session, users, kind="closure_proposed", params={},
           link=f"/gezin/{access.family_id}/afronden", now=access.now,
           family_id=access.family_id, actor_user_id=access.user.id)
    access.queue(access.event("closure_proposed"))
    access.session.commit()


def record_relapse_known(access: Access) -> RelapsePlanReview:
    require_chair(access)
    plan = plan_of(access)
    if plan.phase is PlanPhase.CLOSED:
        raise Refused(_("Dit plan is al afgerond."))
    if not _relapse_lines(access, plan):
        raise Refused(_("Het terugvalpreventieplan heeft nog geen regels."))
    row = RelapsePlanReview(plan_id=plan.id, reviewed_at=access.now, reviewed_by_id=access.user.id)
    access.session.add(row)
    access.queue(access.event("relapse_known"))
    access.session.commit()
    return row


def _relapse_lines(access: Access, plan: Plan) -> list[PlanSection]:
    """The relapse plan's lines on the plan (the chair's sight of them: DESIGN §3)."""
    return access.load_visible(access.select_visible(PlanSection).where(
        PlanSection.plan_id == plan.id, PlanSection.section == SectionKind.RELAPSE_PLAN,
        PlanSection.archived_at.is_(None)))


def end_action(access: Access, action: Action, how: str, note: str, version: int | None) -> Action:
    """An open action that will not be done here: not needed any more (why), or handed over
    (to whom). Whoever may change the action may end it."""
    decision = access.can_edit(action, policy.ACTION)
    if not decision.allowed or action.family_id != access.family_id:
        raise NotAllowed(decision.ground)
    if access.viewer.role is Role.NETWORK and action.assignee_participant_id != access.participant.id:
        raise NotAllowed("network members end only their own actions")
    ending = ActionEnding.parse(how)
    if ending is None:
        raise Invalid("how", _("Kies hoe de actie eindigt."))
    if action.ended:
        raise Refused(_("Deze actie is al klaar."))
    note = _words(note, "note", _("Schrijf op waarom deze actie niet meer nodig is.")
                  if ending is ActionEnding.CANCELLED else
                  _("Schrijf op aan wie je de actie overdraagt."), 500)
    check_version(action, version)
    with saving(access.session, action):
        action.ended_how, action.ended_note, action.ended_at = ending, note, access.now
        action.updated_by_id, action.updated_at = access.user.id, access.now
        access.queue(access.event("update", action, decision, params={"ended": ending.value}))
        access.session.commit()
    return action


# --- the closing checks --------------------------------------------------------------------
@dataclass
class Check:
    code: str  # relapse_plan, decisions, actions, team, agreement, evaluation
    ok: bool
    title: str  # marked for translation
    problems: list = field(default_factory=list)  # Message/str, each a thing to fix
    items: list = field(default_factory=list)  # the records to fix (visible to the chair)


@dataclass
class Closing:
    plan: Plan
    evaluation: object | None  # the evaluation it closes from (being held, or last held)
    checks: list[Check]
    persons: list[Person]
    agreements: dict[int, ClosureAgreement]
    relapse_review: RelapsePlanReview | None

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks)


def closing_evaluation(access: Access):
    """The evaluation being held, at which the plan is closed (004 L1610: the proposal to close
    is made at an evaluation), or None."""
    from samenplan.evaluations.models import Evaluation

    found = access.load_visible(access.select_visible(Evaluation).where(
        Evaluation.status == EvaluationStatus.IN_PROGRESS).order_by(Evaluation.starts_at.desc())
        .limit(1))
    return found[0] if found else None


HIDDEN = _("Er is nog iets open dat je niet mag zien. Vraag wie het kan zien om het af te ronden.")


def closing(access: Access) -> Closing:
    """Every check of afronding, each with what is still to do (004 L1610-1630, L1818-1836)."""
    from samenplan.evaluations.models import GoalDecision

    plan = plan_of(access)
    evaluation = closing_evaluation(access)
    checks: list[Check] = []

    # 0. from an evaluation: closing is decided at one
    checks.append(Check("evaluation", evaluation is not None, _("Een evaluatie"),
                        [] if evaluation is not None else
                        [_("Afronden doe je bij een evaluatie. Begin de evaluatie waarbij jullie afronden.")]))

    # 1. the terugvalpreventieplan is there and known
    lines = _relapse_lines(access, plan)
    review = access.session.scalar(select(RelapsePlanReview).where(
        RelapsePlanReview.plan_id == plan.id).order_by(RelapsePlanReview.id.desc()).limit(1))
    since = _since_reopened(plan)
    changed = max((line.updated_at for line in lines), default=None)
    known = (review is not None and (since is None or review.reviewed_at > since)
             and (changed is None or review.reviewed_at >= changed))
    problems = []
    if not lines:
        problems.append(_("Het terugvalpreventieplan heeft nog geen regels."))
    elif not known:
        problems.append(_("Het gezin heeft het terugvalpreventieplan nog niet doorgenomen."))
    checks.append(Check("relapse_plan", not problems, _("Het terugvalpreventieplan"), problems))

    # 2. every goal that is not reached or stopped has a decision at the evaluation being held
    open_goals = select(Goal).where(Goal.plan_id == plan.id, Goal.parent_id.is_(None),
                                    Goal.status.not_in(FINAL_GOAL))
    decided = set()
    if evaluation is not None:
        decided = set(access.session.scalars(select(GoalDecision.goal_id).where(
            GoalDecision.evaluation_id == evaluation.id)))
    undecided_all = [gid for gid in access.session.scalars(open_goals.with_only_columns(Goal.id))
                     if gid not in decided]
    visible = [g for g in access.load_visible(access.select_visible(Goal).where(
        Goal.id.in_(undecided_all)).order_by(Goal.priority, Goal.id))] if undecided_all else []
    problems = [Message(_("Er is nog geen besluit over: %(goal)s"), {"goal": g.title})
                for g in visible]
    if len(visible) < len(undecided_all):
        problems.append(HIDDEN)
    checks.append(Check("decisions", not undecided_all, _("Een besluit over elk doel"),
                        problems, visible))

    # 3. every open action is done, or ended (cancelled, handed over)
    open_ids = list(access.session.scalars(select(Action.id).where(
        Action.family_id == access.family_id, Action.done_at.is_(None),
        Action.ended_how.is_(None))))
    actions = access.load_visible(access.select_visible(Action).where(
        Action.id.in_(open_ids)).order_by(Action.due_date, Action.id)) if open_ids else []
    problems = [Message(_("Deze actie staat nog open: %(what)s"), {"what": a.what})
                for a in actions]
    if len(actions) < len(open_ids):
        problems.append(HIDDEN)
    checks.append(Check("actions", not open_ids, _("Geen open acties meer"), problems, actions))

    # 4. each professional's part is closed (the team page closes it: helper A's screen)
    open_parts = [p for p in access.participants
                  if p.role is Role.PROFESSIONAL and (p.involvement is None
                                                      or p.involvement.end_reason is None)]
    seen = [p for p in open_parts if access.sees_participant(p)]
    problems = [Message(_("Het deel van %(name)s is nog niet afgesloten."),
                        {"name": p.display_name}) for p in seen]
    if len(seen) < len(open_parts):
        problems.append(HIDDEN)
    checks.append(Check("team", not open_parts, _("Elke hulpverlener heeft afgesloten"),
                        problems, seen))

    # 5. the family agrees: akkoord per member of 12+; a "niet akkoord" blocks and is shown
    persons = agreeing_persons(access)
    said = agreements(access, plan)
    problems = []
    for person in persons:
        row = said.get(person.id)
        if row is None:
            problems.append(Message(_("%(name)s heeft nog niets gezegd."), {"name": person.first_name}))
        elif not row.agrees:
            problems.append(Message(_("%(name)s is het er niet mee eens: %(reason)s"),
                                    {"name": person.first_name, "reason": row.reason}))
    checks.append(Check("agreement", not problems, _("Het gezin is akkoord"), problems))
    return Closing(plan, evaluation, checks, persons, said, review)


def close(access: Access) -> PlanPhaseChange:
    """Afronding: refused (nothing changes) while any check fails. Then the phase becomes
    afgerond, the evaluation being held is held (closed), a final plan
    version is frozen, and everyone who may read that evaluation is told its report is the
    final one."""
    from samenplan.evaluations.versions import freeze
    from samenplan.notices.services import notify

    require_chair(access)
    state = closing(access)
    if state.plan.phase is PlanPhase.CLOSED:
        raise Refused(_("Dit plan is al afgerond."))
    if not state.ready:
        raise Refused(_("Het plan kan nog niet worden afgerond. Kijk hieronder wat er nog moet."))
    evaluation = state.evaluation  # being held: closing the plan closes it too
    with saving(access.session, evaluation):
        evaluation.status = EvaluationStatus.HELD
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
    version = freeze(access, evaluation)
    change = _change(access, state.plan, PlanPhase.CLOSED)
    access.queue(access.event("update", evaluation, params={"final_plan_version": version.number}))
    readers = access.readers_of(access.record_facts(evaluation))
    notify(access.session, [p.user_id for p in readers], kind="plan_closed", params={},
           link=f"/gezin/{access.family_id}/evaluaties/{evaluation.id}/verslag",
           now=access.now, family_id=access.family_id, actor_user_id=access.user.id)
    access.session.commit()
    return change


def final_report(access: Access, plan: Plan):
    """The evaluation whose report is the final report (of the last frozen version), or None."""
    from samenplan.evaluations.versions import versions

    if not plan.closed:
        return None
    frozen = versions(access)
    if not frozen:
        return None
    last = max(frozen, key=lambda v: v.number)
    return last.evaluation_id


def look_again_due(session, family_ids) -> set[int]:
    """The families (of these) whose paused plan's day to look again has come (for the
    casusregisseur's worklist)."""
    from samenplan.db import utcnow

    if not family_ids:
        return set()
    today = local_day(utcnow())
    latest = (select(func.max(PlanPhaseChange.id)).where(PlanPhaseChange.plan_id == Plan.id)
              .correlate(Plan).scalar_subquery())
    rows = session.execute(
        select(Plan.family_id).join(PlanPhaseChange, PlanPhaseChange.id == latest)
        .where(Plan.family_id.in_(list(family_ids)), Plan.phase == PlanPhase.PAUSED,
               PlanPhaseChange.look_again_on <= today))
    return {fid for (fid,) in rows}
