"""What a viewer sees of a family's persons: the list (the casusregisseur and the family), the
choices of the forms, and a person's history (the casusregisseur's). Reads only: no commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, gettext
from sqlalchemy import or_, select

from samenplan.domain.ages import AGE_OF_CO_CONSENT, age_on, local_day
from samenplan.domain.i18n import _
from samenplan.families.intake import AGE_OF_MAJORITY, GUARDIAN_KINDS, NEW_HOUSEHOLD
from samenplan.families.models import Invitation, Person
from samenplan.orgs.models import Organisation
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Representation, Role

FIELD_LABELS: dict[str, str] = {
    "first_name": _("Voornaam"), "last_name": _("Achternaam"),
    "date_of_birth": _("Geboortedatum"), "household": _("Woont bij"),
    "lvb": _("Lichte verstandelijke beperking (LVB)"), "authority_holders": _("Gezag"),
    "authority_organisations": _("Voogd (organisatie)"),
    "representatives": _("Mentor, curator of bewindvoerder"),
}


def is_chair(access: Access) -> bool:
    return access.viewer.role is Role.CASUSREGISSEUR


def age_of(access: Access, person: Person) -> int:
    return age_on(person.date_of_birth, local_day(access.now))


# --- the list ----------------------------------------------------------------------------------
@dataclass
class PersonRow:
    person: Person
    age: int
    authority: list[str]  # who holds authority over them: names of persons and organisations
    representatives: list[tuple[str, str]]  # (label of the kind, name) the viewer may know of
    lvb: bool | None  # None: the viewer may not know
    # for the casusregisseur only: "account", "invited" or "" (none yet)
    account: str = ""
    may_invite: bool = False

    @property
    def too_young_for_a_login(self) -> bool:
        return self.age < AGE_OF_CO_CONSENT


@dataclass
class PersonsView:
    households: list[list[PersonRow]]  # who lives together, each household a list
    elsewhere: list[PersonRow] = field(default_factory=list)  # where they live is not known
    chair: bool = False


def persons_view(access: Access) -> PersonsView:
    chair = is_chair(access)
    with_account = {p.person_id for p in access.participants if p.person_id is not None}
    invited = set()
    if chair:
        invited = {i.person_id for i in access.session.scalars(
            select(Invitation).where(Invitation.family_id == access.family_id,
                                     Invitation.person_id.is_not(None))
        ) if i.state(access.now) == "open"}
    rows = []
    for person in access.persons:
        age = age_of(access, person)
        account = ("account" if person.id in with_account else
                   "invited" if person.id in invited else "")
        rows.append(PersonRow(
            person, age, authority=authority_names(person),
            representatives=visible_representatives(access, person),
            lvb=person.lvb if access.may_know_lvb(person) else None,
            account=account if chair else "",
            may_invite=chair and not account and age >= AGE_OF_CO_CONSENT,
        ))
    households: dict[int, list[PersonRow]] = {}
    elsewhere = []
    for row in rows:
        if row.person.household is None:
            elsewhere.append(row)
        else:
            households.setdefault(row.person.household, []).append(row)
    return PersonsView([households[h] for h in sorted(households)], elsewhere, chair)


def authority_names(person: Person) -> list[str]:
    return [p.first_name for p in person.authority_holders] + [
        o.name for o in person.authority_organisations
    ]


def visible_representatives(access: Access, person: Person) -> list[tuple[str, str]]:
    found = []
    for r in person.representatives:
        if policy.can_see_representation(access.viewer, person.id, r.kind, access.facts,
                                         access.now).allowed:
            who = r.representative.name if r.representative is not None else r.organisation.name
            found.append((r.kind.label, who))
    return found


# --- the forms' choices ------------------------------------------------------------------------
def household_choices(access: Access, person: Person | None = None) -> list[tuple[str, str]]:
    """"Samen met Anja, Tim" per household of the others, and "In een eigen huis"."""
    groups: dict[int, list[str]] = {}
    for p in access.persons:
        if p is not person and p.household is not None:
            groups.setdefault(p.household, []).append(p.first_name)
    choices = [("", gettext("Weet ik nog niet"))]
    choices += [(str(number), gettext("Samen met %(names)s", names=", ".join(names)))
                for number, names in sorted(groups.items())]
    if person is not None and person.household is not None and person.household not in groups:
        choices.append((str(person.household), gettext("In een eigen huis")))
    else:
        choices.append((NEW_HOUSEHOLD, gettext("In een eigen huis")))
    return choices


def adults(access: Access, person: Person | None = None) -> list[Person]:
    return [p for p in access.persons
            if p is not person and age_of(access, p) >= AGE_OF_MAJORITY]


def holder_choices(access: Access, person: Person | None = None) -> list[tuple[str, str]]:
    return [(str(p.id), p.name) for p in adults(access, person)]


def _choosable(access: Access, kept: set[int], *where) -> list[Organisation]:
    """Organisations that take part in samenplan, and those in `kept` (already chosen for the
    person: one that stopped since stays as it is until someone changes it)."""
    return list(access.session.scalars(
        select(Organisation).where(*where, or_(Organisation.active, Organisation.id.in_(sorted(kept))))
        .order_by(Organisation.name)
    ))


def guardian_choices(access: Access, person: Person | None = None) -> list[tuple[str, str]]:
    kept = {o.id for o in person.authority_organisations} if person is not None else set()
    organisations = _choosable(access, kept, Organisation.kind.in_(GUARDIAN_KINDS))
    return [("", gettext("Geen organisatie"))] + [(str(o.id), o.name) for o in organisations]


def representative_choices(access: Access, person: Person | None = None) -> list[tuple[str, str]]:
    kept = {r.organisation_id for r in person.representatives if r.organisation_id is not None} \
        if person is not None else set()
    organisations = _choosable(access, kept)
    return ([("", gettext("Geen"))]
            + [(f"person:{p.id}", p.name) for p in adults(access, person)]
            + [(f"organisation:{o.id}", o.name) for o in organisations])


def representative_values(person: Person) -> dict[str, str]:
    values = {kind.value: "" for kind in Representation}
    for r in person.representatives:
        values[r.kind] = (f"organisation:{r.organisation_id}" if r.organisation_id is not None
                          else f"person:{r.representative_person_id}")
    return values


# --- a person's history ------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class PersonChange:
    revision: object  # records.models.Revision
    author: object | None  # the participant who made it, when they still take part
    changes: list[Change]

    @property
    def created(self) -> bool:
        return not self.revision.before


def person_history(access: Access, person: Person) -> list[PersonChange]:
    """The person's revisions, newest first, for the casusregisseur; a revision of the LVB flag
    only for who may know the flag (`policy.may_know_lvb`)."""
    from samenplan.records.models import Revision

    knows_lvb = access.may_know_lvb(person)
    by_user = {p.user_id: p for p in access.participants}
    entries = []
    for revision in access.session.scalars(
        select(Revision).where(Revision.person_id == person.id).order_by(Revision.id.desc())
    ):
        if revision.category != Category.ALGEMEEN.value and not (
            revision.category == Category.GEZONDHEID.value and knows_lvb and revision.before
        ):
            continue  # not for this viewer; or the flag as first set: "toegevoegd" says it
        names = [n for n in FIELD_LABELS if n in revision.after or n in revision.before]
        changes = [Change(gettext(FIELD_LABELS[n]), in_words(access, n, revision.before.get(n)),
                          in_words(access, n, revision.after.get(n))) for n in names]
        entries.append(PersonChange(revision, by_user.get(revision.changed_by_id), changes))
    return entries


def in_words(access: Access, name: str, value) -> str:
    """A revised value as the casusregisseur reads it."""
    if value is None or value == "" or value == []:
        return gettext("(leeg)") if name != "lvb" else gettext("nee")
    if name == "date_of_birth":
        return format_date(date.fromisoformat(value), "d MMMM yyyy")
    if name == "household":
        return gettext("huishouden %(n)s", n=value)
    if name == "lvb":
        return gettext("ja") if value else gettext("nee")
    if name == "authority_holders":
        return ", ".join(_person_name(access, i) for i in value)
    if name == "authority_organisations":
        return ", ".join(_organisation_name(access, i) for i in value)
    if name == "representatives":
        words = []
        for code in value:
            kind, what, raw = str(code).split(":")
            who = (_person_name(access, int(raw)) if what == "person"
                   else _organisation_name(access, int(raw)))
            words.append(f"{gettext(Representation(kind).label)}: {who}")
        return ", ".join(words)
    return str(value)


def _person_name(access: Access, person_id) -> str:
    return next((p.name for p in access.persons if p.id == person_id), gettext("iemand"))


def _organisation_name(access: Access, organisation_id) -> str:
    organisation = access.session.get(Organisation, organisation_id)
    return organisation.name if organisation is not None else gettext("een organisatie")


def merge_rows(access: Access, person: Person, form) -> list:
    """The person as saved now next to what was typed (the merge screen of a stale save)."""
    from samenplan.goals.reading import MergeRow

    household = dict(household_choices(access, person))
    rows = [
        MergeRow(gettext(FIELD_LABELS["first_name"]), person.first_name, form.first_name.data or ""),
        MergeRow(gettext(FIELD_LABELS["last_name"]), person.last_name, form.last_name.data or ""),
        MergeRow(gettext(FIELD_LABELS["date_of_birth"]),
                 format_date(person.date_of_birth, "d MMMM yyyy"),
                 format_date(form.date_of_birth.data, "d MMMM yyyy") if form.date_of_birth.data else ""),
        MergeRow(gettext(FIELD_LABELS["household"]),
                 household.get(str(person.household) if person.household is not None else "", ""),
                 household.get(form.household.data or "", "")),
        MergeRow(gettext(FIELD_LABELS["authority_holders"]),
                 ", ".join(authority_names(person)),
                 ", ".join(p.first_name for p in access.persons
                           if str(p.id) in (form.holders.data or []))),
    ]
    return rows
