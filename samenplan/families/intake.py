"""Taking on a family (aanmelding), and keeping its persons right.

A professional whose organisation lets them start families (`OrganisationMember.may_start_families`)
makes a family: its name and its first person; a plan comes with it, and they become its
casusregisseur, for their organisation, with an involvement for the whole family (`algemeen`,
like Fatima's in the demo). The casusregisseur then adds the other persons and corrects them
later: names, date of birth, who holds authority over whom (a parent in the family, or an
organisation as voogd), a legal representative of an adult who cannot decide for themself
(mentor, curator, bewindvoerder), who lives with whom, and the LVB flag. Every change is a
revision of the person (records/history.py, the one writer), and an audit event.

Every function that changes something owns its transaction and commits once. Messages in
`Invalid` are for the user (Dutch message ids, put through gettext by the view); `field` is
the form field a message belongs under.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.domain.ages import age_on, local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import OrganisationKind
from samenplan.families.models import Family, LegalRepresentative, Participant, Person
from samenplan.orgs.models import Organisation, OrganisationMember
from samenplan.plans.models import Plan
from samenplan.privacy.access import Access, access_for
from samenplan.privacy.facts import Category, Representation, Role
from samenplan.privacy.models import Involvement
from samenplan.records.history import changed_fields, check_version, saving

#: who can hold authority over a child, and who is a child for it
AGE_OF_MAJORITY = 18
#: nobody is older than this; an older date of birth is a typing error
MAX_AGE = 120
#: organisations that can be a child's voogd (guardian): a gecertificeerde instelling
GUARDIAN_KINDS = tuple(kind for kind in OrganisationKind if kind.may_be_guardian)


class Invalid(ValueError):
    """Input that cannot be used: `message` (a Dutch message id with %(name)s placeholders
    from `params`) under form field `field` (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message % params if params else message)
        self.message, self.field, self.params = message, field, params


class NotAllowed(Exception):
    """The user may not do this (403)."""


class NotFound(LookupError):
    """Not there, or not for this family: answered with 404, as if it did not exist."""


# --- who may start a family ----------------------------------------------------------------------
def organisations_i_may_start_for(session: Session, user) -> list[Organisation]:
    """The organisations for which `user` may take on a family (their beheerder said so)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return []
    return list(session.scalars(
        select(Organisation).join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == user.id, OrganisationMember.active,
               OrganisationMember.may_start_families, Organisation.active)
        .order_by(Organisation.name)
    ))


# --- input ---------------------------------------------------------------------------------------
NEW_HOUSEHOLD = "nieuw"


@dataclass
class PersonInput:
    """A person as typed. Ids are as posted (strings); the service checks each one belongs to
    this family. `lvb` and `representatives` are None when the form did not show them (the
    viewer may not know them): they are left as they are."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    household: str = ""  # "" unknown, "nieuw", or the number of a household
    lvb: bool | None = False
    holder_ids: list[int] = field(default_factory=list)  # persons holding authority
    guardian_id: int | None = None  # an organisation holding authority (voogd)
    # kind -> "person:<id>" / "organisation:<id>" / "" (none); None: not shown
    representatives: dict[str, str] | None = None
    version: int | None = None  # the version the form was loaded at (an edit)


@dataclass
class FamilyInput:
    name: str
    organisation_id: int | None
    first_person: PersonInput


# --- starting a family -----------------------------------------------------------------------
def start_family(session: Session, user, data: FamilyInput, now: datetime) -> Access:
    """The family, its plan, its first person and its casusregisseur (the user, for the
    organisation chosen), in one transaction. NotAllowed when the user may not start a family
    for that organisation. Returns the casusregisseur's access to the new family."""
    allowed = {o.id: o for o in organisations_i_may_start_for(session, user)}
    if not allowed:
        raise NotAllowed("may not start families")
    organisation_id = data.organisation_id
    if organisation_id is None and len(allowed) == 1:
        organisation_id = next(iter(allowed))
    if organisation_id is None:
        raise Invalid(_("Kies voor welke organisatie je dit gezin aanmeldt."), "organisation")
    if organisation_id not in allowed:
        raise NotAllowed("may not start families for this organisation")
    name = (data.name or "").strip()
    if not name:
        raise Invalid(_("Vul de naam van het gezin in."), "family_name")
    if len(name) > 200:
        raise Invalid(_("Gebruik hooguit 200 tekens voor de naam van het gezin."), "family_name")
    _check_person_fields(data.first_person, now)

    family = Family(name=name, created_at=now)
    session.add(family)
    session.add(Plan(family=family, created_at=now))
    chair = Participant(family=family, user_id=user.id, role=Role.CASUSREGISSEUR.value,
                        organisation_id=organisation_id, function="casusregisseur", created_at=now)
    session.add(chair)
    session.flush()
    access = access_for(session, user, family.id)
    access.now = now
    # what the casusregisseur's taking part says: the whole family, `algemeen` (DESIGN.md §3)
    session.add(Involvement(
        family_id=family.id, participant=chair, subjects=[], category=Category.ALGEMEEN.value,
        author_participant_id=chair.id, created_by_id=user.id, updated_by_id=user.id,
    ))
    access.queue(access.event("start", params={"organisation": organisation_id}))
    _add_person(access, data.first_person)
    session.commit()
    return access


