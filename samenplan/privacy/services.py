"""Consent, shielding and emergency access: who may record what, and the audit trail of it.
Each function checks the actor's right, changes the database, logs, and commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from samenplan.domain.i18n import _ as _mark
from samenplan.auth.models import User
from samenplan.domain.ages import local_day, required_consenters, required_organisations
from samenplan.domain.vocabulary import ConsentMethod
from samenplan.families.models import Person
from samenplan.notices.services import notify
from samenplan.privacy import audit, loader, policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Role
from samenplan.privacy.models import (
    AuditEvent, Consent, ConsentApproval, ConsentCategory, ConsentOrganisationApproval,
    EmergencyAccess, HoldsAny, Record, Shield,
)
from samenplan.records.history import check_version, saving, touch


class NotAllowed(Exception):
    pass


class Invalid(Exception):
    """Input that cannot be saved; the message is shown to the user."""


# --- who may act for whom ------------------------------------------------------------------
def consenters_for(access: Access, person: Person, categories=None) -> frozenset[int]:
    """Person ids whose consent a grant from `person` for `categories` (None: any) needs today."""
    return required_consenters(access.facts.persons[person.id], local_day(access.now), categories)


def organisations_for(access: Access, person: Person, categories=None) -> frozenset[int]:
    """Organisations whose consent such a grant needs today: a guardian (voogd), a legal
    representative. Their professional participants give it in the app."""
    return required_organisations(access.facts.persons[person.id], local_day(access.now),
                                  categories)


def _categories(consent: Consent) -> list[Category]:
    return [Category(c.category) for c in consent.categories]


def my_consenting_organisation(access: Access, consent: Consent) -> int | None:
    """The viewer's organisation, when the viewer is a professional and their organisation is
    one whose yes this consent needs today (it consents through them)."""
    org = access.participant.organisation_id
    if not access.viewer.role.is_professional or org is None:
        return None
    return org if org in organisations_for(access, consent.subject, _categories(consent)) else None


def persons_i_consent_for(access: Access) -> list[Person]:
    """The persons for whom the viewer (a family member) gives or withdraws consent."""
    return [
        p for p in access.persons
        if policy.may_consent_for(access.viewer, p.id, access.facts, access.now)
    ]


def persons_i_shield_for(access: Access) -> list[Person]:
    """A subject shields for themself; a holder of authority for a child under 12."""
    mine = policy.acts_for(access.viewer, access.facts, access.now)
    return [p for p in access.persons if p.id in mine]


def may_record_at_table(access: Access) -> bool:
    """Consent given at the table or on paper is recorded by the casusregisseur only."""
    return access.viewer.role is Role.CASUSREGISSEUR


#: how a viewer takes part in deciding on consent (the consent page, the consent round)
RECORD_MODE, GIVE_MODE, ASK_MODE = "record", "give", "ask"


def consent_mode(access: Access) -> str:
    """record (the casusregisseur: consent given at the table or on paper), give (a family
    member, their own consent in the app) or ask (anyone else: only a request)."""
    if may_record_at_table(access):
        return RECORD_MODE
    if persons_i_consent_for(access):
        return GIVE_MODE
    return ASK_MODE


# --- consent -------------------------------------------------------------------------------
def consents_visible_to(access: Access) -> list[Consent]:
    """Consent itself says something (a grant to GGZ tells of mental-health care): who sees
    which grant is decided by `policy.can_see_consent`."""
    consents = access.session.scalars(
        select(Consent).where(Consent.family_id == access.family_id)
        .options(
            selectinload(Consent.categories),
            selectinload(Consent.approvals).selectinload(ConsentApproval.person),
            selectinload(Consent.approvals).selectinload(ConsentApproval.recorded_by),
            selectinload(Consent.organisation_approvals)
            .selectinload(ConsentOrganisationApproval.organisation),
            selectinload(Consent.organisation_approvals)
            .selectinload(ConsentOrganisationApproval.recorded_by),
            selectinload(Consent.grantee_organisation), selectinload(Consent.grantee_participant),
            selectinload(Consent.record),
        )
        .order_by(Consent.id)
    ).all()
    return [
        c for c in consents
        if policy.can_see_consent(access.viewer, loader.grant_facts(c), access.facts, access.now)
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
    record_id: int | None = None  # a record grant: this one record only


def _grantee(access: Access, grantee: str, *, own_only: bool) -> tuple[int | None, int | None]:
    """(organisation id, participant id) of the grantee, which must take part in the plan
    and be known to the viewer; a requester asks only for their own organisation or self."""
    from samenplan.ids import parse_id

    kind, _sep, raw_id = (grantee or "").partition(":")
    try:
        parse_id(raw_id)
    except ValueError:
        raise Invalid(_mark("Kies aan wie je toestemming geeft.")) from None
    known = access.visible_participants
    if kind == "org":
        org_id = int(raw_id)
        if org_id not in {p.organisation_id for p in known if p.organisation_id}:
            raise Invalid(_mark("Deze organisatie doet niet mee aan het plan."))
        if own_only and org_id != access.participant.organisation_id:
            raise NotAllowed("may only ask for consent for one's own organisation")
        return org_id, None
    if kind == "participant":
        participant_id = int(raw_id)
        if participant_id not in {p.id for p in known}:
            raise Invalid(_mark("Deze persoon doet niet mee aan het plan."))
        if own_only and participant_id != access.participant.id:
            raise NotAllowed("may only ask for consent for oneself")
        return None, participant_id
    raise Invalid(_mark("Kies aan wie je toestemming geeft."))


def grant(access: Access, data: GrantInput, *, commit: bool = True,
          for_someone_else: bool = False) -> Consent:
    """A grant. Family members give it themselves (in the app); the casusregisseur records
    consent given at the table or on paper; anyone else may only *ask* for it: the consenters
    approve or decline the request themselves. The consenters are notified either way.

    A requester asks for their own organisation or themself only, unless the caller checked
    that the grantee is someone the record at hand is given to (`for_someone_else`: the
    assignee of an action who cannot see it), or it is a grant for one record (who is named in
    a record, e.g. a safety-plan item, is asked for). `commit=False` leaves the commit to the
    caller (the consent round saves a whole step, a safety-plan item its grants, in one
    transaction)."""
    subject = next((p for p in access.persons if p.id == data.subject_id), None)
    if subject is None:
        raise NotAllowed("subject outside this family")
    record = None
    if data.record_id is not None:
        record = access.get(Record, data.record_id)
        if record is None or subject.id not in {p.id for p in record.effective_subjects}:
            raise Invalid(_mark("Dit stuk informatie gaat niet over deze persoon."))
        categories = [record.effective_category]
    else:
        categories = sorted({Category(c).value for c in data.categories})
    if not categories:
        raise Invalid(_mark("Kies minstens één soort informatie."))
    required = consenters_for(access, subject, categories)
    required_orgs = organisations_for(access, subject, categories)
    me = access.participant.person_id
    my_org = access.participant.organisation_id if access.viewer.role.is_professional else None
    # a professional of an organisation that must consent (a guardian, a legal representative)
    # gives its yes by making the grant
    org_approvers = {my_org} if my_org is not None and my_org in required_orgs else set()
    if access.viewer.role is Role.FAMILY and me in required:
        approvers, how, requested_by = {me}, "app", None
    elif may_record_at_table(access) and data.how in ("tafel", "papier"):
        approvers = set(data.consenter_ids)
        if not approvers:
            raise Invalid(_mark("Kies wie er toestemming gaf."))
        if not approvers <= required:
            raise Invalid(_mark("Alleen wie toestemming moet geven, kan toestemming geven."))
        how, requested_by = data.how, None
    elif org_approvers:
        approvers, how, requested_by = set(), "app", None
    else:
        approvers, how, requested_by = set(), "verzoek", access.participant.id
    org_id, participant_id = _grantee(
        access, data.grantee,
        own_only=requested_by is not None and access.viewer.role is not Role.CASUSREGISSEUR
        and not for_someone_else and record is None,
    )
    if data.end_at is not None and data.end_at <= access.now:
        raise Invalid(_mark("De einddatum moet in de toekomst liggen."))
    consent = Consent(
        family_id=access.family_id, subject_id=subject.id, record_id=record.id if record else None,
        grantee_organisation_id=org_id, grantee_participant_id=participant_id,
        purpose=data.purpose.strip(), start_at=access.now, end_at=data.end_at, how=how,
        recorded_by_id=access.user.id, requested_by_participant_id=requested_by,
        categories=[ConsentCategory(category=c) for c in categories],
        approvals=[ConsentApproval(person_id=pid, how=how, recorded_by_id=access.user.id,
                                   given_at=access.now) for pid in sorted(approvers)],
        organisation_approvals=[ConsentOrganisationApproval(
            organisation_id=oid, how="app", recorded_by_id=access.user.id, given_at=access.now,
        ) for oid in sorted(org_approvers)],
    )
    access.session.add(consent)
    access.session.flush()
    action = "request" if how == "verzoek" else "grant"
    access.queue(_consent_event(access, action, consent, how=how, categories=sorted(categories)))
    if how in ("tafel", "papier"):
        _notify_persons(access, approvers, consent, "recorded")
    _notify_persons(access, required - approvers, consent, "asked")
    _notify_organisations(access, required_orgs - org_approvers, consent, "asked")
    _tell_grantees(access, consent, was_valid=False)
    if commit:
        access.session.commit()
    return consent


def add_grant(access: Access, data: GrantInput) -> Consent:
    """`grant` inside a transaction another service owns (and commits)."""
    return grant(access, data, commit=False)


def _acts_as_consenter(access: Access, consent: Consent) -> bool:
    """The viewer is a family member whose consent this grant needs (today)."""
    me = access.participant.person_id
    return (access.viewer.role is Role.FAMILY and me is not None
            and me in consenters_for(access, consent.subject, _categories(consent)))


def approve(
    access: Access, consent: Consent, on_behalf_of: list[int] | None, version: int | None,
) -> None:
    """A missing consenter adds their own yes in the app; the casusregisseur records a yes
    given at the table (the consenters are told). Nobody else approves for anyone. From the
    state the viewer saw (`version`): a consent changed since is not approved blindly (Stale)."""
    by_family = _acts_as_consenter(access, consent)
    my_org = my_consenting_organisation(access, consent)
    if not (by_family or my_org is not None or may_record_at_table(access)):
        raise NotAllowed("only a consenter, or the casusregisseur at the table, approves")
    check_version(consent, version)
    if consent.revoked_at is not None or consent.declined_at is not None:
        raise Invalid(_mark("Deze toestemming geldt niet meer."))
    required = consenters_for(access, consent.subject, _categories(consent))
    given = {a.person_id for a in consent.approvals}
    given_orgs = {a.organisation_id for a in consent.organisation_approvals}
    me = access.participant.person_id
    new, new_orgs = [], []
    if by_family and me not in given:
        new, how = [me], "app"
    elif may_record_at_table(access) and on_behalf_of:
        new = [pid for pid in on_behalf_of if pid in required and pid not in given]
        if not new:
            raise Invalid(_mark("Kies wie er toestemming gaf."))
        how = "tafel"
    elif my_org is not None and my_org not in given_orgs:
        new_orgs, how = [my_org], "app"  # the organisation's yes, given by its professional
    elif may_record_at_table(access):
        raise Invalid(_mark("Kies wie er toestemming gaf."))
    else:
        raise Invalid(_mark("Je hebt al toestemming gegeven."))
    was_valid = consent_status(access, consent).valid
    with saving(access.session, consent):
        for pid in new:
            consent.approvals.append(ConsentApproval(
                person_id=pid, how=how, recorded_by_id=access.user.id, given_at=access.now
            ))
        for oid in new_orgs:
            consent.organisation_approvals.append(ConsentOrganisationApproval(
                organisation_id=oid, how=how, recorded_by_id=access.user.id, given_at=access.now
            ))
        touch(consent, "how")  # an approval is a new version of the consent
        access.session.flush()  # the consent first: a newer version stops the approval here
        params = dict(how=how, persons=sorted(new))
        if new_orgs:
            params["organisations"] = sorted(new_orgs)
        access.queue(_consent_event(access, "approve", consent, **params))
        if how == "tafel":
            _notify_persons(access, set(new), consent, "recorded")
        _tell_grantees(access, consent, was_valid)
        access.session.commit()


def decline(access: Access, consent: Consent, reason: str, version: int | None) -> None:
    """A consenter says no to a request (or to a grant still waiting for them), from the
    state they saw (`version`)."""
    if not _acts_as_consenter(access, consent):
        raise NotAllowed("only a consenter declines")
    check_version(consent, version)
    if consent.revoked_at is not None or consent.declined_at is not None:
        raise Invalid(_mark("Deze toestemming geldt niet meer."))
    if access.participant.person_id in {a.person_id for a in consent.approvals}:
        raise Invalid(_mark("Je hebt al ja gezegd. Wil je dat niet meer? Trek de toestemming dan in."))
    with saving(access.session, consent):
        consent.declined_at = access.now
        consent.declined_by_person_id = access.participant.person_id
        consent.decline_reason = (reason or "").strip()[:1000]
        access.session.flush()
        access.queue(_consent_event(access, "decline", consent))
        if consent.requested_by is not None:
            _notify_users(access, [consent.requested_by.user_id], consent, "declined")
        access.session.commit()


def ask(access: Access, consent: Consent, version: int | None, *, commit: bool = True) -> list[str]:
    """Remind the consenters who have not answered yet, as the viewer saw the consent
    (`version`); returns who was asked. Asking changes nothing of the consent itself."""
    check_version(consent, version)
    status = consent_status(access, consent)
    if status.state != policy.WACHT or not (status.missing or status.missing_organisations):
        raise Invalid(_mark("Er hoeft niemand meer toestemming te geven."))
    asked = [p for p in access.persons if p.id in status.missing]
    params = dict(persons=sorted(p.id for p in asked))
    if status.missing_organisations:
        params["organisations"] = sorted(status.missing_organisations)
    access.queue(_consent_event(access, "ask", consent, **params))
    _notify_persons(access, set(status.missing), consent, "asked")
    _notify_organisations(access, set(status.missing_organisations), consent, "asked")
    if commit:
        access.session.commit()
    return [p.first_name for p in asked] + organisation_names(access, status.missing_organisations)


def revoke(access: Access, consent: Consent, version: int | None, *, commit: bool = True) -> None:
    """Any of the consenters withdraws in the app; the casusregisseur may record that someone
    withdrew it at the table (the consenters are told). From the state the viewer saw
    (`version`): a consent revoked or changed since is answered with how it is now (Stale)."""
    end_grant(access, consent, version)
    if commit:
        access.session.commit()


#: how long whoever withdrew a consent may still take that back ("Ongedaan maken")
UNDO_REVOKE_WINDOW = timedelta(minutes=10)


def may_undo_revoke(access: Access, consent: Consent) -> bool:
    """The viewer withdrew this consent themselves, a short while ago, and nothing has taken
    its place since (no newer consent of the same person for the same reader: a narrowed
    consent goes on as a new one, and that is not undone here)."""
    if consent.revoked_at is None or consent.revoked_by_id != access.user.id:
        return False
    if access.now - consent.revoked_at > UNDO_REVOKE_WINDOW:
        return False
    if not may_revoke(access, consent):
        return False
    newer = select(Consent.id).where(
        Consent.family_id == consent.family_id, Consent.subject_id == consent.subject_id,
        Consent.id != consent.id, Consent.start_at >= consent.revoked_at,
        Consent.grantee_organisation_id.is_(None) if consent.grantee_organisation_id is None
        else Consent.grantee_organisation_id == consent.grantee_organisation_id,
        Consent.grantee_participant_id.is_(None) if consent.grantee_participant_id is None
        else Consent.grantee_participant_id == consent.grantee_participant_id,
    )
    return access.session.scalar(newer.limit(1)) is None


def undo_revoke(access: Access, consent: Consent, version: int | None) -> None:
    """Take back one's own withdrawal within UNDO_REVOKE_WINDOW: the consent holds again as
    it was (a new revision in its history, and an audit event)."""
    if not may_undo_revoke(access, consent):
        raise NotAllowed("may not undo this revocation")
    check_version(consent, version)
    with saving(access.session, consent):
        consent.revoked_at = None
        consent.revoked_by_id = None
        access.session.flush()
        access.queue(_consent_event(access, "undo_revoke", consent))
        _tell_grantees(access, consent, was_valid=False)
    access.session.commit()


def end_grant(access: Access, consent: Consent, version: int | None) -> None:
    """`revoke`, inside a transaction another service owns (and commits): e.g. a record grant
    of someone no longer named in a safety-plan item."""
    by_family = _acts_as_consenter(access, consent) or (
        my_consenting_organisation(access, consent) is not None
    )
    if not (by_family or may_record_at_table(access)):
        raise NotAllowed("may not revoke this consent")
    check_version(consent, version)
    if consent.revoked_at is not None:
        raise Invalid(_mark("Deze toestemming is al ingetrokken."))
    was_valid = consent_status(access, consent).valid
    with saving(access.session, consent):
        consent.revoked_at = access.now
        consent.revoked_by_id = access.user.id
        access.session.flush()  # a revoke that came second stops here
        access.queue(_consent_event(access, "revoke", consent))
        if not by_family:
            categories = _categories(consent)
            _notify_persons(access, set(consenters_for(access, consent.subject, categories)),
                            consent, "revoked")
            _notify_organisations(access, set(organisations_for(access, consent.subject, categories)),
                                  consent, "revoked")
        _tell_grantees(access, consent, was_valid)


def narrow(access: Access, consent: Consent, keep, version: int | None, *,
           commit: bool = True) -> Consent | None:
    """Take kinds of information out of a consent, from the state the viewer saw (`version`):
    whoever may revoke it (`may_revoke`) withdraws it for what is left out. A consent is one
    row for all its kinds, so it is revoked, and the rest goes on as a new consent with the
    same yeses (who said yes to more, said yes to less) and how and when they were given.
    Returns the new consent; None when nothing is left (a revocation) or nothing changes."""
    if not may_revoke(access, consent):
        raise NotAllowed("may not revoke this consent")
    if consent.record_id is not None:
        raise Invalid(_mark("Deze toestemming is voor één ding. Trek hem in als je hem niet meer wilt."))
    check_version(consent, version)
    if consent.revoked_at is not None:
        raise Invalid(_mark("Deze toestemming is al ingetrokken."))
    current = {c.category for c in consent.categories}
    kept = sorted(current & {Category(c).value for c in keep})
    if set(kept) == current:
        return None
    if not kept:
        revoke(access, consent, version, commit=commit)
        return None
    by_family = _acts_as_consenter(access, consent) or (
        my_consenting_organisation(access, consent) is not None
    )
    was_valid = consent_status(access, consent).valid
    with saving(access.session, consent):
        consent.revoked_at = access.now
        consent.revoked_by_id = access.user.id
        access.session.flush()  # a revoke that came second stops here
        rest = Consent(
            family_id=consent.family_id, subject_id=consent.subject_id,
            grantee_organisation_id=consent.grantee_organisation_id,
            grantee_participant_id=consent.grantee_participant_id, purpose=consent.purpose,
            start_at=consent.start_at, end_at=consent.end_at, how=consent.how,
            recorded_by_id=consent.recorded_by_id,
            requested_by_participant_id=consent.requested_by_participant_id,
            categories=[ConsentCategory(category=c) for c in kept],
            approvals=[ConsentApproval(person_id=a.person_id, how=a.how, given_at=a.given_at,
                                       recorded_by_id=a.recorded_by_id) for a in consent.approvals],
            organisation_approvals=[ConsentOrganisationApproval(
                organisation_id=a.organisation_id, how=a.how, given_at=a.given_at,
                recorded_by_id=a.recorded_by_id) for a in consent.organisation_approvals],
        )
        access.session.add(rest)
        access.session.flush()
        removed = sorted(current - set(kept))
        access.queue(_consent_event(access, "revoke", consent, categories=removed,
                                    continued_as=rest.id))
        access.queue(_consent_event(access, "grant", rest, how=rest.how, categories=kept,
                                    continues=consent.id))
        if not by_family:
            _notify_persons(access, set(consenters_for(access, consent.subject, current)),
                            consent, "revoked")
            _notify_organisations(access, set(organisations_for(access, consent.subject, current)),
                                  consent, "revoked")
        valid = consent_status(access, rest).valid
        if was_valid and valid:
            _notify_grantees(access, rest, "access_lost", removed)
        elif valid:
            _notify_grantees(access, rest, "access_granted", kept)
        elif was_valid:
            _notify_grantees(access, rest, "access_lost", sorted(current))
        if commit:
            access.session.commit()
    return rest


def _tell_grantees(access: Access, consent: Consent, was_valid: bool) -> None:
    """Whom a consent is to learns when it starts or stops letting them see something: the
    participant it names, or the organisation's professionals in this plan."""
    valid = consent_status(access, consent).valid
    if valid == was_valid:
        return
    _notify_grantees(access, consent, "access_granted" if valid else "access_lost",
                     sorted(c.category for c in consent.categories))


