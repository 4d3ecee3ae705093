"""Nazorg: the casusregisseur plans check-in moments on a closed plan; a family member of 12+
answers on their own phone, or the casusregisseur records an answer after a phone call. Each
function checks the viewer's right, queues its audit events and commits once. A worrying
answer (domain/aftercare.py) notifies the casusregisseur and puts the family on their
worklist (reading.worries_across)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from samenplan.aftercare.models import AftercareAnswer, AftercareMoment
from samenplan.domain import aftercare as rules
from samenplan.domain.ages import age_on, local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import Category, PlanPhase, Role
from samenplan.evaluations.services import Invalid, NotAllowed  # the same answers: 422, 404
from samenplan.families.models import Participant, Person
from samenplan.notices.services import notify
from samenplan.plans.models import Plan, PlanPhaseChange
from samenplan.privacy import policy
from samenplan.privacy.access import Access

__all__ = ["Invalid", "NotAllowed", "AnswerInput", "answer", "plan_moments"]

WORDS_MAX = 1000
#: the categories a person may choose for their answer
CATEGORIES = (Category.ALGEMEEN, Category.GEZONDHEID)


def plan_of(access: Access) -> Plan | None:
    return access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))


def closed_on(access: Access) -> date | None:
    """The (Amsterdam) day the plan was closed, when it is closed now."""
    plan = plan_of(access)
    if plan is None or not plan.closed:
        return None
    change = access.session.scalar(
        select(PlanPhaseChange).where(PlanPhaseChange.plan_id == plan.id,
                                      PlanPhaseChange.new_phase == PlanPhase.CLOSED)
        .order_by(PlanPhaseChange.id.desc()).limit(1))
    return local_day(change.changed_at) if change is not None else local_day(access.now)


def is_chair(access: Access) -> bool:
    return access.participant.role == Role.CASUSREGISSEUR


def answerers(access: Access) -> list[Person]:
    """The family members who answer a check-in: 12 and older (a younger child does not)."""
    day = local_day(access.now)
    return [p for p in access.persons if age_on(p.date_of_birth, day) >= rules.ANSWERING_AGE]


def own_person(access: Access) -> Person | None:
    """The viewer's own person when they answer for themself (family, 12+)."""
    if access.participant.role != Role.FAMILY:
        return None
    return next((p for p in answerers(access) if p.id == access.participant.person_id), None)


def moments(access: Access) -> list[AftercareMoment]:
    return list(access.session.scalars(
        select(AftercareMoment).where(AftercareMoment.family_id == access.family_id,
                                      AftercareMoment.cancelled_at.is_(None))
        .order_by(AftercareMoment.day, AftercareMoment.id)))


def plan_moments(access: Access, days: list[date], at_closure: bool) -> list[AftercareMoment]:
    """New check-in moments (the casusregisseur, on a closed plan): the days chosen, and with
    `at_closure` one on the day of closure (the answer later ones are compared with)."""
    closed = closed_on(access)
    if not is_chair(access) or closed is None:
        raise NotAllowed("only the casusregisseur plans nazorg, on a closed plan")
    planned = {(m.day, m.at_closure) for m in moments(access)}
    wanted = sorted(set(days))
    if any(d < closed for d in wanted):
        raise Invalid("days", _("Kies een dag na de afronding van het plan."))
    rows = [(d, False) for d in wanted]
    if at_closure and not any(a for _d, a in planned):
        rows.insert(0, (closed, True))
    rows = [r for r in rows if r not in planned]
    if not rows:
        raise Invalid("days", _("Kies minstens één dag die nog niet gepland is."))
    made = [AftercareMoment(family_id=access.family_id, day=d, at_closure=a,
                            created_by_id=access.user.id, created_at=access.now)
            for d, a in rows]
    access.session.add_all(made)
    access.session.flush()
    access.queue(access.event("aftercare_planned", params={"moments": len(made)}))
    access.session.commit()
    return made


