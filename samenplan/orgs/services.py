"""Organisations and who works for them.

The administrator (`User.is_admin`, made by `flask admin create`) adds organisations and names
their functioneel beheerders; a beheerder invites the organisation's professionals, lets a
leaver go, decides who may start a family and sets up the organisation's login provider.
Neither role sees family data: what they manage is people and settings, and of a leaver only
*how many* plans they were in.

Every function that changes something owns its transaction and commits once; reads never
commit. Messages in `Invalid` are for the user (Dutch; the view puts them through gettext).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from samenplan.domain.i18n import _
from samenplan.auth.models import LoginToken, User, UserSession
from samenplan.auth.services import add_link, normalise_email
from samenplan.domain.vocabulary import OrganisationKind
from samenplan.families.models import Invitation, Participant
from samenplan.orgs.models import (
    Organisation, OrganisationMember, domain_of, parse_domains,
)
from samenplan.notices.services import notify
from samenplan.privacy import audit
from samenplan.privacy.facts import Role

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
PROFESSIONAL_ROLES = tuple(role for role in Role if role.is_professional)


class Invalid(ValueError):
    """Input that cannot be used. `message` is for the user: a Dutch message id with
    %(name)s placeholders filled from `params` (the view puts it through gettext); `field` is
    the form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message % params if params else message)
        self.message, self.field, self.params = message, field, params


class NotFound(LookupError):
    """Not there, or not for this organisation: the view answers 404 either way."""


# --- who may manage what (reads) -----------------------------------------------------------------
def managed_organisation(session: Session, user, organisation_id: int) -> Organisation | None:
    """The organisation when `user` is an active functioneel beheerder of it, else None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return None
    return session.scalar(
        select(Organisation).join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(Organisation.id == organisation_id, OrganisationMember.user_id == user.id,
               OrganisationMember.active, OrganisationMember.is_beheerder, Organisation.active)
    )


def organisations_managed_by(session: Session, user) -> list[Organisation]:
    return list(session.scalars(
        select(Organisation).join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == user.id, OrganisationMember.active,
               OrganisationMember.is_beheerder)
        .order_by(Organisation.name)
    ))


def may_start_families(session: Session, user, organisation_id: int | None = None) -> bool:
    """Whether `user` may take on (start) a family's plan: for one organisation, or for any.
    Decided by the organisation's beheerder (`OrganisationMember.may_start_families`)."""
    stmt = select(OrganisationMember.id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.active,
        OrganisationMember.may_start_families,
    )
    if organisation_id is not None:
        stmt = stmt.where(OrganisationMember.organisation_id == organisation_id)
    return session.scalar(stmt.limit(1)) is not None


def is_member(session: Session, user, organisation_id: int) -> bool:
    return session.scalar(select(OrganisationMember.id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.active,
    )) is not None


@dataclass
class OrganisationRow:
    organisation: Organisation
    beheerders: list[User]
    professionals: int  # active members


def organisations_overview(session: Session) -> list[OrganisationRow]:
    """For the administrator: every organisation, its beheerders, how many people work there."""
    organisations = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    members = session.scalars(
        select(OrganisationMember).where(OrganisationMember.active)
        .options(selectinload(OrganisationMember.user))
    ).all()
    rows = []
    for organisation in organisations:
        mine = [m for m in members if m.organisation_id == organisation.id]
        rows.append(OrganisationRow(
            organisation, sorted((m.user for m in mine if m.is_beheerder), key=lambda u: u.name),
            len(mine),
        ))
    return rows


def beheerders_of(session: Session, organisation: Organisation) -> list[OrganisationMember]:
    return list(session.scalars(
        select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
        .where(OrganisationMember.organisation_id == organisation.id, OrganisationMember.is_beheerder,
               OrganisationMember.active)
        .options(selectinload(OrganisationMember.user)).order_by(User.name)
    ))


def members_of(session: Session, organisation: Organisation) -> list[OrganisationMember]:
    """The organisation's people, those who work there first, then the leavers."""
    return list(session.scalars(
        select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
        .where(OrganisationMember.organisation_id == organisation.id)
        .options(selectinload(OrganisationMember.user))
        .order_by(OrganisationMember.active.desc(), User.name)
    ))