def _notify_grantees(access: Access, consent: Consent, kind: str, categories: list[str]) -> None:
    """Tell whom `consent` is to that they may now see (access_granted), or no longer see
    (access_lost), these kinds of information about its subject."""
    users = [
        p.user_id for p in access.participants
        if p.id == consent.grantee_participant_id or (
            consent.grantee_organisation_id is not None
            and p.organisation_id == consent.grantee_organisation_id
            and Role(p.role).is_professional
        )
    ]
    params = {"person": consent.subject.first_name, "categories": list(categories)}
    if consent.record_id is not None:
        params["one_record"] = True
    notify(access.session, users, kind=kind, params=params,
           link=f"/gezin/{access.family_id}", now=access.now, family_id=access.family_id,
           actor_user_id=access.user.id)


def _consent_event(access: Access, action: str, consent: Consent, **params) -> audit.Event:
    """An event about a consent: whose it is, what it concerns (a record, for a record
    grant), and its parameters as codes and ids."""
    if consent.record_id is not None:
        params["record"] = consent.record_id
    return access.event(action, subject_ids=(consent.subject_id,), params=params,
                        target_kind="consent", target_id=consent.id)


def _shield_event(access: Access, action: str, shield: Shield) -> audit.Event:
    params: dict = {"participant": shield.participant_id}
    if shield.record_id is not None:
        params["record"] = shield.record_id
    else:
        params["category"] = shield.category
    return access.event(action, subject_ids=(shield.subject_id,), params=params,
                        target_kind="shield", target_id=shield.id)


