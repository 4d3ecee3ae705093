"""Who may see and edit what: the privacy rules of DESIGN.md §3, as pure functions.

Facts in (`samenplan.privacy.facts`), a `Decision` with its ground out. No Flask, no
database, no caching: callers build fresh facts per request, so a revocation takes
effect on the very next request. `privacy/query.py` is the SQL twin of `can_view`
and must agree with it record by record.

Every datetime is naive UTC. When in doubt, deny: a subject that is missing from
`FamilyFacts.persons` can neither consent nor be under anyone's authority.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from samenplan.domain.ages import AGE_OF_CONSENT, age_on, local_day, required_consenters
from samenplan.privacy.facts import (
    Category,
    EmergencyFacts,
    FamilyFacts,
    GrantFacts,
    PersonFacts,
    RecordFacts,
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

# --- editing -----------------------------------------------------------------
GOAL = "goal"
ACTION = "action"
PLAN_SECTION = "plan_section"

#: Which kinds of record each role may edit (on top of being allowed to view them).
#: Network members may edit actions only; the caller checks the action is theirs.
EDIT_RIGHTS: dict[Role, frozenset[str]] = {
    Role.FAMILY: frozenset({GOAL, ACTION, PLAN_SECTION}),
    Role.NETWORK: frozenset({ACTION}),
    Role.PROFESSIONAL: frozenset({GOAL, ACTION, PLAN_SECTION}),
    Role.CASUSREGISSEUR: frozenset({GOAL, ACTION, PLAN_SECTION}),
}


@dataclass(frozen=True)
class Decision:
    """The outcome of a policy question, with the ground to put in the audit log."""

    allowed: bool
    ground: str
    detail: str = ""

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class GrantStatus:
    valid: bool
    state: str  # ACTIEF, WACHT, VERLOPEN, INGETROKKEN or NOG_NIET
    missing: frozenset[int] = frozenset()  # required consenters who have not consented


# --- grants ------------------------------------------------------------------


def grant_status(grant: GrantFacts, person: PersonFacts, now: datetime) -> GrantStatus:
    """The state of `grant` (from `person`) at `now`.

    `missing` is always computed against the consenters required on today's
    (Amsterdam) date, whatever the state; the grant is valid only in state ACTIEF.
    A child under 12 without any holder of authority has no one who can consent:
    such a grant stays WACHT with nobody listed as missing.
    """
    if grant.subject_id != person.id:
        raise ValueError(f"grant #{grant.id} is from person #{grant.subject_id}, not #{person.id}")
    required = required_consenters(person, local_day(now))
    missing = required - grant.consenter_ids
    if grant.revoked_at is not None and grant.revoked_at <= now:
        state = INGETROKKEN
    elif grant.end is not None and now >= grant.end:
        state = VERLOPEN
    elif now < grant.start:
        state = NOG_NIET
    elif missing or not required:
        state = WACHT
    else:
        state = ACTIEF
    return GrantStatus(valid=state == ACTIEF, state=state, missing=frozenset(missing))


def grant_covers(grant: GrantFacts, viewer: ViewerFacts, category: Category) -> bool:
    """Whether `grant` is addressed to `viewer` (or their organisation) and covers `category`.

    Says nothing about validity or about whose grant it is; see `grant_status`.
    """
    to_participant = grant.grantee_participant_id == viewer.participant_id
    to_organisation = (
        grant.grantee_organisation_id is not None
        and grant.grantee_organisation_id == viewer.organisation_id
    )
    return (to_participant or to_organisation) and category in grant.categories


def _valid_grant_ids(
    subject_id: int,
    viewer: ViewerFacts,
    category: Category,
    facts: FamilyFacts,
    now: datetime,
    *,
    via_organisation: bool,
) -> list[int]:
    """Ids of the valid grants from `subject_id` that cover `viewer` and `category`."""
    person = facts.persons.get(subject_id)
    if person is None:
        return []
    if not via_organisation:
        viewer = ViewerFacts(participant_id=viewer.participant_id, role=viewer.role)
    return sorted(
        grant.id
        for grant in facts.grants
        if grant.subject_id == subject_id
        and grant_covers(grant, viewer, category)
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
        return shield.record_id == record.id
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


def _no_consent(subject_id: int, facts: FamilyFacts) -> Decision:
    if subject_id not in facts.persons:
        return Decision(False, NO_GRANT, f"persoon #{subject_id} onbekend")
    return Decision(False, NO_GRANT, f"geen toestemming van persoon #{subject_id}")


def _shielding(viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime):
    for shield in facts.shields:
        if shield_is_active(shield, now) and shield_applies(shield, viewer, record):
            return shield
    return None


def _holds_authority(person_id: int | None, subject: PersonFacts | None, day: date) -> bool:
    """Whether `person_id` holds authority over `subject` and `subject` is under 16."""
    return (
        person_id is not None
        and subject is not None
        and age_on(subject.date_of_birth, day) < AGE_OF_CONSENT
        and person_id in subject.authority_holders
    )


def _family_decision(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """Rule 3, for a family member; their last word (no emergency access for family)."""
    subjects = sorted(record.subject_ids)
    if viewer.person_id is not None and viewer.person_id in record.subject_ids:
        return Decision(True, SUBJECT, f"persoon #{viewer.person_id}")
    day = local_day(now)
    if subjects and all(
        _holds_authority(viewer.person_id, facts.persons.get(s), day) for s in subjects
    ):
        return Decision(True, AUTHORITY, _ids("gezag over", subjects))
    if record.category == Category.ALGEMEEN:
        return Decision(True, ALGEMEEN)
    if not subjects:
        return Decision(False, NO_SUBJECTS)
    grant_ids: list[int] = []
    for subject_id in subjects:
        ids = _valid_grant_ids(
            subject_id, viewer, record.category, facts, now, via_organisation=False
        )
        if not ids:
            return _no_consent(subject_id, facts)
        grant_ids += ids
    return Decision(True, GRANT, _ids("grant", grant_ids))


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
        ids = _valid_grant_ids(
            subject_id, viewer, record.category, facts, now, via_organisation=True
        )
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
        return Decision(True, GRANT, _ids("grant", grant_ids))
    detail = _ids("emergency", emergency_ids)
    if grant_ids:
        detail += "; " + _ids("grant", grant_ids)
    return Decision(True, EMERGENCY, detail)


def can_view(
    viewer: ViewerFacts, record: RecordFacts, facts: FamilyFacts, now: datetime
) -> Decision:
    """May `viewer` see `record` at `now`? First matching rule of DESIGN.md §3 wins."""
    shield = _shielding(viewer, record, facts, now)
    if shield is not None:
        return Decision(False, SHIELDED, f"afscherming #{shield.id}")
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
        return Decision(False, ROLE, f"rol {viewer.role.value} mag geen {kind} bewerken")
    return view
