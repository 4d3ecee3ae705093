"""Builds the facts the pure policy decides on, fresh for every request (never cached)."""
from __future__ import annotations

from sqlalchemy import Integer, String, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from samenplan.families.models import (
    LegalRepresentative, Participant, Person, authority_organisation, parental_authority,
)
from samenplan.privacy.facts import (
    Category, EmergencyFacts, EventFacts, FamilyFacts, GrantFacts, ParticipationFacts,
    PersonFacts, RecordFacts, Representation, RepresentativeFacts, Role, ShieldFacts, ViewerFacts,
)
from samenplan.privacy.models import (
    AuditEvent, Consent, ConsentApproval, ConsentCategory, ConsentOrganisationApproval,
    EmergencyAccess, Record, Shield,
)


def viewer_facts(participant: Participant, chairs: bool = False) -> ViewerFacts:
    """`chairs`: the participant has chair rights without being the casusregisseur (the
    successor during a handover's overlap, handover/models.py): the policy sees a chair."""
    return ViewerFacts(
        participant_id=participant.id,
        role=Role.CASUSREGISSEUR if chairs else Role(participant.role),
        person_id=participant.person_id,
        organisation_id=participant.organisation_id,
    )


def record_facts(record: Record, ancestor_ids: frozenset[int] | None = None) -> RecordFacts:
    """The facts of a record, with the subjects and category it has: its own, or those of the
    record it takes them from (`privacy_from`). `ancestor_ids`: the records it hangs under, or
    those of them that matter (the shielded ones: `Access.record_facts`); all when not given."""
    owner = record.privacy_owner
    return RecordFacts(
        id=record.id,
        category=Category(owner.category),
        subject_ids=frozenset(p.id for p in owner.subjects),
        author_participant_id=record.author_participant_id,
        ancestor_ids=record.ancestor_ids if ancestor_ids is None else ancestor_ids,
    )


def grant_facts(consent: Consent) -> GrantFacts:
    return _grant(
        consent, frozenset(Category(c.category) for c in consent.categories),
        frozenset(a.person_id for a in consent.approvals),
        frozenset(a.organisation_id for a in consent.organisation_approvals),
    )


def _grant(consent, categories: frozenset, consenters: frozenset,
           organisations: frozenset) -> GrantFacts:
    """A consent's facts, of a loaded consent or of a row of its columns (`_grants_of`)."""
    return GrantFacts(
        id=consent.id,
        subject_id=consent.subject_id,
        categories=categories,
        start=consent.start_at,
        end=consent.end_at,
        revoked_at=consent.revoked_at,
        grantee_organisation_id=consent.grantee_organisation_id,
        grantee_participant_id=consent.grantee_participant_id,
        consenter_ids=consenters,
        consenter_organisation_ids=organisations,
        record_id=consent.record_id,
        requested_by_participant_id=consent.requested_by_participant_id,
        declined=consent.declined_at is not None,
    )


def participation_facts(participant: Participant, facts_of=record_facts,
                        chairs: bool = False) -> ParticipationFacts:
    """Needs `participant.involvement` loaded (with its subjects) for professionals;
    `facts_of` makes the involvement's record facts (`Access.record_facts` in a request).
    `chairs`: the successor during a handover's overlap, seen by all as a chair is."""
    role = Role.CASUSREGISSEUR if chairs else Role(participant.role)
    involvement = participant.involvement if role is Role.PROFESSIONAL else None
    return ParticipationFacts(
        participant_id=participant.id, role=role,
        involvement=facts_of(involvement) if involvement is not None else None,
    )


def event_facts(event: AuditEvent, item: dict | None = None,
                record_id: int | None = None) -> EventFacts:
    """The facts of an event, or of one of the records it lists (`item`): a view event that
    listed five records is five facts, each decided on its own. `record_id`: the record an
    event without items concerns (the record of a record grant or shield)."""
    subject_ids = item["subjects"] if item is not None else event.subject_ids
    return EventFacts(
        id=event.id, action=event.action, actor_participant_id=event.actor_participant_id,
        subject_ids=frozenset(subject_ids or ()),
        record_id=item["record"] if item is not None else record_id,
        target_kind=event.target_kind, target_id=event.target_id,
        hidden_from_family=event.hidden_from_family or bool(item and item.get("withheld")),
    )


GEZAG, VOOGD = "gezag", "voogd"

_CATEGORY, _CONSENTER, _CONSENTING_ORGANISATION = "c", "p", "o"