def may_revoke(access: Access, consent: Consent) -> bool:
    return (may_record_at_table(access) or _acts_as_consenter(access, consent)
            or my_consenting_organisation(access, consent) is not None)


#: what one can do with a consent (the buttons on its card), as codes
APPROVE, RECORD, DECLINE, ASK, REVOKE = "approve", "record", "decline", "ask", "revoke"


def consent_actions(access: Access, consent: Consent) -> frozenset[str]:
    """What the viewer can do with this consent as it is now: say yes or no (a missing
    consenter), record a yes given at the table (the casusregisseur), ask the missing
    consenters, revoke it. Nothing once it is revoked, declined or expired."""
    status = consent_status(access, consent)
    if status.state not in (policy.ACTIEF, policy.WACHT, policy.NOG_NIET):
        return frozenset()
    me = access.participant.person_id
    my_org = my_consenting_organisation(access, consent)
    mine = (me is not None and me in status.missing) or (
        my_org is not None and my_org in status.missing_organisations)
    found = set()
    if status.state == policy.WACHT and me is not None and me in status.missing:
        found |= {APPROVE, DECLINE}
    elif status.state == policy.WACHT and my_org in status.missing_organisations:
        found.add(APPROVE)  # the organisation's yes (a guardian, a legal representative)
    elif status.state == policy.WACHT and may_record_at_table(access) and status.missing:
        found.add(RECORD)
    if status.state == policy.WACHT and (status.missing or status.missing_organisations) and not mine:
        found.add(ASK)
    if may_revoke(access, consent):
        found.add(REVOKE)
    return frozenset(found)