def awaits_password(organisation: Organisation, member: OrganisationMember) -> bool:
    """Added, but has not chosen a password yet (and cannot log in through the organisation's
    provider instead)."""
    user = member.user
    via_sso = organisation.sso_enabled and domain_of(user.email) in organisation.email_domains
    return member.active and user.password_hash is None and not via_sso


def member_of(session: Session, organisation: Organisation, member_id: int) -> OrganisationMember:
    """One member of *this* organisation; NotFound for an id of another organisation's."""
    member = session.scalar(
        select(OrganisationMember).where(OrganisationMember.id == member_id,
                                         OrganisationMember.organisation_id == organisation.id)
        .options(selectinload(OrganisationMember.user))
    )
    if member is None:
        raise NotFound(member_id)
    return member


def plans_count(session: Session, member: OrganisationMember) -> int:
    """In how many families' plans the member takes part for this organisation: a number, never
    which (the beheerder sees no family data)."""
    return session.scalar(
        select(func.count(func.distinct(Participant.family_id))).where(
            Participant.user_id == member.user_id, Participant.organisation_id == member.organisation_id,
            Participant.role.in_(PROFESSIONAL_ROLES), Participant.active,
        )
    ) or 0


# --- the administrator ---------------------------------------------------------------------------
@dataclass
class OrganisationInput:
    name: str
    kind: str
    domains: str


def add_organisation(session: Session, actor: User, data: OrganisationInput, now: datetime) -> Organisation:
    name, kind, domains = _checked_organisation(session, data, None)
    organisation = Organisation(name=name, kind=kind, domains=",".join(domains) or None, created_at=now)
    session.add(organisation)
    session.flush()
    audit.append(session, [audit.Event("org_add", actor_user_id=actor.id, target_kind="organisation",
                                       target_id=organisation.id, params=(("kind", kind),))])
    session.commit()
    return organisation


def update_organisation(session: Session, actor: User, organisation: Organisation,
                        data: OrganisationInput, now: datetime) -> None:
    name, kind, domains = _checked_organisation(session, data, organisation)
    lost = organisation.email_domains - set(domains)
    if organisation.sso_enabled and lost:
        raise Invalid(_("Het inloggen via de organisatie gebruikt ook %(domains)s. Haal dat daar eerst weg."),
                      "domains", domains=", ".join(sorted(lost)))
    organisation.name, organisation.kind, organisation.domains = name, kind, ",".join(domains) or None
    audit.append(session, [audit.Event("org_change", actor_user_id=actor.id, target_kind="organisation",
                                       target_id=organisation.id, params=(("kind", kind),))])
    session.commit()


def _checked_organisation(session: Session, data: OrganisationInput,
                          organisation: Organisation | None) -> tuple[str, str, list[str]]:
    name = " ".join((data.name or "").split())
    if not name:
        raise Invalid(_("Vul de naam van de organisatie in."), "name")
    if len(name) > 200:
        raise Invalid(_("De naam mag hoogstens 200 tekens zijn."), "name")
    same_name = session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
    if same_name is not None and (organisation is None or same_name != organisation.id):
        raise Invalid(_("Er is al een organisatie met deze naam."), "name")
    if OrganisationKind.parse(data.kind) is None:
        raise Invalid(_("Kies wat voor organisatie het is."), "kind")
    domains = parse_domains(data.domains)
    bad = [d for d in domains if not DOMAIN_RE.match(d)]
    if bad:
        raise Invalid(_("Dit is geen e-maildomein: %(domains)s. Schrijf het zo: wijkteam.nl"),
                      "domains", domains=", ".join(bad))
    if len(",".join(domains)) > 1000:
        raise Invalid(_("Dat zijn te veel domeinen."), "domains")
    taken = _domains_of_others(session, organisation)
    claimed = [d for d in domains if d in taken]
    if claimed:
        raise Invalid(_("Dit domein hoort al bij een andere organisatie: %(domains)s."),
                      "domains", domains=", ".join(claimed))
    return name, data.kind, domains


def _domains_of_others(session: Session, organisation: Organisation | None) -> set[str]:
    """Every e-mail domain another organisation has, or its login provider covers."""
    taken: set[str] = set()
    others = select(Organisation)
    if organisation is not None:
        others = others.where(Organisation.id != organisation.id)
    for other in session.scalars(others):
        taken |= set(other.own_domains) | other.email_domains
    return taken