# --- persons -------------------------------------------------------------------------------------
def require_chair(access: Access) -> None:
    """Only the casusregisseur keeps the family's persons (anyone else: NotFound, 404)."""
    if access.viewer.role is not Role.CASUSREGISSEUR:
        raise NotFound("only the casusregisseur keeps the persons")


def person_of(access: Access, person_id: int) -> Person:
    person = next((p for p in access.persons if p.id == person_id), None)
    if person is None:
        raise NotFound("no such person in this family")
    return person


def add_person(access: Access, data: PersonInput) -> Person:
    require_chair(access)
    person = _add_person(access, data)
    access.session.commit()
    return person


def _add_person(access: Access, data: PersonInput) -> Person:
    _check_person_fields(data, access.now)
    person = Person(family_id=access.family_id, first_name=data.first_name.strip(),
                    last_name=data.last_name.strip(), date_of_birth=data.date_of_birth,
                    lvb=bool(data.lvb), created_at=access.now)
    with access.session.no_autoflush:
        _apply_ties(access, person, data, new=True)
    access.session.add(person)
    access.session.flush()
    chair = access.participant.involvement
    if chair is not None and access.viewer.role is Role.CASUSREGISSEUR:
        chair.subjects = [*chair.subjects, person]  # the casusregisseur's: the whole family
    access.queue(access.event("person_add", subject_ids=(person.id,), target_kind="person",
                              target_id=person.id))
    _forget_persons(access)
    return person


def update_person(access: Access, person: Person, data: PersonInput) -> Person:
    """A correction, from the version the form was loaded at (`data.version`): a person
    changed since is not overwritten blindly (Stale, with the person as it is now)."""
    require_chair(access)
    check_version(person, data.version)
    _check_person_fields(data, access.now)
    session = access.session
    with saving(session, person):
        with session.no_autoflush:  # one change, one flush: one revision, one new version
            person.first_name = data.first_name.strip()
            person.last_name = data.last_name.strip()
            person.date_of_birth = data.date_of_birth
            if data.lvb is not None:
                person.lvb = data.lvb
            _apply_ties(access, person, data, new=False)
            changed = changed_fields(person)
        session.flush()  # a save that lost the race stops here
        if changed:
            access.queue(access.event(
                "person_update", subject_ids=(person.id,), params={"fields": changed},
                target_kind="person", target_id=person.id,
            ))
        session.commit()
    _forget_persons(access)
    return person


def _forget_persons(access: Access) -> None:
    """The access's persons and facts are of before the change."""
    for name in ("persons", "facts"):
        access.__dict__.pop(name, None)


def _check_person_fields(data: PersonInput, now: datetime) -> None:
    if not (data.first_name or "").strip():
        raise Invalid(_("Vul de voornaam in."), "first_name")
    if not (data.last_name or "").strip():
        raise Invalid(_("Vul de achternaam in."), "last_name")
    if len(data.first_name.strip()) > 100 or len(data.last_name.strip()) > 100:
        raise Invalid(_("Gebruik hooguit 100 tekens voor een naam."), "last_name")
    if data.date_of_birth is None:
        raise Invalid(_("Vul de geboortedatum in."), "date_of_birth")
    today = local_day(now)
    if data.date_of_birth > today:
        raise Invalid(_("De geboortedatum ligt in de toekomst. Kijk hem nog eens na."),
                      "date_of_birth")
    if age_on(data.date_of_birth, today) > MAX_AGE:
        raise Invalid(_("Kijk de geboortedatum nog eens na: zo oud wordt bijna niemand."),
                      "date_of_birth")