def participant_of_user(access: Access, user_id: int | None):
    """The participant (in this family) a user acted as, for naming them as the viewer may
    know them (`web.participant_name`); None when they no longer take part."""
    return next((p for p in access.participants if user_id is not None and p.user_id == user_id), None)


def _notify_persons(access: Access, person_ids: set[int], consent: Consent, kind: str) -> None:
    """In the app and by e-mail, to every consenter with a login (never to the actor)."""
    users = [
        p.user_id for p in access.participants
        if p.person_id in person_ids and p.user_id != access.user.id
    ]
    _notify_users(access, users, consent, kind)


def _notify_organisations(access: Access, organisation_ids: set[int], consent: Consent,
                          kind: str) -> None:
    """The professional participants of these organisations, who consent in their name."""
    users = [
        p.user_id for p in access.participants
        if p.organisation_id in organisation_ids and Role(p.role).is_professional
        and p.user_id != access.user.id
    ]
    _notify_users(access, users, consent, kind)


def organisation_names(access: Access, organisation_ids) -> list[str]:
    from samenplan.orgs.models import Organisation

    if not organisation_ids:
        return []
    return list(access.session.scalars(
        select(Organisation.name).where(Organisation.id.in_(sorted(organisation_ids)))
        .order_by(Organisation.name)
    ))


