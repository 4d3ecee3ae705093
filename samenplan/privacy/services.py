"""Consent, shielding and emergency access: who may record what, and the audit trail of it.
Each function checks the actor's right, changes the database, logs, and commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samenplan.db import utcnow
from samenplan.domain.ages import AGE_OF_CONSENT, age_on, local_day, required_consenters
from samenplan.families.models import Participant, Person
from samenplan.privacy import audit, loader, policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Role
from samenplan.privacy.models import (
    Consent, ConsentApproval, ConsentCategory, EmergencyAccess, Notification, Record, Shield,
)


class NotAllowed(Exception):
    pass


class Invalid(Exception):
    """Input that cannot be saved; the message is shown to the user."""


# --- who may act for whom ------------------------------------------------------------------
def consenters_for(access: Access, person: Person) -> frozenset[int]:
    """Person ids whose consent a grant from `person` needs today."""
    return required_consenters(access.facts.persons[person.id], local_day(access.now))


def persons_i_consent_for(access: Access) -> list[Person]:
    """The persons for whom the viewer (a family member) gives or withdraws consent."""
    me = access.participant.person_id
    if access.viewer.role is not Role.FAMILY or me is None:
        return []
    return [p for p in access.persons if me in consenters_for(access, p)]


def persons_i_shield_for(access: Access) -> list[Person]:
    """A subject shields for themself; a holder of authority for a child under 16."""
    me = access.participant.person_id
    if access.viewer.role is not Role.FAMILY or me is None:
        return []
    day = local_day(access.now)
    return [
        p for p in access.persons
        if p.id == me or (
            age_on(p.date_of_birth, day) < AGE_OF_CONSENT
            and me in access.facts.persons[p.id].authority_holders
        )
    ]


def may_record_at_table(access: Access) -> bool:
    return access.viewer.role.is_professional


# --- consent -------------------------------------------------------------------------------
def consents_visible_to(access: Access) -> list[Consent]:
    """Consent itself says something (a grant to GGZ tells of mental health care), so each
    person sees: grants from themself or that they must consent to, grants to them or their
    organisation; the casusregisseur, who records consent at the table, sees all."""
    consents = access.session.scalars(
        select(Consent).where(Consent.family_id == access.family_id)
        .options(
            selectinload(Consent.categories), selectinload(Consent.approvals),
            selectinload(Consent.grantee_organisation), selectinload(Consent.grantee_participant),
        )
        .order_by(Consent.id)
    ).all()
    if access.viewer.role is Role.CASUSREGISSEUR:
        return list(consents)
    me = access.participant.person_id
    mine = {p.id for p in persons_i_consent_for(access)} | ({me} if me else set())
    return [
        c for c in consents
        if c.subject_id in mine
        or c.grantee_participant_id == access.participant.id
        or (c.grantee_organisation_id is not None
            and c.grantee_organisation_id == access.participant.organisation_id)
    ]


def consent_status(access: Access, consent: Consent) -> policy.GrantStatus:
    return policy.grant_status(
        loader.grant_facts(consent), access.facts.persons[consent.subject_id], access.now
    )


@dataclass
class GrantInput:
    subject_id: int
    grantee: str  # "org:<id>" or "participant:<id>"
    categories: list[str]
    purpose: str
    end_at: datetime | None
    how: str  # app, tafel, papier
    consenter_ids: list[int]  # recorded at the table: who said yes


def grant(access: Access, data: GrantInput) -> Consent:
    subject = next((p for p in access.persons if p.id == data.subject_id), None)
    if subject is None:
        raise NotAllowed("subject outside this family")
    required = consenters_for(access, subject)
    me = access.participant.person_id
    if access.viewer.role is Role.FAMILY:
        if me not in required:
            raise NotAllowed("not a consenter for this person")
        approvers, how = {me}, "app"
    elif may_record_at_table(access):
        approvers = set(data.consenter_ids)
        if not approvers:
            raise Invalid("Kies wie er toestemming gaf.")
        if not approvers <= required:
            raise Invalid("Alleen wie toestemming moet geven, kan toestemming geven.")
        how = data.how if data.how in ("tafel", "papier") else "tafel"
    else:
        raise NotAllowed("network members do not record consent")
    categories = sorted({Category(c).value for c in data.categories})
    if not categories:
        raise Invalid("Kies minstens één soort informatie.")
    kind, _, raw_id = data.grantee.partition(":")
    grantee_org = grantee_participant = None
    if kind == "org":
        grantee_org = int(raw_id)
        if grantee_org not in {p.organisation_id for p in access.participants if p.organisation_id}:
            raise Invalid("Deze organisatie doet niet mee aan het plan.")
    elif kind == "participant":
        grantee_participant = int(raw_id)
        if grantee_participant not in {p.id for p in access.participants}:
            raise Invalid("Deze persoon doet niet mee aan het plan.")
    else:
        raise Invalid("Kies aan wie u toestemming geeft.")
    if data.end_at is not None and data.end_at <= access.now:
        raise Invalid("De einddatum moet in de toekomst liggen.")
    consent = Consent(
        family_id=access.family_id, subject_id=subject.id,
        grantee_organisation_id=grantee_org, grantee_participant_id=grantee_participant,
        purpose=data.purpose.strip(), start_at=access.now, end_at=data.end_at, how=how,
        recorded_by_id=access.user.id,
        categories=[ConsentCategory(category=c) for c in categories],
        approvals=[ConsentApproval(person_id=pid, how=how, recorded_by_id=access.user.id,
                                   given_at=access.now) for pid in sorted(approvers)],
    )
    access.session.add(consent)
    access.session.flush()
    audit.append(access.session, [access.event(
        "grant", subject_ids=(subject.id,), ground=how,
        detail=f"consent #{consent.id}: {', '.join(categories)}",
    )])
    access.session.commit()
    return consent


def approve(access: Access, consent: Consent, on_behalf_of: list[int] | None = None) -> None:
    """A missing consenter adds their yes (in the app), or a professional records it."""
    subject = access.session.get(Person, consent.subject_id)
    required = consenters_for(access, subject)
    given = {a.person_id for a in consent.approvals}
    if access.viewer.role is Role.FAMILY:
        me = access.participant.person_id
        if me not in required or me in given:
            raise NotAllowed("nothing to approve")
        new, how = [me], "app"
    elif may_record_at_table(access):
        new = [pid for pid in (on_behalf_of or []) if pid in required and pid not in given]
        if not new:
            raise Invalid("Kies wie er toestemming gaf.")
        how = "tafel"
    else:
        raise NotAllowed("network members do not record consent")
    if consent.revoked_at is not None:
        raise Invalid("Deze toestemming is ingetrokken.")
    for pid in new:
        consent.approvals.append(ConsentApproval(
            person_id=pid, how=how, recorded_by_id=access.user.id, given_at=access.now
        ))
    audit.append(access.session, [access.event(
        "approve", subject_ids=(consent.subject_id,), ground=how,
        detail=f"consent #{consent.id} door persoon " + ",".join(f"#{p}" for p in new),
    )])
    access.session.commit()


def revoke(access: Access, consent: Consent) -> None:
    """Any of the consenters may withdraw; a professional may record it when told so."""
    subject = access.session.get(Person, consent.subject_id)
    me = access.participant.person_id
    allowed = (
        (access.viewer.role is Role.FAMILY and me in consenters_for(access, subject))
        or may_record_at_table(access)
    )
    if not allowed:
        raise NotAllowed("may not revoke this consent")
    if consent.revoked_at is not None:
        return
    consent.revoked_at = access.now
    consent.revoked_by_id = access.user.id
    audit.append(access.session, [access.event(
        "revoke", subject_ids=(consent.subject_id,), detail=f"consent #{consent.id}",
    )])
    access.session.commit()


# --- shielding -----------------------------------------------------------------------------
def shields_visible_to(access: Access) -> list[Shield]:
    """Shields are listed to those who may set them (never to the participant shielded from)."""
    ids = {p.id for p in persons_i_shield_for(access)}
    if not ids and access.viewer.role is not Role.CASUSREGISSEUR:
        return []
    stmt = (
        select(Shield).where(Shield.family_id == access.family_id)
        .options(selectinload(Shield.participant), selectinload(Shield.subject))
        .order_by(Shield.id)
    )
    shields = access.session.scalars(stmt).all()
    # nobody is shown (or may lift) a shield that is set against them
    shields = [s for s in shields if s.participant_id != access.participant.id]
    if access.viewer.role is Role.CASUSREGISSEUR:
        return shields
    return [s for s in shields if s.subject_id in ids]


def add_shield(
    access: Access, subject_id: int, participant_id: int, record_id: int | None,
    category: str | None, reason: str,
) -> Shield:
    if subject_id not in {p.id for p in persons_i_shield_for(access)}:
        raise NotAllowed("may not shield for this person")
    if participant_id not in {p.id for p in access.participants} or participant_id == access.participant.id:
        raise Invalid("Kies voor wie u dit afschermt.")
    if (record_id is None) == (category is None):
        raise Invalid("Kies één stuk informatie, of een soort informatie.")
    if record_id is not None:
        record = access.get(Record, record_id)
        if record is None or subject_id not in {p.id for p in record.subjects}:
            raise Invalid("Dit stuk informatie gaat niet over deze persoon.")
    else:
        category = Category(category).value
    shield = Shield(
        family_id=access.family_id, subject_id=subject_id, participant_id=participant_id,
        record_id=record_id, category=category, reason=reason.strip(),
        created_by_id=access.user.id, created_at=access.now,
    )
    access.session.add(shield)
    access.session.flush()
    audit.append(access.session, [access.event(
        "shield", record_id=record_id, subject_ids=(subject_id,), category=category,
        detail=f"shield #{shield.id} voor deelnemer #{participant_id}",
    )])
    access.session.commit()
    return shield


def lift_shield(access: Access, shield: Shield) -> None:
    if shield.participant_id == access.participant.id or shield.subject_id not in {
        p.id for p in persons_i_shield_for(access)
    }:
        raise NotAllowed("may not lift this shield")
    if shield.lifted_at is None:
        shield.lifted_at = access.now
        shield.lifted_by_id = access.user.id
        audit.append(access.session, [access.event(
            "lift", record_id=shield.record_id, subject_ids=(shield.subject_id,),
            category=shield.category, detail=f"shield #{shield.id}",
        )])
        access.session.commit()


# --- emergency access ----------------------------------------------------------------------
@dataclass
class EmergencyInput:
    subject_id: int
    category: str
    aim: str
    without_information: str
    consent_attempts: str
    weighing: str
    needed: str
    withhold_from_family: bool
    withhold_reason: str


def break_glass(access: Access, data: EmergencyInput, hours: int) -> EmergencyAccess:
    if not access.viewer.role.is_professional:
        raise NotAllowed("only professionals may use emergency access")
    if data.subject_id not in {p.id for p in access.persons}:
        raise NotAllowed("subject outside this family")
    answers = [data.aim, data.without_information, data.consent_attempts, data.weighing, data.needed]
    if any(not (a or "").strip() for a in answers):
        raise Invalid("Beantwoord alle vijf de vragen.")
    if data.withhold_from_family and not data.withhold_reason.strip():
        raise Invalid("Schrijf op waarom het gezin dit nu niet mag zien.")
    emergency = EmergencyAccess(
        family_id=access.family_id, participant_id=access.participant.id,
        subject_id=data.subject_id, category=Category(data.category).value,
        aim=data.aim.strip(), without_information=data.without_information.strip(),
        consent_attempts=data.consent_attempts.strip(), weighing=data.weighing.strip(),
        needed=data.needed.strip(), withhold_from_family=data.withhold_from_family,
        withhold_reason=data.withhold_reason.strip() if data.withhold_from_family else "",
        start_at=access.now, end_at=access.now + timedelta(hours=hours),
        created_by_id=access.user.id,
    )
    access.session.add(emergency)
    access.session.flush()
    chair = next((p for p in access.participants if p.role == Role.CASUSREGISSEUR.value), None)
    if chair is not None and chair.id != access.participant.id:
        access.session.add(Notification(
            user_id=chair.user_id, family_id=access.family_id,
            text=f"{access.user.name} gebruikt doorbreken voor {_person_name(access, data.subject_id)}"
                 f" ({emergency.category}) tot {emergency.end_at:%d-%m-%Y %H:%M} UTC.",
            link=f"/gezin/{access.family_id}/doorbreken/{emergency.id}",
        ))
    audit.append(access.session, [access.event(
        "emergency", subject_ids=(data.subject_id,), category=emergency.category,
        ground="emergency", detail=f"emergency #{emergency.id} tot {emergency.end_at:%Y-%m-%d %H:%M}",
        hidden_from_family=data.withhold_from_family,
    )])
    access.session.commit()
    return emergency


def end_emergency(access: Access, emergency: EmergencyAccess) -> None:
    if emergency.participant_id != access.participant.id and access.viewer.role is not Role.CASUSREGISSEUR:
        raise NotAllowed("may not end this emergency access")
    if emergency.ended_at is None and emergency.end_at > access.now:
        emergency.ended_at = access.now
        audit.append(access.session, [access.event(
            "emergency_end", subject_ids=(emergency.subject_id,), category=emergency.category,
            detail=f"emergency #{emergency.id}", hidden_from_family=emergency.withhold_from_family,
        )])
        access.session.commit()


def _person_name(access: Access, person_id: int) -> str:
    return next(p.first_name for p in access.persons if p.id == person_id)


def notifications_for(access: Access) -> list[Notification]:
    return list(access.session.scalars(
        select(Notification).where(
            Notification.user_id == access.user.id, Notification.family_id == access.family_id,
            Notification.read_at.is_(None),
        ).order_by(Notification.id.desc())
    ))


def participant_label(p: Participant) -> str:
    return f"{p.display_name} ({p.organisation.name})" if p.organisation else p.display_name


# --- "wie heeft mijn gegevens bekeken?" and inzage ------------------------------------------
def persons_i_see_log_for(access: Access) -> list[Person]:
    """Oneself, and children under 16 under one's authority."""
    return persons_i_shield_for(access)