@dataclass
class Invited:
    """Someone who now works for an organisation (or manages it). `token`: the link to choose a
    password, for an account that has none yet and cannot use the organisation's provider."""

    member: OrganisationMember
    user: User
    token: str | None
    new_account: bool
    via_sso: bool


def name_beheerder(session: Session, actor: User, organisation: Organisation, email: str, name: str,
                   now: datetime) -> Invited:
    """The administrator names a functioneel beheerder of the organisation, by e-mail address."""
    return _add_member(session, actor, organisation, email, name, now, beheerder=True, may_start=None)


# --- the functioneel beheerder -------------------------------------------------------------------
def invite_professional(session: Session, actor: User, organisation: Organisation, email: str, name: str,
                        may_start: bool, now: datetime) -> Invited:
    """A professional of the organisation, by e-mail address: an address of its own domains (set
    by the administrator), so no beheerder can claim an account of someone else."""
    address = normalise_email(email)
    domains = organisation.own_domains
    if not domains:
        # else a beheerder could make anyone's account (a parent's, say) "theirs", and end it
        raise Invalid(_("Je organisatie heeft nog geen e-maildomeinen in samenplan. Vraag de beheerder "
                        "van samenplan om ze in te stellen. Daarna kun je hulpverleners toevoegen."), "email")
    if domain_of(address) not in domains:
        raise Invalid(_("Gebruik een e-mailadres van %(organisation)s: het eindigt op %(domains)s."),
                      "email", organisation=organisation.name,
                      domains=" of ".join("@" + d for d in domains))
    return _add_member(session, actor, organisation, address, name, now, beheerder=False, may_start=may_start)


def _add_member(session: Session, actor: User, organisation: Organisation, email: str, name: str,
                now: datetime, *, beheerder: bool, may_start: bool | None) -> Invited:
    """Adds (or brings back) a member; adding someone again who has not chosen a password yet
    sends a new link (the earlier one stops working)."""
    if not organisation.active:
        raise Invalid(_("%(organisation)s doet niet meer mee aan samenplan."),
                      organisation=organisation.name)
    address = normalise_email(email)
    if not EMAIL_RE.match(address) or len(address) > 320:
        raise Invalid(_("Dit is geen e-mailadres. Kijk of je het goed hebt getypt."), "email")
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Vul de naam in."), "name")
    if len(name) > 200:
        raise Invalid(_("De naam mag hoogstens 200 tekens zijn."), "name")
    user = session.scalar(select(User).where(User.email == address))
    new_account = user is None
    if user is None:
        user = User(email=address, name=name, password_hash=None, created_at=now)
        session.add(user)
        session.flush()
    member = session.scalar(select(OrganisationMember).where(
        OrganisationMember.organisation_id == organisation.id, OrganisationMember.user_id == user.id,
    ))
    via_sso = organisation.sso_enabled and domain_of(address) in organisation.email_domains
    resend = (member is not None and member.active and (member.is_beheerder or not beheerder)
              and user.password_hash is None and not via_sso)
    if member is not None and member.active and (member.is_beheerder or not beheerder) and not resend:
        message = (_("%(name)s is al functioneel beheerder van %(organisation)s.") if beheerder
                   else _("%(name)s werkt al bij %(organisation)s in samenplan."))
        raise Invalid(message, "email", name=user.name, organisation=organisation.name)
    if member is None:
        member = OrganisationMember(organisation_id=organisation.id, user_id=user.id, joined_at=now,
                                    is_beheerder=False, may_start_families=False, active=True)
        session.add(member)
    elif not member.active:  # back after leaving
        member.active, member.joined_at, member.left_at, member.ended_by_id = True, now, None, None
        member.is_beheerder = False
        member.may_start_families = False
    member.invited_by_id = actor.id
    if beheerder:
        member.is_beheerder = True
    if may_start is not None:
        member.may_start_families = may_start
    user.active = True  # a leaver coming back (to this or another organisation)
    token = None
    if user.password_hash is None and not via_sso:
        token = add_link(session, user, "welcome", now, void_earlier=True)
    session.flush()
    audit.append(session, [audit.Event(
        "member_add", actor_user_id=actor.id, target_kind="organisation_member", target_id=member.id,
        params=(("organisation", organisation.id), ("user", user.id), ("beheerder", beheerder)),
    )])
    session.commit()
    return Invited(member, user, token, new_account, via_sso)