def organisation_names_by_id(access: Access, organisation_ids) -> dict[int, str]:
    from samenplan.orgs.models import Organisation

    if not organisation_ids:
        return {}
    return dict(access.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(sorted(organisation_ids)))
    ).all())


def tell_newcomer(access: Access) -> None:
    """A family member who just joined hears what was decided for them before they had a
    login: consent the casusregisseur recorded on their behalf (at the table, on paper), and
    requests still waiting for their yes. Told once, now, as anyone told at the time would
    have been (the notices they could not get then)."""
    person_id = access.participant.person_id
    if person_id is None:
        return
    recorded: dict[int, Consent] = {}  # by who recorded it: one notice each
    waiting: dict[int, Consent] = {}
    for consent in consents_visible_to(access):
        status = consent_status(access, consent)
        if status.state in (policy.INGETROKKEN, policy.VERLOPEN, policy.GEWEIGERD):
            continue
        for approval in consent.approvals:
            if (approval.person_id == person_id and approval.how != ConsentMethod.APP
                    and approval.recorded_by_id is not None):
                recorded.setdefault(approval.recorded_by_id, consent)
        if person_id in status.missing:
            asker = consent.requested_by.user_id if consent.requested_by else consent.recorded_by_id
            waiting.setdefault(asker or 0, consent)
    for kind, found in (("consent_recorded", recorded), ("consent_asked", waiting)):
        for actor_id, consent in found.items():
            actor = access.session.get(User, actor_id) if actor_id else None
            notify(access.session, [access.user.id], kind=kind,
                   params={"actor": actor.name if actor else "samenplan"},
                   link=f"/gezin/{access.family_id}/toestemming#toestemming-{consent.id}",
                   now=access.now, family_id=access.family_id)


