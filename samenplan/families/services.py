"""Inviting people into a family's plan, and their joining it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.domain.i18n import _ as _mark
from samenplan.auth.models import User
from samenplan.auth.passwords import hash_password, password_problems
from samenplan.auth.services import normalise_email
from samenplan.domain.ages import AGE_OF_CO_CONSENT, age_on, local_day
from samenplan.families.models import Invitation, Participant
from samenplan.orgs.models import Organisation
from samenplan.notices.services import notify
from samenplan.privacy import audit
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Role
from samenplan.tokens import hash_token, new_token

INVITATION_DAYS = 7


class NotAllowed(Exception):
    pass


class Invalid(Exception):
    """Shown to the user: a Dutch message id, with %(name)s placeholders from `params`."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.params = params


def has_an_age_for_a_login(person, now: datetime) -> bool:
    """From 12 a family member takes part with an account of their own (they consent too);
    a younger child is a person without a login."""
    return age_on(person.date_of_birth, local_day(now)) >= AGE_OF_CO_CONSENT


def roles_i_may_invite(access: Access) -> list[str]:
    """The casusregisseur invites anyone; a family member their own network."""
    if access.viewer.role is Role.CASUSREGISSEUR:
        return ["family", "network", "professional"]
    if access.viewer.role is Role.FAMILY:
        return ["network"]
    return []


@dataclass
class InvitationInput:
    email: str
    name: str
    role: str
    person_id: int | None = None
    organisation_id: int | None = None
    function: str = ""
    involvement_subject_ids: list[int] | None = None
    involvement_category: str | None = None
    network_member_id: int | None = None  # invited from this entry of the network map