def set_may_start(session: Session, actor: User, organisation: Organisation, member_id: int,
                  allowed: bool, now: datetime) -> OrganisationMember:
    member = member_of(session, organisation, member_id)
    if not member.active:
        raise Invalid(_("%(name)s werkt hier niet meer."), name=member.user.name)
    if member.may_start_families != allowed:
        member.may_start_families = allowed
        audit.append(session, [audit.Event(
            "member_may_start", actor_user_id=actor.id, target_kind="organisation_member",
            target_id=member.id, params=(("allowed", allowed),),
        )])
        session.commit()
    return member


@dataclass
class Left:
    member: OrganisationMember
    plans: int  # how many families' plans they lost
    account_closed: bool  # nothing left to log in for


def deactivate(session: Session, actor: User, organisation: Organisation, member_id: int,
               now: datetime) -> Left:
    """A leaver: at once out of every plan they took part in for this organisation, every login
    of theirs ended, their open links void; the casusregisseur of each of those families is
    told (when they may know of the leaver's part), and a family whose casusregisseur leaves
    is without one. The account itself closes when nothing is left to log in for."""
    member = member_of(session, organisation, member_id)
    if member.user_id == actor.id:
        raise Invalid(_("Je kunt jezelf niet uit dienst melden. Vraag een andere functioneel beheerder."))
    if not member.active:
        raise Invalid(_("%(name)s werkt hier al niet meer."), name=member.user.name)
    left, events = _let_go(session, actor, organisation, member, now)
    audit.append(session, events)
    session.commit()
    return left


def _let_go(session: Session, actor: User, organisation: Organisation, member: OrganisationMember,
            now: datetime) -> tuple[Left, list[audit.Event]]:
    """What `deactivate` does to one member, in the caller's transaction: the events to append."""
    from samenplan.privacy.access import Access

    user = member.user
    participations = session.scalars(
        select(Participant).where(
            Participant.user_id == user.id, Participant.organisation_id == organisation.id,
            Participant.role.in_(PROFESSIONAL_ROLES), Participant.active,
        ).options(selectinload(Participant.family))
    ).all()
    events: list[audit.Event] = []
    from samenplan.handover.services import chair_left

    for participation in participations:
        chair_left(session, participation, actor.id, now)  # an open handover goes on or stops
        if participation.role == "professional":
            chair = session.scalar(select(Participant).where(
                Participant.family_id == participation.family_id, Participant.role == "casusregisseur",
                Participant.active,
            ).options(selectinload(Participant.user)))
            # told only who may know this professional takes part (participation is personal data)
            if chair is not None and chair.user_id != user.id and Access(
                    session=session, user=chair.user, participant=chair, now=now,
            ).sees_participant(participation):
                notify(session, [chair.user_id], kind="professional_left",
                       params={"name": user.name, "organisation": organisation.name},
                       link=f"/gezin/{participation.family_id}", now=now,
                       family_id=participation.family_id, actor_user_id=actor.id)
        events.append(audit.Event(
            "leave", family_id=participation.family_id, actor_user_id=actor.id,
            target_kind="participant", target_id=participation.id,
            params=(("organisation", organisation.id), ("role", participation.role)),
        ))
    for participation in participations:
        participation.active = False
    session.flush()  # the casusregisseur's index: the family is now without one
    member.active, member.left_at, member.ended_by_id = False, now, actor.id
    member.is_beheerder = member.may_start_families = False
    # invitations into plans for this organisation that they have not accepted yet: void
    session.execute(update(Invitation).where(
        Invitation.email == user.email, Invitation.organisation_id == organisation.id,
        Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None),
    ).values(withdrawn_at=now))
    session.flush()
    closed = not _still_logs_in_for_something(session, user)
    if closed:
        user.active = False
    _end_logins(session, user, now)  # every login ends, on every device
    plans = len({p.family_id for p in participations})
    events.append(audit.Event(
        "member_leave", actor_user_id=actor.id, target_kind="organisation_member", target_id=member.id,
        params=(("plans", plans), ("account_closed", closed)),
    ))
    return Left(member, plans, closed), events