def _notify_users(access: Access, user_ids: list[int], consent: Consent, kind: str) -> None:
    """A notification in the app now, and a mail once the transaction is committed (none if
    it is rolled back)."""
    notify(access.session, user_ids, kind=f"consent_{kind}", params={"actor": access.user.name},
           link=f"/gezin/{access.family_id}/toestemming#toestemming-{consent.id}",
           now=access.now, family_id=access.family_id, actor_user_id=access.user.id)


# --- shielding -----------------------------------------------------------------------------
def _shield_facts(access: Access, shield: Shield):
    return next(f for f in access.facts.shields if f.id == shield.id)


def shields_visible_to(access: Access) -> list[Shield]:
    """Shields as `policy.can_see_shield` allows: never to the participant shielded from."""
    stmt = (
        select(Shield).where(Shield.family_id == access.family_id)
        .options(selectinload(Shield.participant), selectinload(Shield.subject))
        .order_by(Shield.id)
    )
    return [
        s for s in access.session.scalars(stmt)
        if policy.can_see_shield(access.viewer, _shield_facts(access, s), access.facts, access.now)
    ]


def add_shield(
    access: Access, subject_id: int, participant_id: int, record_id: int | None,
    category: str | None, reason: str,
) -> Shield:
    if not policy.may_set_shield(access.viewer, subject_id, access.facts, access.now):
        raise NotAllowed("may not shield for this person")
    others = {p.id for p in access.visible_participants if p.id != access.participant.id}
    if participant_id not in others:
        raise Invalid(_mark("Kies voor wie je dit verbergt."))
    if (record_id is None) == (category is None):
        raise Invalid(_mark("Kies één stuk informatie, of een soort informatie."))
    if record_id is not None:
        record = access.get(Record, record_id)
        if record is None or subject_id not in {p.id for p in record.effective_subjects}:
            raise Invalid(_mark("Dit stuk informatie gaat niet over deze persoon."))
    else:
        category = Category(category).value
    shield = Shield(
        family_id=access.family_id, subject_id=subject_id, participant_id=participant_id,
        record_id=record_id, category=category, reason=reason.strip(),
        created_by_id=access.user.id, created_at=access.now,
    )
    access.session.add(shield)
    access.session.flush()
    access.queue(_shield_event(access, "shield", shield))
    access.session.commit()
    return shield