@dataclass
class AnswerInput:
    person_id: object = None  # only when the casusregisseur records it
    score: object = None
    going_well: str = ""
    worries: str = ""
    wants_contact: bool = False
    category: object = None


def open_moment(access: Access, moment_id: int) -> AftercareMoment:
    """A moment of this family that can be answered now (its day has come; plan closed)."""
    moment = access.session.get(AftercareMoment, moment_id)
    if (moment is None or moment.family_id != access.family_id or moment.cancelled_at is not None
            or closed_on(access) is None):
        raise NotAllowed("no such check-in in this family")
    if moment.day > local_day(access.now):
        raise NotAllowed("not yet")
    return moment


def _person(access: Access, data: AnswerInput) -> tuple[Person, bool]:
    own = own_person(access)
    if own is not None:
        return own, False
    if not is_chair(access):
        raise NotAllowed("only a family member of 12+ or the casusregisseur answers")
    try:
        wanted = int(str(data.person_id))
    except ValueError:
        raise Invalid("person", _("Kies met wie je hebt gebeld.")) from None
    if not any(p.id == wanted for p in access.persons):
        raise NotAllowed("person outside this family")
    person = next((p for p in answerers(access) if p.id == wanted), None)
    if person is None:
        raise Invalid("person", _("Een kind onder de 12 beantwoordt deze vraag niet zelf."))
    return person, True


def at_closure_score(access: Access, person_id: int) -> int | None:
    """The person's answer on the check-in at closure, the value later ones are held against."""
    return access.session.scalar(
        select(AftercareAnswer.score).join(AftercareMoment, AftercareAnswer.moment_id == AftercareMoment.id)
        .where(AftercareAnswer.person_id == person_id, AftercareMoment.at_closure,
               AftercareMoment.family_id == access.family_id)
        .order_by(AftercareAnswer.id).limit(1))


def answer(access: Access, moment_id: int, data: AnswerInput) -> AftercareAnswer:
    moment = open_moment(access, moment_id)
    person, by_call = _person(access, data)
    try:
        score = int(str(data.score))
    except ValueError:
        score = -1
    if not 0 <= score <= 10:
        raise Invalid("score", _("Kies een cijfer van 0 tot en met 10."))
    category = Category.parse(data.category) or Category.ALGEMEEN
    if category not in CATEGORIES:
        raise NotAllowed("category not offered")
    going_well, worries = (data.going_well or "").strip(), (data.worries or "").strip()
    if len(going_well) > WORDS_MAX or len(worries) > WORDS_MAX:
        raise Invalid("worries", _("Schrijf hier hooguit 1000 tekens."))
    exists = access.session.scalar(select(AftercareAnswer.id).where(
        AftercareAnswer.moment_id == moment.id, AftercareAnswer.person_id == person.id))
    if exists is not None:
        raise Invalid("score", _("Voor deze dag is er al een antwoord van %(name)s.",
                                 name=person.first_name))
    baseline = None if moment.at_closure else at_closure_score(access, person.id)
    record = AftercareAnswer(
        family_id=access.family_id, category=category, subjects=[person],
        moment_id=moment.id, person_id=person.id, score=score, going_well=going_well,
        worries=worries, wants_contact=bool(data.wants_contact), by_call=by_call,
        answered_on=local_day(access.now), author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
        created_at=access.now, updated_at=access.now,
    )
    access.session.add(record)
    access.session.flush()
    access.queue(access.event("create", record, policy.AUTHOR))
    if rules.worrying(score, baseline, record.wants_contact):
        chair = access.session.scalar(select(Participant).where(
            Participant.family_id == access.family_id, Participant.role == Role.CASUSREGISSEUR,
            Participant.active))
        if chair is not None:
            notify(access.session, [chair.user_id], kind="aftercare_worry", params={},
                   link=f"/gezin/{access.family_id}/nazorg#antwoord-{record.id}", now=access.now,
                   family_id=access.family_id, actor_user_id=access.user.id)
    access.session.commit()
    return record