def _still_logs_in_for_something(session: Session, user: User) -> bool:
    """An active membership, an active place in a plan, or the administrator's role."""
    session.flush()
    if user.is_admin:
        return True
    if session.scalar(select(OrganisationMember.id).where(
            OrganisationMember.user_id == user.id, OrganisationMember.active).limit(1)) is not None:
        return True
    return session.scalar(select(Participant.id).where(
        Participant.user_id == user.id, Participant.active).limit(1)) is not None


def _end_logins(session: Session, user: User, now: datetime) -> None:
    """Every login of `user` ends at once, on every device; every link still in their mailbox
    stops working."""
    user.session_version += 1
    session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                    .values(ended_at=now))
    session.execute(update(LoginToken).where(LoginToken.user_id == user.id, LoginToken.used_at.is_(None))
                    .values(used_at=now))


# --- taking a role away, an organisation that stops, an administrator less -------------------------
def take_beheerder_role(session: Session, actor: User, organisation: Organisation, member_id: int,
                        now: datetime) -> OrganisationMember:
    """The member is no longer a functioneel beheerder of the organisation (they keep working
    there, and keep their plans). By the administrator, or by another beheerder of it; they are
    told. The role counts from their next request on."""
    member = member_of(session, organisation, member_id)
    if not member.active or not member.is_beheerder:
        raise Invalid(_("%(name)s is geen functioneel beheerder van %(organisation)s."),
                      name=member.user.name, organisation=organisation.name)
    if member.user_id == actor.id and not actor.is_admin:
        raise Invalid(_("Je kunt je eigen rol niet afnemen. Vraag een andere functioneel beheerder "
                        "of de beheerder van samenplan."))
    member.is_beheerder = False
    notify(session, [member.user_id], kind="beheerder_removed",
           params={"organisation": organisation.name}, link="/", now=now, actor_user_id=actor.id)
    audit.append(session, [audit.Event(
        "member_beheerder_off", actor_user_id=actor.id, target_kind="organisation_member",
        target_id=member.id, params=(("organisation", organisation.id), ("user", member.user_id)),
    )])
    session.commit()
    return member


@dataclass
class Reach:
    """What stopping an organisation touches: how many people, in how many families' plans (a
    number, never which: the administrator sees no family data)."""

    members: int
    plans: int


def reach_of(session: Session, organisation: Organisation) -> Reach:
    members = session.scalar(select(func.count(OrganisationMember.id)).where(
        OrganisationMember.organisation_id == organisation.id, OrganisationMember.active)) or 0
    plans = session.scalar(select(func.count(func.distinct(Participant.family_id))).where(
        Participant.organisation_id == organisation.id, Participant.role.in_(PROFESSIONAL_ROLES),
        Participant.active)) or 0
    return Reach(members, plans)


def deactivate_organisation(session: Session, actor: User, organisation: Organisation,
                            now: datetime) -> Reach:
    """The organisation stops working with samenplan: each of its people is let go as a leaver
    (`deactivate`: out of every plan, every login ended, each family told through its
    casusregisseur); its open invitations into plans are void; from now on it cannot be
    chosen, invited, or logged in through. Returns what it touched."""
    if not organisation.active:
        raise Invalid(_("%(organisation)s doet al niet meer mee aan samenplan."),
                      organisation=organisation.name)
    reach = reach_of(session, organisation)
    members = session.scalars(select(OrganisationMember).where(
        OrganisationMember.organisation_id == organisation.id, OrganisationMember.active,
    ).options(selectinload(OrganisationMember.user)).order_by(OrganisationMember.id)).all()
    events: list[audit.Event] = []
    for member in members:
        events += _let_go(session, actor, organisation, member, now)[1]
    session.execute(update(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None),
    ).values(withdrawn_at=now))
    organisation.active, organisation.deactivated_at, organisation.deactivated_by_id = False, now, actor.id
    events.append(audit.Event(
        "org_stop", actor_user_id=actor.id, target_kind="organisation", target_id=organisation.id,
        params=(("members", reach.members), ("plans", reach.plans)),
    ))
    audit.append(session, events)
    session.commit()
    return reach


def administrators(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.is_admin, User.active).order_by(User.name, User.id)))


def administrator(session: Session, user_id: int) -> User:
    user = session.scalar(select(User).where(User.id == user_id, User.is_admin, User.active))
    if user is None:
        raise NotFound(user_id)
    return user