def may_lift(access: Access, shield: Shield) -> bool:
    """Who may set a shield for its subject may lift it, unless it is set against them."""
    return shield.lifted_at is None and shield.participant_id != access.participant.id and (
        policy.may_set_shield(access.viewer, shield.subject_id, access.facts, access.now)
    )


def lift_shield(access: Access, shield: Shield, version: int | None) -> None:
    """Lift a shield, from the state the viewer saw (`version`): one lifted or changed since
    is answered with how it is now (Stale)."""
    if not policy.may_set_shield(access.viewer, shield.subject_id, access.facts, access.now) or (
        shield.participant_id == access.participant.id
    ):
        raise NotAllowed("may not lift this shield")
    check_version(shield, version)
    if shield.lifted_at is not None:
        raise Invalid(_mark("Deze afscherming is al opgeheven."))
    with saving(access.session, shield):
        shield.lifted_at = access.now
        shield.lifted_by_id = access.user.id
        access.session.flush()  # a lift that came second stops here
        access.queue(_shield_event(access, "lift", shield))
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
        raise Invalid(_mark("Beantwoord alle vijf de vragen."))
    if data.withhold_from_family and not data.withhold_reason.strip():
        raise Invalid(_mark("Schrijf op waarom het gezin dit nu niet mag zien."))
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
    chair = next((p for p in access.participants if p.role == Role.CASUSREGISSEUR), None)
    if chair is not None and chair.id != access.participant.id:
        notify(access.session, [chair.user_id], kind="emergency",
               params={"actor": access.user.name, "person": _person_name(access, data.subject_id),
                       "category": emergency.category, "until": emergency.end_at.isoformat()},
               link=f"/gezin/{access.family_id}/doorbreken/{emergency.id}", now=access.now,
               family_id=access.family_id, actor_user_id=access.user.id)
    access.queue(access.event(
        "emergency", subject_ids=(data.subject_id,),
        params={"category": emergency.category, "until": emergency.end_at.isoformat(timespec="minutes")},
        hidden_from_family=data.withhold_from_family, target_kind="emergency",
        target_id=emergency.id,
    ))
    access.session.commit()
    return emergency