def _grants_of(session: Session, family_ids: list[int]) -> dict[int, list[GrantFacts]]:
    """The facts of every consent of these families, as `grant_facts` makes them of a loaded
    consent, in one query of rows, not records: each consent with each of its categories,
    consenters and consenting organisations (one row each, not every combination of them)."""
    c = Consent.__table__.c
    no_text, no_id = cast(null(), String(20)), cast(null(), Integer)
    parts = union_all(
        select(ConsentCategory.consent_id, literal(_CATEGORY, String(1)).label("kind"),
               cast(ConsentCategory.category, String(20)).label("code"), no_id.label("ref")),
        select(ConsentApproval.consent_id, literal(_CONSENTER, String(1)), no_text,
               ConsentApproval.person_id),
        select(ConsentOrganisationApproval.consent_id,
               literal(_CONSENTING_ORGANISATION, String(1)), no_text,
               ConsentOrganisationApproval.organisation_id),
    ).subquery("part")
    rows = session.execute(
        select(c.id, c.family_id, c.subject_id, c.start_at, c.end_at, c.revoked_at,
               c.grantee_organisation_id, c.grantee_participant_id, c.record_id,
               c.requested_by_participant_id, c.declined_at, parts.c.kind, parts.c.code,
               parts.c.ref)
        .outerjoin(parts, parts.c.consent_id == c.id)
        .where(c.family_id.in_(family_ids))
        .order_by(c.id)
    )
    found: dict[int, tuple] = {}
    for row in rows:
        consent = found.get(row.id)
        if consent is None:
            consent = found[row.id] = (row, set(), set(), set())
        if row.kind == _CATEGORY:
            consent[1].add(Category(row.code))
        elif row.kind == _CONSENTER:
            consent[2].add(row.ref)
        elif row.kind == _CONSENTING_ORGANISATION:
            consent[3].add(row.ref)
    grants: dict[int, list[GrantFacts]] = {}
    for row, categories, consenters, organisations in found.values():
        grants.setdefault(row.family_id, []).append(_grant(
            row, frozenset(categories), frozenset(consenters), frozenset(organisations)))
    return grants


def _who_speaks_for_whom(family_ids: list[int]):
    """One query for these families: (person, kind, holder person, holder organisation) of
    every holder of authority ("gezag": a person; "voogd": an organisation) and every legal
    representative (kind: mentor, curator, bewindvoerder)."""
    no_id = cast(null(), Integer)
    of_families = lambda column: column.in_(  # noqa: E731
        select(Person.id).where(Person.family_id.in_(family_ids)).scalar_subquery()
    )
    pa, ao, lr = parental_authority.c, authority_organisation.c, LegalRepresentative
    return union_all(
        select(pa.child_id, literal(GEZAG, String(20)), pa.holder_id, no_id)
        .where(of_families(pa.child_id)),
        select(ao.child_id, literal(VOOGD, String(20)), no_id, ao.organisation_id)
        .where(of_families(ao.child_id)),
        select(lr.person_id, lr.kind, lr.representative_person_id, lr.organisation_id)
        .where(of_families(lr.person_id)),
    )


def family_facts(session: Session, family_id: int, persons: list[Person] | None = None) -> FamilyFacts:
    """Everything about the family the policy needs; `persons` when already loaded."""
    if persons is None:
        persons = session.scalars(select(Person).where(Person.family_id == family_id)).all()
    return families_facts(session, {family_id: list(persons)})[family_id]


def families_facts(session: Session, persons: dict[int, list[Person]]) -> dict[int, FamilyFacts]:
    """The facts of several families at once (family id -> its persons, loaded): the same
    four queries whatever the number of families (the home page's worklist)."""
    family_ids = sorted(persons)
    of_person = {p.id: fid for fid, people in persons.items() for p in people}
    holders: dict[int, set[int]] = {pid: set() for pid in of_person}
    guardians: dict[int, set[int]] = {pid: set() for pid in of_person}
    representatives: dict[int, list[RepresentativeFacts]] = {pid: [] for pid in of_person}
    for person_id, kind, holder_person, holder_organisation in session.execute(
        _who_speaks_for_whom(family_ids)
    ):
        if kind == GEZAG:
            holders[person_id].add(holder_person)
        elif kind == VOOGD:
            guardians[person_id].add(holder_organisation)
        else:
            representatives[person_id].append(RepresentativeFacts(
                Representation(kind), person_id=holder_person, organisation_id=holder_organisation,
            ))
    grants = _grants_of(session, family_ids)
    shields = session.scalars(select(Shield).where(Shield.family_id.in_(family_ids))).all()
    emergencies = session.scalars(
        select(EmergencyAccess).where(EmergencyAccess.family_id.in_(family_ids))
    ).all()
    return {
        fid: FamilyFacts(
            persons={
                p.id: PersonFacts(
                    p.id, p.date_of_birth, frozenset(holders[p.id]), frozenset(guardians[p.id]),
                    tuple(representatives[p.id]),
                )
                for p in persons[fid]
            },
            grants=tuple(grants.get(fid, ())),
            shields=tuple(
                ShieldFacts(
                    id=s.id, participant_id=s.participant_id, subject_id=s.subject_id,
                    record_id=s.record_id,
                    category=Category(s.category) if s.category else None, lifted_at=s.lifted_at,
                )
                for s in shields if s.family_id == fid
            ),
            emergencies=tuple(
                EmergencyFacts(
                    id=e.id, participant_id=e.participant_id, subject_id=e.subject_id,
                    category=Category(e.category), start=e.start_at, end=e.end_at,
                    ended_at=e.ended_at, withhold_from_family=e.withhold_from_family,
                )
                for e in emergencies if e.family_id == fid
            ),
        )
        for fid in family_ids
    }