@dataclass
class RemovedAdmin:
    user: User
    account_closed: bool  # nothing left to log in for


def remove_admin(session: Session, actor: User, user_id: int, now: datetime) -> RemovedAdmin:
    """An administrator less, never the last one (a new installation without one can only
    start again on the command line). Their account closes, and every login of theirs ends,
    when nothing is left to log in for; they are told."""
    # the administrators locked for this transaction: two removing each other at the same
    # moment cannot leave none
    admins = session.scalars(select(User).where(User.is_admin, User.active)
                             .order_by(User.id).with_for_update()).all()
    user = next((u for u in admins if u.id == user_id), None)
    if user is None:
        raise NotFound(user_id)
    if len(admins) <= 1:
        raise Invalid(_("%(name)s is de enige beheerder van samenplan. Er moet altijd één beheerder "
                        "zijn. Maak eerst iemand anders beheerder."), name=user.name)
    user.is_admin = False
    closed = not _still_logs_in_for_something(session, user)
    if closed:
        user.active = False
        _end_logins(session, user, now)
    else:
        notify(session, [user.id], kind="admin_removed", params={}, link="/", now=now,
               actor_user_id=actor.id)
    audit.append(session, [audit.Event(
        "admin_remove", actor_user_id=actor.id, target_kind="user", target_id=user.id,
        params=(("account_closed", closed),),
    )])
    session.commit()
    return RemovedAdmin(user, closed)


# --- the organisation's login provider -----------------------------------------------------------
@dataclass
class SSOInput:
    issuer: str
    client_id: str
    client_secret: str  # empty: keep the one saved
    domains: str


def configure_sso(session: Session, actor: User, organisation: Organisation, data: SSOInput,
                  now: datetime) -> None:
    issuer = (data.issuer or "").strip()
    parts = urlsplit(issuer)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not issuer:
        raise Invalid(_("Vul het adres van de inlogdienst in (de issuer)."), "issuer")
    if (parts.scheme != "https" and not (parts.scheme == "http" and local)) or not parts.netloc \
            or parts.query or parts.fragment or len(issuer) > 300:
        raise Invalid(_("Het adres van de inlogdienst begint met https:// en heeft geen ? of #."), "issuer")
    client_id = (data.client_id or "").strip()
    if not client_id:
        raise Invalid(_("Vul de client-id in."), "client_id")
    if len(client_id) > 300:
        raise Invalid(_("De client-id mag hoogstens 300 tekens zijn."), "client_id")
    secret = (data.client_secret or "").strip()
    if not secret and not organisation.oidc_client_secret:
        raise Invalid(_("Vul het geheim (client secret) in."), "client_secret")
    if len(secret) > 300:
        raise Invalid(_("Het geheim mag hoogstens 300 tekens zijn."), "client_secret")
    own = organisation.own_domains
    if not own:
        raise Invalid(_("Je organisatie heeft nog geen e-maildomeinen. Vraag de beheerder van samenplan "
                      "om ze in te stellen."), "domains")
    domains = parse_domains(data.domains)
    if not domains:
        raise Invalid(_("Vul in voor welke e-maildomeinen de inlogdienst werkt."), "domains")
    outside = [d for d in domains if d not in own]
    if outside:
        raise Invalid(_("Dit domein is niet van je organisatie: %(domains)s. Kies uit: %(own)s."),
                      "domains", domains=", ".join(outside), own=", ".join(own))
    organisation.oidc_issuer = issuer
    organisation.oidc_client_id = client_id
    if secret:
        organisation.oidc_client_secret = secret
    organisation.oidc_domains = ",".join(domains)
    audit.append(session, [audit.Event(
        "org_sso", actor_user_id=actor.id, target_kind="organisation", target_id=organisation.id,
        params=(("issuer", issuer), ("domains", sorted(domains)), ("new_secret", bool(secret))),
    )])
    session.commit()


def disable_sso(session: Session, actor: User, organisation: Organisation, now: datetime) -> None:
    organisation.oidc_issuer = organisation.oidc_client_id = None
    organisation.oidc_client_secret = organisation.oidc_domains = None
    audit.append(session, [audit.Event("org_sso_off", actor_user_id=actor.id, target_kind="organisation",
                                       target_id=organisation.id)])
    session.commit()