def end_emergency(access: Access, emergency: EmergencyAccess) -> None:
    if emergency.participant_id != access.participant.id and access.viewer.role is not Role.CASUSREGISSEUR:
        raise NotAllowed("may not end this emergency access")
    if emergency.ended_at is None and emergency.end_at > access.now:
        emergency.ended_at = access.now
        access.queue(access.event(
            "emergency_end", subject_ids=(emergency.subject_id,),
            params={"category": emergency.category},
            hidden_from_family=emergency.withhold_from_family,
            target_kind="emergency", target_id=emergency.id,
        ))
        access.session.commit()


def _person_name(access: Access, person_id: int) -> str:
    return next(p.first_name for p in access.persons if p.id == person_id)


# --- "wie heeft mijn gegevens bekeken?" and inzage ------------------------------------------
def persons_i_see_log_for(access: Access) -> list[Person]:
    """Oneself, and children under 12 under one's authority."""
    return persons_i_shield_for(access)


def emergencies_visible_to(access: Access, person_ids: set[int] | None = None) -> list[EmergencyAccess]:
    items = access.session.scalars(
        select(EmergencyAccess).where(EmergencyAccess.family_id == access.family_id)
        .options(selectinload(EmergencyAccess.participant), selectinload(EmergencyAccess.subject))
        .order_by(EmergencyAccess.id.desc())
    ).all()
    by_id = {e.id: e for e in access.facts.emergencies}
    return [
        e for e in items
        if (person_ids is None or e.subject_id in person_ids)
        and policy.can_see_emergency(access.viewer, by_id[e.id], access.facts, access.now).allowed
    ]


@dataclass(frozen=True)
class LogLine:
    """One line of "wie keek?": one record (or one consent, shield, emergency access) an
    audit event was about."""

    event: AuditEvent
    record_id: int | None
    category: str | None
    ground: str

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def actor(self):
        return self.event.actor


def _lines(event: AuditEvent) -> list[tuple[LogLine, dict | None]]:
    if event.items:
        return [(LogLine(event, item["record"], item.get("category"), item.get("ground", "")), item)
                for item in event.items]
    record_id = (event.params or {}).get("record")
    return [(LogLine(event, record_id, (event.params or {}).get("category"), ""), None)]


def log_for_persons(access: Access, person_ids: set[int], record_id: int | None = None,
                    *, include_own: bool = True) -> list[LogLine]:
    """What the audit log says about these persons that the viewer may read, newest first, a
    line per record an event was about: only records they may see now, never a denial, never
    a trace of a shield against them (`policy.can_see_event`); without the viewer's own doings
    unless `include_own`."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.family_id == access.family_id, AuditEvent.hidden_from_family.is_(False),
               AuditEvent.action != "denied", HoldsAny(AuditEvent.subject_ids, person_ids))
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.seq.desc())
    )
    if not include_own:
        stmt = stmt.where(AuditEvent.actor_participant_id.is_distinct_from(access.participant.id))
    candidates = [
        (line, item) for event in access.session.scalars(stmt.limit(5000))
        for line, item in _lines(event)
        if (record_id is None or line.record_id == record_id)
        and set(item["subjects"] if item else event.subject_ids) & person_ids
    ]
    record_ids = {line.record_id for line, _item in candidates if line.record_id is not None}
    records = {
        r.id: access.record_facts(r) for r in access.session.scalars(
            select(Record).where(Record.id.in_(record_ids), Record.family_id == access.family_id)
        )
    } if record_ids else {}
    return [
        line for line, item in candidates
        if policy.can_see_event(
            access.viewer, loader.event_facts(line.event, item, line.record_id),
            records.get(line.record_id), access.facts, access.now,
        ).allowed
    ]


def records_about(access: Access, person_ids: set[int]) -> list[Record]:
    """Records about these persons that the viewer may see (through the privacy filter)."""
    from sqlalchemy.orm import selectin_polymorphic

    from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
    from samenplan.plans.models import PlanSection
    from samenplan.privacy.models import Involvement, record_subject

    about = select(record_subject.c.record_id).where(record_subject.c.person_id.in_(person_ids))
    stmt = (
        access.select_visible(Record)
        .options(selectin_polymorphic(
            Record, [Goal, Action, PlanSection, GasScore, ScalingAnswer, Involvement]
        ))
        .where(or_(Record.id.in_(about), Record.privacy_from_id.in_(about)))
        .options(selectinload(Record.subjects))
        .order_by(Record.id)
    )
    return access.load_visible(stmt)