def _household(access: Access, person: Person, value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    taken = {p.household for p in access.persons if p.household is not None and p is not person}
    if value == NEW_HOUSEHOLD:
        return max(taken | {0}) + 1
    if value.isdigit() and int(value) in taken | ({person.household} - {None}):
        return int(value)
    raise Invalid(_("Kies bij wie dit gezinslid woont."), "household")


def _apply_ties(access: Access, person: Person, data: PersonInput, *, new: bool) -> None:
    """Household, authority, guardian organisation and legal representatives, checked against
    this family (a person of another family, an unknown organisation: NotFound)."""
    session = access.session
    person.household = _household(access, person, data.household)
    today = local_day(access.now)
    age = age_on(data.date_of_birth, today)
    others = {p.id: p for p in access.persons if p is not person}
    holders = []
    for holder_id in dict.fromkeys(data.holder_ids):
        holder = others.get(holder_id)
        if holder is None:
            raise NotFound("holder outside this family")
        holders.append(holder)
    guardian = None
    if data.guardian_id is not None:
        guardian = session.get(Organisation, data.guardian_id)
        if guardian is None or not (guardian.active or guardian in person.authority_organisations):
            raise NotFound("no such organisation (or one that stopped)")
        if guardian.kind not in GUARDIAN_KINDS:
            raise Invalid(_("Alleen een organisatie voor jeugdbescherming kan voogd zijn."),
                          "guardian")
    if (holders or guardian is not None) and age >= AGE_OF_MAJORITY:
        raise Invalid(_("Gezag is er alleen over kinderen onder de 18 jaar. Is iemand ouder en "
                        "kan die niet alles zelf beslissen? Kies dan een mentor, curator of "
                        "bewindvoerder."), "holders")
    for holder in holders:
        if age_on(holder.date_of_birth, today) < AGE_OF_MAJORITY:
            raise Invalid(_("%(name)s is jonger dan 18 en kan nog geen gezag hebben."), "holders",
                          name=holder.first_name)
    person.authority_holders = holders
    person.authority_organisations = [guardian] if guardian is not None else []
    if data.representatives is not None:
        _apply_representatives(access, person, data.representatives, others, age)


def _apply_representatives(access: Access, person: Person, chosen: dict[str, str],
                           others: dict[int, Person], age: int) -> None:
    wanted: dict[str, tuple[int | None, int | None]] = {}
    for kind in Representation:
        value = (chosen.get(kind.value) or "").strip()
        if not value:
            continue
        what, _sep, raw = value.partition(":")
        if not raw.isdigit() or len(raw) > 10:
            raise NotFound("not a representative")
        if what == "person":
            representative = others.get(int(raw))
            if representative is None:
                raise NotFound("representative outside this family")
            if age_on(representative.date_of_birth, local_day(access.now)) < AGE_OF_MAJORITY:
                raise Invalid(_("%(name)s is jonger dan 18 en kan geen %(kind)s zijn."), kind.value,
                              name=representative.first_name, kind=kind.value)
            wanted[kind.value] = (representative.id, None)
        elif what == "organisation":
            organisation = access.session.get(Organisation, int(raw))
            kept = {r.organisation_id for r in person.representatives}
            if organisation is None or not (organisation.active or organisation.id in kept):
                raise NotFound("no such organisation (or one that stopped)")
            wanted[kind.value] = (None, int(raw))
        else:
            raise NotFound("not a representative")
    if wanted and age < AGE_OF_MAJORITY:
        raise Invalid(_("Een mentor, curator of bewindvoerder is er alleen voor iemand van 18 jaar "
                        "of ouder. Voor een kind beslissen de ouders of de voogd."),
                      Representation.MENTOR.value)
    if Representation.CURATOR.value in wanted and len(wanted) > 1:
        raise Invalid(_("Bij curatele regelt de curator alles. Kies dan geen mentor of "
                        "bewindvoerder erbij."), Representation.CURATOR.value)
    keep = []
    for existing in person.representatives:  # unchanged ones stay as they are
        if wanted.get(existing.kind) == (existing.representative_person_id, existing.organisation_id):
            keep.append(existing)
            del wanted[existing.kind]
    if len(keep) != len(person.representatives) or wanted:
        person.representatives = keep + [
            LegalRepresentative(kind=kind, representative_person_id=person_id,
                                organisation_id=organisation_id, created_at=access.now)
            for kind, (person_id, organisation_id) in wanted.items()
        ]