def invite(access: Access, data: InvitationInput) -> tuple[Invitation, str]:
    if data.role not in roles_i_may_invite(access):
        raise NotAllowed("may not invite this role")
    email = normalise_email(data.email)
    if "@" not in email or len(email) > 320:
        raise Invalid(_mark("Vul een geldig e-mailadres in."))
    if not data.name.strip():
        raise Invalid(_mark("Vul de naam in."))
    session = access.session
    if data.role == "family":
        taken = {p.person_id for p in access.participants if p.person_id}
        if data.person_id not in {p.id for p in access.persons} or data.person_id in taken:
            raise Invalid(_mark("Kies een gezinslid dat nog geen account heeft."))
        person = next(p for p in access.persons if p.id == data.person_id)
        if not has_an_age_for_a_login(person, access.now):
            raise Invalid(_mark("%(name)s is jonger dan 12 jaar en krijgt geen eigen account. "
                                "De ouders of de voogd doen mee voor het kind."),
                          name=person.first_name)
    involvement_subjects, involvement_category = None, None
    if data.role == "professional":
        organisation = session.get(Organisation, data.organisation_id or 0)
        if organisation is None or not organisation.active:  # one that stopped is no choice
            raise Invalid(_mark("Kies de organisatie."))
        family_ids = {p.id for p in access.persons}
        involvement_subjects = sorted(set(data.involvement_subject_ids or []))
        if not involvement_subjects or not set(involvement_subjects) <= family_ids:
            raise Invalid(_mark("Kies bij wie deze hulpverlener helpt."))
        if data.involvement_category not in {c.value for c in Category}:
            raise Invalid(_mark("Kies waar de hulp over gaat. Dat bepaalt wie deze hulpverlener in het plan ziet."))
        involvement_category = data.involvement_category
    if data.network_member_id is not None:
        from samenplan.network.models import NetworkMember
        from samenplan.network.services import may_invite_from

        member = access.get(NetworkMember, data.network_member_id)  # through the door
        if member is None or data.role != "network" or not may_invite_from(access, member):
            raise NotAllowed("not an entry of the network map this viewer may invite from")
    existing = session.scalar(select(User).where(User.email == email))
    if existing and any(p.user_id == existing.id for p in access.participants):
        raise Invalid(_mark("Deze persoon doet al mee aan het plan."))
    token, digest = new_token()
    invitation = Invitation(
        family_id=access.family_id, email=email, name=data.name.strip()[:200], role=data.role,
        person_id=data.person_id if data.role == "family" else None,
        organisation_id=data.organisation_id if data.role == "professional" else None,
        function=(data.function or "").strip()[:200] or None,
        involvement_subject_ids=involvement_subjects, involvement_category=involvement_category,
        network_member_id=data.network_member_id,
        invited_by_id=access.participant.id, token_hash=digest, created_at=access.now,
        expires_at=access.now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    access.queue(access.event("invite", params={"role": data.role},
                              target_kind="invitation", target_id=invitation.id))
    session.commit()
    return invitation, token


def invitations_of(access: Access) -> list[Invitation]:
    """The casusregisseur sees every invitation; others the ones they sent."""
    stmt = select(Invitation).where(Invitation.family_id == access.family_id)
    if access.viewer.role is not Role.CASUSREGISSEUR:
        stmt = stmt.where(Invitation.invited_by_id == access.participant.id)
    return list(access.session.scalars(stmt.order_by(Invitation.id.desc())))


def withdraw(access: Access, invitation_id: int) -> None:
    invitation = next((i for i in invitations_of(access) if i.id == invitation_id), None)
    if invitation is None:
        raise NotAllowed("not your invitation")
    if invitation.state(access.now) == "open":
        invitation.withdrawn_at = access.now
        access.queue(access.event("withdraw", target_kind="invitation", target_id=invitation.id))
        access.session.commit()


def find_open(session: Session, token: str, now: datetime) -> Invitation | None:
    """The invitation behind a link, whatever its state (None: no such link)."""
    return session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def accept(session: Session, invitation: Invitation, user: User, now: datetime) -> Participant:
    """Join the plan. The invitation must be open and meant for this user's address."""
    if invitation.state(now) != "open":
        raise Invalid(_mark("Deze uitnodiging kan niet meer gebruikt worden."))
    if normalise_email(user.email) != invitation.email:
        raise NotAllowed("invitation is for another address")
    if invitation.role == "professional" and not _is_member(session, user, invitation.organisation_id):
        # who works for an organisation is its beheerder's to say (OrganisationMember), not
        # the inviter's: else anyone invited "as GGZ" would read what is shared with GGZ
        raise Invalid(_mark("Je organisatie heeft je nog niet in samenplan gezet. Vraag de "
                            "functioneel beheerder van je organisatie om je uit te nodigen. "
                            "Daarna kun je deze uitnodiging accepteren."))
    participant = session.scalar(select(Participant).where(
        Participant.family_id == invitation.family_id, Participant.user_id == user.id,
    ))
    if participant is None:
        participant = Participant(
            family_id=invitation.family_id, user_id=user.id, role=invitation.role,
            person_id=invitation.person_id, organisation_id=invitation.organisation_id,
            function=invitation.function,
        )
        session.add(participant)
        if invitation.role == "professional" and invitation.involvement_category:
            _add_involvement(session, invitation, participant)
    else:
        participant.active = True
        if invitation.role == "professional" and participant.role in ("professional", "casusregisseur"):
            # back, e.g. after leaving an organisation: now for the one invited for
            participant.role = invitation.role
            participant.organisation_id = invitation.organisation_id
    # single use, even when two tabs accept at the same moment
    from sqlalchemy import update

    claimed = session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None),
    ).values(accepted_at=now, accepted_user_id=user.id)).rowcount
    if claimed != 1:
        session.rollback()
        raise Invalid(_mark("Deze uitnodiging kan niet meer gebruikt worden."))
    session.flush()
    if invitation.network_member_id is not None:  # invited from the network map
        from samenplan.network.services import link_on_acceptance

        link_on_acceptance(session, invitation, participant)
    audit.append(session, [audit.Event(
        "join", family_id=invitation.family_id, actor_user_id=user.id,
        actor_participant_id=participant.id, target_kind="invitation", target_id=invitation.id,
    )])
    if participant.person_id is not None:  # what was decided for them before they had a login
        from samenplan.privacy.access import access_for
        from samenplan.privacy.services import tell_newcomer

        tell_newcomer(access_for(session, user, invitation.family_id))
    inviter = session.get(Participant, invitation.invited_by_id) if invitation.invited_by_id else None
    if inviter is not None and inviter.active:  # who invited them hears they are in
        notify(session, [inviter.user_id], kind="invitation_accepted", params={"name": user.name},
               link=f"/gezin/{invitation.family_id}", now=now, family_id=invitation.family_id,
               actor_user_id=user.id)
    session.commit()
    return participant


def _is_member(session: Session, user: User, organisation_id: int | None) -> bool:
    from samenplan.orgs.models import OrganisationMember

    return organisation_id is not None and session.scalar(select(OrganisationMember.id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.active,
    )) is not None


def _add_involvement(session: Session, invitation: Invitation, participant: Participant) -> None:
    """What the professional's taking part says, and about whom: a record like any other."""
    from samenplan.families.models import Person
    from samenplan.privacy.models import Involvement

    subjects = session.scalars(select(Person).where(
        Person.family_id == invitation.family_id,
        Person.id.in_(invitation.involvement_subject_ids or []),
    )).all()
    session.add(Involvement(
        family_id=invitation.family_id, participant=participant, subjects=list(subjects),
        category=invitation.involvement_category,
        author_participant_id=invitation.invited_by_id,
    ))


def create_account(session: Session, invitation: Invitation, name: str, password: str) -> User:
    problems = password_problems(password, email=invitation.email)
    if problems:  # the first is what to mend first
        raise Invalid(problems[0].msgid, **problems[0].params)
    if session.scalar(select(User).where(User.email == invitation.email)):
        raise Invalid(_mark("Er is al een account met dit e-mailadres. Log eerst in."))
    user = User(email=invitation.email, name=(name or invitation.name).strip()[:200],
                password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user
