"""Satisfaction at closure: a parent or youth of 12+ with a login answers once per closure of
the plan (optional). Only the person reads their own answer (models.py says why it is not a
Record); professionals read totals (reading.totals)."""
from __future__ import annotations

from sqlalchemy import select

from samenplan.domain.ages import age_on, local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import PlanPhase, Role, SatisfactionQuestion, SatisfactionReply
from samenplan.evaluations.services import Invalid, NotAllowed
from samenplan.plans.models import Plan, PlanPhaseChange
from samenplan.privacy.access import Access
from samenplan.satisfaction.models import SatisfactionAnswer

ANSWERING_AGE = 12

__all__ = ["Invalid", "NotAllowed", "closure", "may_answer", "own", "submit"]


def closure(access: Access) -> PlanPhaseChange | None:
    """The change that closed the plan, when it is closed now."""
    plan = access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))
    if plan is None or plan.phase != PlanPhase.CLOSED:
        return None
    return access.session.scalar(
        select(PlanPhaseChange).where(PlanPhaseChange.plan_id == plan.id,
                                      PlanPhaseChange.new_phase == PlanPhase.CLOSED)
        .order_by(PlanPhaseChange.id.desc()).limit(1))


def may_fill_in(access: Access) -> bool:
    """A family member of 12+ (with a login: they are a participant) on a closed plan."""
    if access.participant.role != Role.FAMILY or access.participant.person_id is None:
        return False
    person = next((p for p in access.persons if p.id == access.participant.person_id), None)
    return (person is not None
            and age_on(person.date_of_birth, local_day(access.now)) >= ANSWERING_AGE
            and closure(access) is not None)


def own(access: Access) -> SatisfactionAnswer | None:
    """The viewer's own answer about this closure: nobody else's is ever loaded for a page."""
    change = closure(access)
    if change is None:
        return None
    return access.session.scalar(select(SatisfactionAnswer).where(
        SatisfactionAnswer.participant_id == access.participant.id,
        SatisfactionAnswer.closure_id == change.id))


def may_answer(access: Access) -> bool:
    return may_fill_in(access) and own(access) is None


def submit(access: Access, grade: object, replies: dict[str, object]) -> SatisfactionAnswer:
    if not may_fill_in(access):
        raise NotAllowed("only a family member of 12+ on a closed plan")
    if own(access) is not None:
        raise Invalid("grade", _("Je hebt deze vragen al beantwoord. Dank je wel!"))
    try:
        value = int(str(grade))
    except ValueError:
        value = 0
    if not 1 <= value <= 10:
        raise Invalid("grade", _("Kies een cijfer van 1 tot en met 10."))
    checked = {}
    for question in SatisfactionQuestion:
        raw = replies.get(question.value)
        if raw in (None, ""):
            continue
        reply = SatisfactionReply.parse(raw)
        if reply is None:
            raise Invalid(question.value, _("Kies ja, een beetje of nee."))
        checked[question.value] = reply.value
    answer = SatisfactionAnswer(family_id=access.family_id, participant_id=access.participant.id,
                                closure_id=closure(access).id, grade=value, replies=checked,
                                answered_at=access.now)
    access.session.add(answer)
    access.session.flush()
    # the audit says that someone answered, never what (codes only)
    access.queue(access.event("satisfaction_answered"))
    access.session.commit()
    return answer