def log_for_persons(access: Access, person_ids: set[int], record_id: int | None = None):
    """Audit events about these persons that the family may see, newest first."""
    from samenplan.privacy.models import AuditEvent

    stmt = (
        select(AuditEvent)
        .where(AuditEvent.family_id == access.family_id, AuditEvent.hidden_from_family.is_(False))
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
    )
    if record_id is not None:
        stmt = stmt.where(AuditEvent.record_id == record_id)
    events = []
    for event in access.session.scalars(stmt.limit(2000)):
        subjects = {int(i) for i in event.subject_ids.split(",") if i}
        if subjects & person_ids:
            events.append(event)
    return events[:500]


def records_about(access: Access, person_ids: set[int]) -> list[Record]:
    """Records about these persons that the viewer may see (through the privacy filter)."""
    from sqlalchemy.orm import selectin_polymorphic

    from samenplan.goals.models import Action, Goal
    from samenplan.plans.models import PlanSection
    from samenplan.privacy.models import record_subject

    stmt = (
        access.select_visible(Record)
        .options(selectin_polymorphic(Record, [Goal, Action, PlanSection]))
        .where(Record.id.in_(
            select(record_subject.c.record_id).where(record_subject.c.person_id.in_(person_ids))
        ))
        .options(selectinload(Record.subjects))
        .order_by(Record.id)
    )
    return access.load_visible(stmt)
