"""Who may see and edit what: the privacy rules of DESIGN.md §3, as pure functions.

Facts in (`samenplan.privacy.facts`), a `Decision` with its ground out. No Flask, no
database, nothing kept across requests: callers build fresh facts per request, so a
revocation takes effect on the very next request (a decision is remembered only on the
facts it was made from: `can_view`). `privacy/query.py` is the SQL twin of `can_view`
and must agree with it record by record.

Every datetime is naive UTC. When in doubt, deny: a subject that is missing from
`FamilyFacts.persons` can neither consent nor be under anyone's authority.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from samenplan.domain.ages import (
    AGE_OF_CO_CONSENT, age_on, local_day, required_consenters, required_organisations,
)
from samenplan.privacy.facts import (
    Category,
    EmergencyFacts,
    EventFacts,
    FamilyFacts,
    GrantFacts,
    ParticipationFacts,
    PersonFacts,
    RecordFacts,
    Representation,
    Role,
    ShieldFacts,
    ViewerFacts,
)

# --- grounds -----------------------------------------------------------------
# allowed
AUTHOR = "author"
SUBJECT = "subject"
AUTHORITY = "authority"
ALGEMEEN = "algemeen"
GRANT = "grant"
EMERGENCY = "emergency"
# denied
SHIELDED = "shielded"
NO_GRANT = "no_grant"
NO_SUBJECTS = "no_subjects"
NOT_PARTICIPANT = "not_participant"  # for callers: the user has no place in this family's plan
ROLE = "role"  # can_edit only: the role may not edit this kind of record

ALLOW_GROUNDS = frozenset({AUTHOR, SUBJECT, AUTHORITY, ALGEMEEN, GRANT, EMERGENCY})
DENY_GROUNDS = frozenset({SHIELDED, NO_GRANT, NO_SUBJECTS, NOT_PARTICIPANT, ROLE})

# --- grant states ------------------------------------------------------------
ACTIEF = "actief"  # valid now
WACHT = "wacht"  # pending: a required consenter has not consented
VERLOPEN = "verlopen"  # expired
INGETROKKEN = "ingetrokken"  # revoked
NOG_NIET = "nog_niet"  # not started yet
GEWEIGERD = "geweigerd"  # a required consenter said no to the request

# --- editing -----------------------------------------------------------------
GOAL = "goal"
ACTION = "action"
PLAN_SECTION = "plan_section"
INVOLVEMENT = "involvement"  # a professional's line in the team: their own, or the chair's
NETWORK_MEMBER = "network_member"
TIMELINE_EVENT = "timeline_event"
EVALUATION = "evaluation"  # planned, changed and cancelled by the casusregisseur only
ESCALATION = "escalation"  # an undone action escalated, and its outcome: the casusregisseur only

#: Which kinds of record each role may edit (on top of being allowed to view them).
#: Network members may edit actions only; the caller checks the action is theirs.
#: The network map is drawn by the family with their vaste hulpverlener (004 §6.2.2: "samen
#: met de gezinsleden de mensen om hen heen in beeld brengen"): not by the people on it, nor by
#: other professionals. Earlier help is told by the family and by the professionals who gave
#: or know it (a GGZ professional adds the GGZ history), so nobody has to ask again.
EDIT_RIGHTS: dict[Role, frozenset[str]] = {
    Role.FAMILY: frozenset({GOAL, ACTION, PLAN_SECTION, NETWORK_MEMBER, TIMELINE_EVENT}),
    Role.NETWORK: frozenset({ACTION}),
    Role.PROFESSIONAL: frozenset({GOAL, ACTION, PLAN_SECTION, INVOLVEMENT, TIMELINE_EVENT}),
    Role.CASUSREGISSEUR: frozenset({GOAL, ACTION, PLAN_SECTION, INVOLVEMENT, NETWORK_MEMBER,
                                    TIMELINE_EVENT, EVALUATION, ESCALATION}),
}


@dataclass(frozen=True)
class Decision:
    """The outcome of a policy question, with the ground to put in the audit log."""

    allowed: bool
    ground: str
    detail: str = ""  # the same in words, for logs and tests (never stored: `basis` is)
    # what the ground rests on, as ids (DESIGN.md §3 "grounds as ids"): the grants, emergency
    # accesses and shield used; the persons it is about (the viewer as subject, the children
    # seen by authority, the subject whose consent is missing)
    grants: tuple[int, ...] = ()
    emergencies: tuple[int, ...] = ()
    persons: tuple[int, ...] = ()
    shield: int | None = None

    @property
    def basis(self) -> dict[str, list[int]]:
        """The ids the decision rests on, as stored in the audit log."""
        basis = {"grants": list(self.grants), "emergencies": list(self.emergencies),
                 "persons": list(self.persons)}
        if self.shield is not None:
            basis["shield"] = [self.shield]
        return {key: ids for key, ids in basis.items() if ids}

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class GrantStatus:
    valid: bool
    state: str  # ACTIEF, WACHT, VERLOPEN, INGETROKKEN, NOG_NIET or GEWEIGERD
    missing: frozenset[int] = frozenset()  # required consenters who have not consented
    # required organisations (a guardian, a legal representative) that have not consented
    missing_organisations: frozenset[int] = frozenset()


# --- grants ------------------------------------------------------------------


def grant_status(grant: GrantFacts, person: PersonFacts, now: datetime) -> GrantStatus:
    """The state of `grant` (from `person`) at `now`.

    `missing` (persons) and `missing_organisations` are always computed against the consenters
    required on today's (Amsterdam) date for the grant's categories, whatever the state; the
    grant is valid only in state ACTIEF. A child under 12 without any holder of authority has
    no one who can consent: such a grant stays WACHT with nobody listed as missing.
    """
    if grant.subject_id != person.id:
        raise ValueError(f"grant #{grant.id} is from person #{grant.subject_id}, not #{person.id}")
    day = local_day(now)
    required = required_consenters(person, day, grant.categories)
    required_orgs = required_organisations(person, day, grant.categories)
    missing = required - grant.consenter_ids
    missing_orgs = required_orgs - grant.consenter_organisation_ids
    if grant.revoked_at is not None and grant.revoked_at <= now:
        state = INGETROKKEN
    elif grant.declined:
        state = GEWEIGERD
    elif grant.end is not None and now >= grant.end:
        state = VERLOPEN
    elif now < grant.start:
        state = NOG_NIET
    elif missing or missing_orgs or not (required or required_orgs):
        state = WACHT
    else:
        state = ACTIEF
    return GrantStatus(valid=state == ACTIEF, state=state, missing=frozenset(missing),
                       missing_organisations=frozenset(missing_orgs))


def grant_covers(grant: GrantFacts, viewer: ViewerFacts, record: RecordFacts) -> bool:
    """Whether `grant` is addressed to `viewer` (or their organisation) and covers `record`:
    its category, or (a record grant) this very record in the category it was granted for.

    Says nothing about validity or about whose grant it is; see `grant_status`.
    """
    to_participant = grant.grantee_participant_id == viewer.participant_id
    to_organisation = (
        grant.grantee_organisation_id is not None
        and grant.grantee_organisation_id == viewer.organisation_id
    )
    if not (to_participant or to_organisation) or record.category not in grant.categories:
        return False
    return grant.record_id is None or grant.record_id == record.id


def _valid_grant_ids(
    subject_id: int,
    viewer: ViewerFacts,
    record: RecordFacts,
    facts: FamilyFacts,
    now: datetime,
    *,
    via_organisation: bool,
) -> list[int]:
    """Ids of the valid grants from `subject_id` that cover `viewer` and `record`."""
    person = facts.persons.get(subject_id)
    if person is None:
        return []
    if not via_organisation:
        viewer = ViewerFacts(participant_id=viewer.participant_id, role=viewer.role)
    return sorted(
        grant.id
        for grant in facts.grants
        if grant.subject_id == subject_id
        and grant_covers(grant, viewer, record)
        and grant_status(grant, person, now).valid
    )


# --- shields and emergencies -------------------------------------------------


def shield_is_active(shield: ShieldFacts, now: datetime) -> bool:
    return shield.lifted_at is None or shield.lifted_at > now


def shield_applies(shield: ShieldFacts, viewer: ViewerFacts, record: RecordFacts) -> bool:
    """Whether `shield` hides `record` from `viewer` (ignoring whether it is lifted)."""
    if shield.participant_id != viewer.participant_id:
        return False
    if shield.record_id is not None:
        return shield.record_id == record.id or shield.record_id in record.ancestor_ids
    return shield.category == record.category and shield.subject_id in record.subject_ids


def emergency_is_active(emergency: EmergencyFacts, now: datetime) -> bool:
    not_ended = emergency.ended_at is None or emergency.ended_at > now
    return emergency.start <= now < emergency.end and not_ended


def _active_emergency_ids(
    subject_id: int, viewer: ViewerFacts, category: Category, facts: FamilyFacts, now: datetime
) -> list[int]:
    if subject_id not in facts.persons:
        return []
    return sorted(
        emergency.id
        for emergency in facts.emergencies
        if emergency.participant_id == viewer.participant_id
        and emergency.subject_id == subject_id
        and emergency.category == category
        and emergency_is_active(emergency, now)
    )


# --- viewing -----------------------------------------------------------------


def _ids(prefix: str, ids: Iterable[int]) -> str:
    return prefix + " " + ",".join(f"#{i}" for i in sorted(set(ids)))


def _sorted(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(ids)))


def _no_consent(subject_id: int, facts: FamilyFacts) -> Decision:
    if subject_id not in facts.persons:
        return Decision(False, NO_GRANT, f"person #{subject_id} unknown", persons=(subject_id,))
    return Decision(False, NO_GRANT, f"no consent from person #{subject_id}",
                    persons=(subject_id,))


def _shielding(viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime):
    for shield in facts.shields:
        if shield_is_active(shield, now) and shield_applies(shield, viewer, record):
            return shield
    return None


def _holds_authority(person_id: int | None, subject: PersonFacts | None, day: date) -> bool:
    """Whether `person_id` holds authority over `subject` and `subject` is under 12.

    From 12 a child's health, safety and justice information is theirs: a parent sees it
    only when the child agreed (a grant); authority alone gives `algemeen` only, which
    every family member sees anyway.
    """
    return (
        person_id is not None
        and subject is not None
        and age_on(subject.date_of_birth, day) < AGE_OF_CO_CONSENT
        and person_id in subject.authority_holders
    )


def _family_decision(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """Rule 4, for a family member; their last word (no emergency access for family).

    Every subject other than the viewer must be covered: a child under 12 over whom the
    viewer holds authority, or a valid grant from that subject to the viewer (for this
    category or this record); an `algemeen` record is the family's shared information.
    """
    me = viewer.person_id
    others = sorted(s for s in record.subject_ids if s != me)
    is_subject = me is not None and me in record.subject_ids
    day = local_day(now)
    by_authority: list[int] = []
    grant_ids: list[int] = []
    uncovered: int | None = None
    for subject_id in others:
        if _holds_authority(me, facts.persons.get(subject_id), day):
            by_authority.append(subject_id)
            continue
        ids = _valid_grant_ids(subject_id, viewer, record, facts, now, via_organisation=False)
        if not ids:
            uncovered = subject_id
            break
        grant_ids += ids
    if is_subject and (uncovered is None or record.category == Category.ALGEMEEN):
        return Decision(True, SUBJECT, f"person #{me}", persons=(me,))
    if uncovered is None and others and not grant_ids:
        return Decision(True, AUTHORITY, _ids("authority over", by_authority),
                        persons=_sorted(by_authority))
    if record.category == Category.ALGEMEEN:
        return Decision(True, ALGEMEEN)
    if not record.subject_ids:
        return Decision(False, NO_SUBJECTS)
    if uncovered is not None:
        return _no_consent(uncovered, facts)
    detail = _ids("grant", grant_ids)
    if by_authority:
        detail += "; " + _ids("authority over", by_authority)
    return Decision(True, GRANT, detail, grants=_sorted(grant_ids), persons=_sorted(by_authority))


def _outsider_decision(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """Rules 4-6, for network members and professionals."""
    subjects = sorted(record.subject_ids)
    if not subjects:
        return Decision(False, NO_SUBJECTS)
    grant_ids: list[int] = []
    emergency_ids: list[int] = []
    first_without_consent: int | None = None
    for subject_id in subjects:
        ids = _valid_grant_ids(subject_id, viewer, record, facts, now, via_organisation=True)
        if ids:
            grant_ids += ids
            continue
        if viewer.role.is_professional:
            emergencies = _active_emergency_ids(subject_id, viewer, record.category, facts, now)
            if emergencies:
                emergency_ids += emergencies
                continue
        first_without_consent = subject_id
        break
    if first_without_consent is not None:
        return _no_consent(first_without_consent, facts)
    if not emergency_ids:
        return Decision(True, GRANT, _ids("grant", grant_ids), grants=_sorted(grant_ids))
    detail = _ids("emergency", emergency_ids)
    if grant_ids:
        detail += "; " + _ids("grant", grant_ids)
    return Decision(True, EMERGENCY, detail, grants=_sorted(grant_ids),
                    emergencies=_sorted(emergency_ids))


def can_view(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """May `viewer` see `record` at `now`? First matching rule of DESIGN.md §3 wins.

    A question asked before of the same facts gets the same answer without working it out
    again (`FamilyFacts.decisions`, which lives as long as the facts: one request). Records
    alike in all but their id are one question, unless a grant or shield names that id."""
    key = (viewer, alike(record, facts), now)
    decision = facts.decisions.get(key)
    if decision is None:
        decision = facts.decisions[key] = _can_view(viewer, record, facts, now)
    return decision


def alike(record: RecordFacts, facts: FamilyFacts) -> tuple:
    """What the policy decides `record` on, besides the viewer and the moment: records with
    the same are decided alike. Their id counts only when a grant or a shield names it."""
    return (record.id if record.id in facts.named_records else 0, record.category,
            record.subject_ids, record.author_participant_id, record.ancestor_ids)


def _can_view(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    shield = _shielding(viewer, record, facts, now)
    if shield is not None:
        return Decision(False, SHIELDED, f"shield #{shield.id}", shield=shield.id)
    if record.author_participant_id is not None and (
        record.author_participant_id == viewer.participant_id
    ):
        return Decision(True, AUTHOR)
    if viewer.role == Role.FAMILY:
        return _family_decision(viewer, record, facts, now)
    return _outsider_decision(viewer, record, facts, now)


def audience(
    record: RecordFacts, viewers: Iterable[ViewerFacts], facts: FamilyFacts, now: datetime
) -> list[tuple[ViewerFacts, Decision]]:
    """The viewers who may see `record`, each with the decision that lets them.

    Used for "Zichtbaar voor: …" under every record.
    """
    decisions = ((viewer, can_view(viewer, record, facts, now)) for viewer in viewers)
    return [(viewer, decision) for viewer, decision in decisions if decision.allowed]


@dataclass(frozen=True)
class Unseen:
    """Why a viewer cannot see a record: a shield hides it from them (then no consent helps),
    or the subjects whose consent (to them or their organisation, for the record's category)
    they lack."""

    shield: int | None = None
    subjects: tuple[int, ...] = ()


def why_unseen(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Unseen | None:
    """None when `viewer` may see `record` at `now`; else what stops them: the shield, or every
    subject without whose consent they cannot see it (each subject decided on its own, by
    `can_view`: the same rules, no copy of them)."""
    decision = can_view(viewer, record, facts, now)
    if decision.allowed:
        return None
    if decision.ground == SHIELDED:
        return Unseen(shield=decision.shield)
    return Unseen(subjects=tuple(
        subject_id for subject_id in sorted(record.subject_ids)
        if not can_view(viewer, replace(record, subject_ids=frozenset({subject_id})), facts,
                        now).allowed
    ))


# --- editing -----------------------------------------------------------------


def can_edit(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime, kind: str
) -> Decision:
    """May `viewer` change `record` (of `kind`: GOAL, ACTION or PLAN_SECTION)?

    Needs viewing, and the role's right to that kind. Network members may edit
    actions only; whether the action is theirs is for the caller to check.
    """
    view = can_view(viewer, record, facts, now)
    if not view.allowed:
        return view
    if kind not in EDIT_RIGHTS.get(viewer.role, frozenset()):
        return Decision(False, ROLE, f"role {viewer.role.value} may not edit {kind}")
    return view


# --- acting for someone --------------------------------------------------------------------


def may_consent_for(
    viewer: ViewerFacts, subject_id: int, facts: FamilyFacts, now: datetime,
    categories: Iterable[Category] | None = None,
) -> bool:
    """Whether `viewer` is one of those whose consent a grant from `subject_id` for
    `categories` (None: any kind of information) needs today: a family member who is the
    subject (from 12), a holder of authority (under 16) or a legal representative (for what
    that covers); or a professional of an organisation that holds authority (a guardian,
    voogd) or is the legal representative: it consents through its professionals."""
    person = facts.persons.get(subject_id)
    if person is None:
        return False
    day = local_day(now)
    if viewer.role is Role.FAMILY:
        return viewer.person_id is not None and (
            viewer.person_id in required_consenters(person, day, categories)
        )
    if viewer.role.is_professional:
        return viewer.organisation_id is not None and (
            viewer.organisation_id in required_organisations(person, day, categories)
        )
    return False


def acts_for(viewer: ViewerFacts, facts: FamilyFacts, now: datetime) -> frozenset[int]:
    """The persons `viewer` speaks for when shielding and reading the log: themself, and
    each child under 12 over whom they hold authority."""
    if viewer.role is not Role.FAMILY or viewer.person_id not in facts.persons:
        return frozenset()
    day = local_day(now)
    return frozenset({viewer.person_id}) | {
        p.id for p in facts.persons.values() if _holds_authority(viewer.person_id, p, day)
    }


# --- widening a record ---------------------------------------------------------------------


def newly_seeing(
    before: RecordFacts, after: RecordFacts, viewers: Iterable[ViewerFacts],
    facts: FamilyFacts, now: datetime,
) -> list[ViewerFacts]:
    """The viewers who may see `after` (a record with new subjects or category) but could not
    see it as `before`."""
    return [
        v for v in viewers
        if can_view(v, after, facts, now).allowed and not can_view(v, before, facts, now).allowed
    ]


def may_widen(viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime) -> bool:
    """A change that lets someone new see a record needs someone who may consent for every
    subject of it (DESIGN.md §3): each subject is the viewer, or a child under 12 in their care.
    A professional never widens on the family's behalf, and a parent never widens what a
    12-15-year-old must agree to as well."""
    return bool(record.subject_ids) and record.subject_ids <= acts_for(viewer, facts, now)


# --- who may see the privacy model itself ------------------------------------------------
# Consent, shields, emergency access, audit events and participation say something about
# someone too: a grant to a GGZ organisation tells of mental-health care, a shield tells
# the person it is set against that something is hidden from them.

SEES_OWN = "own"  # the viewer's own grant, shield, emergency access or participation
CONSENTER = "consenter"
GRANTEE = "grantee"
REQUESTER = "requester"
CHAIR = "casusregisseur"
ACTS_FOR = "acts_for"
OPEN = "open"  # family and network members take part openly
NOT_FOR_VIEWER = "not_for_viewer"
WITHHELD = "withheld"
DENIAL = "denial"


def can_see_consent(
    viewer: ViewerFacts, grant: GrantFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """A grant is seen by the casusregisseur, by whoever must consent to it (and the subject),
    by its grantee and by who asked for it."""
    if viewer.role is Role.CASUSREGISSEUR:
        return Decision(True, CHAIR)
    if viewer.role is Role.FAMILY and viewer.person_id is not None and (
        viewer.person_id == grant.subject_id
    ):
        return Decision(True, CONSENTER)
    if may_consent_for(viewer, grant.subject_id, facts, now, grant.categories):
        return Decision(True, CONSENTER)
    if grant.grantee_participant_id == viewer.participant_id or (
        grant.grantee_organisation_id is not None
        and grant.grantee_organisation_id == viewer.organisation_id
    ):
        return Decision(True, GRANTEE)
    if grant.requested_by_participant_id == viewer.participant_id:
        return Decision(True, REQUESTER)
    return Decision(False, NOT_FOR_VIEWER)


def can_see_shield(
    viewer: ViewerFacts, shield: ShieldFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """Nobody sees a shield set against them, nor any trace of it. Who may set it (the subject,
    a holder of authority over a child under 12) and the casusregisseur see it."""
    if shield.participant_id == viewer.participant_id:
        return Decision(False, SHIELDED, f"shield #{shield.id}", shield=shield.id)
    if shield.subject_id in acts_for(viewer, facts, now):
        return Decision(True, ACTS_FOR)
    if viewer.role is Role.CASUSREGISSEUR:
        return Decision(True, CHAIR)
    return Decision(False, NOT_FOR_VIEWER)


def may_set_shield(viewer: ViewerFacts, subject_id: int, facts: FamilyFacts, now: datetime) -> bool:
    return subject_id in acts_for(viewer, facts, now)


def can_see_emergency(
    viewer: ViewerFacts, emergency: EmergencyFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """The professional who used it and the casusregisseur; the family members who speak for
    its subject, unless telling them now would endanger the child."""
    if emergency.participant_id == viewer.participant_id:
        return Decision(True, SEES_OWN)
    shield = next((
        s for s in facts.shields
        if s.participant_id == viewer.participant_id and shield_is_active(s, now)
        and s.record_id is None and s.subject_id == emergency.subject_id
        and s.category == emergency.category
    ), None)
    if shield is not None:  # it tells of that very information: no trace of it either
        return Decision(False, SHIELDED, f"shield #{shield.id}", shield=shield.id)
    if viewer.role is Role.CASUSREGISSEUR:
        return Decision(True, CHAIR)
    if emergency.subject_id in acts_for(viewer, facts, now):
        if emergency.withhold_from_family:
            return Decision(False, WITHHELD)
        return Decision(True, ACTS_FOR)
    return Decision(False, NOT_FOR_VIEWER)


def can_see_participation(
    viewer: ViewerFacts, participation: ParticipationFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """Family and network members take part openly, and everyone sees the casusregisseur
    (the family's "vaste hulpverlener"). Any other professional is seen only by who may see
    the record of their involvement: their name and organisation say something about it."""
    if participation.participant_id == viewer.participant_id:
        return Decision(True, SEES_OWN)
    if participation.role in (Role.FAMILY, Role.NETWORK, Role.CASUSREGISSEUR):
        return Decision(True, OPEN)
    if participation.involvement is None:
        return Decision(False, NO_SUBJECTS)
    return can_view(viewer, participation.involvement, facts, now)


def can_edit_participation(
    viewer: ViewerFacts, participation: ParticipationFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """May `viewer` change a professional's line in the team (role, phone, funding, dates)?
    Their own line, as a professional; the casusregisseur every line they may see. Nobody
    else: a family member, the network or another professional never."""
    if INVOLVEMENT not in EDIT_RIGHTS.get(viewer.role, frozenset()):
        return Decision(False, ROLE, f"role {viewer.role.value} may not edit {INVOLVEMENT}")
    if participation.participant_id == viewer.participant_id:
        return Decision(True, SEES_OWN)
    if viewer.role is not Role.CASUSREGISSEUR:
        return Decision(False, ROLE, "only one's own line, or the casusregisseur")
    return can_see_participation(viewer, participation, facts, now)


#: what knowing of a legal representative tells about the person: a bewindvoerder of money
#: trouble; a mentor or curator that they cannot (fully) decide for themself, as the LVB flag does
REPRESENTATION_CATEGORY: dict[Representation, Category] = {
    Representation.MENTOR: Category.GEZONDHEID,
    Representation.CURATOR: Category.GEZONDHEID,
    Representation.BEWINDVOERDER: Category.FINANCIEN,
}


def can_see_representation(
    viewer: ViewerFacts, person_id: int, kind: Representation, facts: FamilyFacts,
    now: datetime,
) -> Decision:
    """May `viewer` know that `person_id` has a legal representative of `kind` (and who)? The
    casusregisseur (who keeps the family's persons up to date), the person themself and the
    representative; anyone else as a record of `REPRESENTATION_CATEGORY[kind]` about the person
    would be seen."""
    if viewer.role is Role.CASUSREGISSEUR:
        return Decision(True, CHAIR)
    if viewer.role is Role.FAMILY and viewer.person_id == person_id:
        return Decision(True, SUBJECT, f"person #{person_id}", persons=(person_id,))
    person = facts.persons.get(person_id)
    if person is not None and any(
        r.kind is kind and (
            (viewer.role is Role.FAMILY and r.person_id is not None
             and r.person_id == viewer.person_id)
            or (viewer.role.is_professional and r.organisation_id is not None
                and r.organisation_id == viewer.organisation_id)
        )
        for r in person.representatives
    ):
        return Decision(True, CONSENTER)
    about = RecordFacts(id=0, category=REPRESENTATION_CATEGORY[kind],
                        subject_ids=frozenset({person_id}))
    return can_view(viewer, about, facts, now)


def may_know_lvb(viewer: ViewerFacts, person_id: int, facts: FamilyFacts, now: datetime) -> bool:
    """The LVB flag is health information about the person: seen as a `gezondheid` record
    about them would be."""
    flag = RecordFacts(id=0, category=Category.GEZONDHEID, subject_ids=frozenset({person_id}))
    return can_view(viewer, flag, facts, now).allowed


def can_see_event(
    viewer: ViewerFacts, event: EventFacts, record: RecordFacts | None,
    facts: FamilyFacts, now: datetime,
) -> Decision:
    """May a family member read this audit event in "wie keek?" and inzage?

    Only events about the persons they speak for; about a record only while they may see that
    record now (`record` is None when it is gone); never a denial, never anything withheld
    from the family, never a trace of a shield against them; consent and emergency events as
    far as they may see that consent or emergency access.
    """
    mine = acts_for(viewer, facts, now)
    if not mine or not (event.subject_ids & mine):
        return Decision(False, NOT_FOR_VIEWER)
    if event.hidden_from_family:
        return Decision(False, WITHHELD)
    if event.action == "denied":
        return Decision(False, DENIAL)
    if event.target_kind == "shield":
        shield = next((s for s in facts.shields if s.id == event.target_id), None)
        if shield is None or not can_see_shield(viewer, shield, facts, now).allowed:
            return Decision(False, NOT_FOR_VIEWER)
    elif event.target_kind == "consent":
        grant = next((g for g in facts.grants if g.id == event.target_id), None)
        if grant is None or not can_see_consent(viewer, grant, facts, now).allowed:
            return Decision(False, NOT_FOR_VIEWER)
    elif event.target_kind == "emergency":
        emergency = next((e for e in facts.emergencies if e.id == event.target_id), None)
        if emergency is None or not can_see_emergency(viewer, emergency, facts, now).allowed:
            return Decision(False, NOT_FOR_VIEWER)
    if event.record_id is not None:
        if record is None or record.id != event.record_id:
            return Decision(False, NOT_FOR_VIEWER)
        seen = can_view(viewer, record, facts, now)
        if not seen.allowed:
            return seen
    return Decision(True, ACTS_FOR)
