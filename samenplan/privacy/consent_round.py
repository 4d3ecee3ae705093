"""The consent round at the kitchen table (issue 10 item 5): person by person, who may see
what about them, in plain words.

One screen per person of the family (oldest first: adults, then youths, then children). For
each organisation and person taking part in the plan that the viewer may know of (participation
is personal data: `Access.visible_participants`), the kinds of information they may see. Who
must say yes follows from the person's age, authority and legal representatives on the day
(`domain.ages`, the same rules as everywhere). What the viewer does with it depends on who they
are (`services.consent_mode`):

- the casusregisseur records what was said at the table (the consenters who are there say yes;
  whoever is not there is asked in samenplan, and the consent waits for them);
- a family member (or the professional of a guardian organisation) gives or withdraws their
  own consent, in the app, on the same screen;
- anyone else only asks, for their own organisation (or themself).

Every change goes through the consent services (`privacy/services.py`): the same checks,
notifications, audit events and versions as the consent page. A step is saved as one
transaction; the form says what it showed, so sending it again (a phone that locked, a
second tap) changes nothing twice. Reading only here, except `save_step`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext, ngettext

from samenplan.domain.ages import (
    AGE_OF_CO_CONSENT, AGE_OF_CONSENT, age_on, local_day, required_consenters, required_organisations,
)
from samenplan.domain.i18n import _
from samenplan.families.models import Participant, Person
from samenplan.privacy import policy, services
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, PersonFacts, Role
from samenplan.privacy.models import Consent
from samenplan.privacy.services import ASK_MODE, GIVE_MODE, RECORD_MODE, Invalid
from samenplan.web import participant_name

LIVE = (policy.ACTIEF, policy.WACHT, policy.NOG_NIET)  # a consent that counts, or will


# --- who must say yes, in words ----------------------------------------------------------------
def join_names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + gettext("en") + " " + names[-1]


def _hidden_representatives(access: Access, facts: PersonFacts) -> set[tuple[str, int]]:
    """The legal representatives of a person that the viewer may not know of (that someone
    else decides about your money tells of money trouble): never named."""
    hidden = set()
    for r in facts.representatives:
        if not policy.can_see_representation(access.viewer, facts.id, r.kind, access.facts,
                                             access.now).allowed:
            if r.person_id is not None:
                hidden.add(("person", r.person_id))
            if r.organisation_id is not None:
                hidden.add(("organisation", r.organisation_id))
    return hidden


def _role_note(kind: str) -> str:
    return {"mentor": gettext("mentor"), "curator": gettext("curator"),
            "bewindvoerder": gettext("bewindvoerder"), "voogd": gettext("voogd")}[kind]


def consenter_names(access: Access, person: Person, persons: frozenset[int],
                    organisations: frozenset[int]) -> list[str]:
    """The names of these consenters of a grant from `person`, as the viewer may know them:
    the person first, then the others in the order they were added; a representative with
    what they are ("Greet (bewindvoerder)"), a guardian organisation as voogd."""
    facts = access.facts.persons[person.id]
    hidden = _hidden_representatives(access, facts)
    notes: dict[tuple[str, int], str] = {("organisation", o): "voogd"
                                         for o in facts.authority_organisations}
    for r in facts.representatives:
        if r.person_id is not None:
            notes[("person", r.person_id)] = r.kind.value
        if r.organisation_id is not None:
            notes[("organisation", r.organisation_id)] = r.kind.value
    by_id = {p.id: p for p in access.persons}
    names = []
    for pid in sorted(persons, key=lambda i: (i != person.id, i)):
        if ("person", pid) in hidden or pid not in by_id:
            continue
        note = notes.get(("person", pid)) if pid != person.id else None
        name = by_id[pid].first_name
        names.append(gettext("%(name)s (%(role)s)", name=name, role=_role_note(note)) if note else name)
    org_names = services.organisation_names_by_id(access, organisations)
    for oid in sorted(organisations):
        if ("organisation", oid) in hidden:
            continue
        note = notes.get(("organisation", oid))
        name = org_names[oid]
        names.append(gettext("%(name)s (%(role)s)", name=name, role=_role_note(note)) if note else name)
    return names


def _groups(facts: PersonFacts, day, categories) -> dict[tuple[frozenset, frozenset], list[str]]:
    """The kinds of information by who must say yes to them (for most people: all of them by
    the same people; a bewindvoerder decides about money only)."""
    groups: dict[tuple[frozenset, frozenset], list[str]] = {}
    for category in categories:
        key = (required_consenters(facts, day, [category]),
               required_organisations(facts, day, [category]))
        groups.setdefault(key, []).append(category.value if isinstance(category, Category)
                                          else category)
    return groups


def who_must_agree(access: Access, person: Person) -> list[str]:
    """ "Voor Lisa (14) moeten Lisa, Sandra en Mark het goed vinden.", and a sentence of its own
    for kinds of information someone else decides about (a bewindvoerder: money). Nobody the
    viewer may not know of is named."""
    facts = access.facts.persons[person.id]
    day = local_day(access.now)
    age = age_on(person.date_of_birth, day)
    groups = list(_groups(facts, day, list(Category)).items())
    main = next((i for i, (_key, cats) in enumerate(groups) if Category.ALGEMEEN.value in cats), 0)
    ordered = [groups[main]] + [g for i, g in enumerate(groups) if i != main]
    lines = []
    for index, ((persons, organisations), categories) in enumerate(ordered):
        names = consenter_names(access, person, persons, organisations)
        if index == 0 and names:
            lines.append(ngettext(
                "Voor %(person)s (%(age)s) moet %(names)s het goed vinden.",
                "Voor %(person)s (%(age)s) moeten %(names)s het goed vinden.", len(names),
                person=person.first_name, age=age, names=join_names(names)))
        elif index == 0 and not (persons or organisations):
            lines.append(gettext("Voor %(person)s (%(age)s) is er nu niemand die toestemming kan "
                                 "geven.", person=person.first_name, age=age))
        elif names:
            lines.append(ngettext(
                "%(what)s: daarvoor moet %(names)s het goed vinden.",
                "%(what)s: daarvoor moeten %(names)s het goed vinden.", len(names),
                what=_labels(categories), names=join_names(names)))
    return lines


# --- whom the round is about, and to whom -------------------------------------------------------
def persons_of_round(access: Access, mode: str | None = None) -> list[Person]:
    """The persons the viewer goes through: the adults (who decide for themselves) in the order
    they were taken on (the first is who the family came in with), then the youths and the
    children, oldest first. For a family member those they consent for; for everyone else the
    whole family."""
    mode = mode or services.consent_mode(access)
    persons = services.persons_i_consent_for(access) if mode == GIVE_MODE else access.persons
    day = local_day(access.now)

    def order(person: Person):
        age = age_on(person.date_of_birth, day)
        if age >= AGE_OF_CONSENT:
            return (0, person.id, person.date_of_birth)
        return (1 if age >= AGE_OF_CO_CONSENT else 2, 0, person.date_of_birth)

    return sorted(persons, key=order)


@dataclass(frozen=True)
class Grantee:
    """An organisation or a person who may be given consent in the round."""

    key: str  # as the consent services name it: "org:<id>" or "participant:<id>"
    name: str
    participant: Participant | None = None  # a network or family member
    members: tuple[int, ...] = ()  # an organisation's professionals the viewer may know of


def _participant_label(access: Access, participant: Participant) -> str:
    name = participant_name(access, participant)
    if participant.function:
        return gettext("%(name)s (%(role)s)", name=name, role=participant.function)
    return name


def grantees_of(access: Access, mode: str) -> list[Grantee]:
    """Whom the viewer may give consent to (or ask it for): the organisations of the
    professionals they may know take part, then the network and family members; someone who
    only asks, asks for their own organisation (or for themself)."""
    me = access.participant
    if mode == ASK_MODE:
        if me.is_professional and me.organisation is not None:
            return [Grantee(f"org:{me.organisation_id}", me.organisation.name, members=(me.id,))]
        return [Grantee(f"participant:{me.id}", _participant_label(access, me), participant=me)]
    organisations: dict[int, tuple[str, list[int]]] = {}  # the casusregisseur's first
    people = []
    for p in access.visible_participants:
        if p.is_professional and p.organisation is not None:
            organisations.setdefault(p.organisation_id, (p.organisation.name, []))[1].append(p.id)
        elif not p.is_professional and p.id != me.id:
            people.append(Grantee(f"participant:{p.id}", _participant_label(access, p), participant=p))
    chair = next((p.organisation_id for p in access.participants
                  if p.role is Role.CASUSREGISSEUR), None)
    found = [Grantee(f"org:{oid}", name, members=tuple(members))
             for oid, (name, members) in sorted(organisations.items(),
                                                key=lambda kv: (kv[0] != chair, kv[1][0]))]
    return found + people


def _offered(access: Access, mode: str, person: Person, grantee: Grantee) -> list[str]:
    """The kinds of information the viewer may decide on for this grantee: all of them for the
    casusregisseur and whoever asks; for a family member those they must consent to. What a
    family member sees anyway (`algemeen`) is not asked about for them."""
    categories = list(Category)
    if grantee.participant is not None and grantee.participant.role is Role.FAMILY:
        categories.remove(Category.ALGEMEEN)
    if mode == GIVE_MODE:
        categories = [c for c in categories if policy.may_consent_for(
            access.viewer, person.id, access.facts, access.now, [c])]
    return [c.value for c in categories]


def grantee_key_of(consent: Consent) -> str:
    if consent.grantee_organisation_id is not None:
        return f"org:{consent.grantee_organisation_id}"
    return f"participant:{consent.grantee_participant_id}"


# --- one step ------------------------------------------------------------------------------------
@dataclass
class Cell:
    """One kind of information for one grantee: a check box, or what is already so."""

    category: str
    label: str
    checked: bool
    editable: bool
    state: str = ""  # policy.ACTIEF or WACHT when a consent covers it, else ""
    note: str = ""
    consents: list[Consent] = field(default_factory=list)  # the live consents covering it
    removable: list[Consent] = field(default_factory=list)  # ... that unticking narrows


@dataclass
class Row:
    grantee: Grantee
    cells: list[Cell]
    versions: dict[int, int]  # consent id -> the version shown (sent back with the form)
    shield_notes: list[str]

    @property
    def key(self) -> str:
        return self.grantee.key

    def cell(self, category: str) -> Cell | None:
        return next((c for c in self.cells if c.category == category), None)


@dataclass
class PendingItem:
    """A consent about the person that still waits for someone, with what the viewer can do."""

    consent: Consent
    what: str
    missing: str
    actions: frozenset[str]
    missing_persons: list[Person]
    may_ask: bool = False  # asking reaches someone (a missing consenter with an account)


def _may_ask(access: Access, status: policy.GrantStatus, actions) -> bool:
    """Asking is offered when the viewer may ask and it reaches someone: a missing consenter
    with an account, or an organisation (through its professionals)."""
    with_account = {p.person_id for p in access.participants if p.person_id is not None}
    return services.ASK in actions and (bool(status.missing_organisations) or any(
        pid in with_account for pid in status.missing))


@dataclass
class Step:
    person: Person
    age: int
    mode: str
    number: int
    persons: list[Person]
    agree: list[str]
    rows: list[Row]
    at_table: list[tuple[int, str]]  # the casusregisseur's: who can say yes at the table
    pending: list[PendingItem]
    others: list[tuple[Consent, str]]  # live consents about the person the rows do not show

    @property
    def total(self) -> int:
        return len(self.persons)

    @property
    def previous(self) -> Person | None:
        return self.persons[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Person | None:
        return self.persons[self.number] if self.number < len(self.persons) else None


def _labels(categories) -> str:
    return ", ".join(gettext(Category(c).label) for c in categories)


def _missing_names(access: Access, consent: Consent, status: policy.GrantStatus) -> str:
    names = consenter_names(access, consent.subject, status.missing, status.missing_organisations)
    if not names:
        return gettext("wie toestemming moet geven") if (
            status.missing or status.missing_organisations) else gettext("niemand")
    return join_names(names)


def _mine(access: Access, consent: Consent) -> bool:
    """The viewer's own yes is in this consent (theirs, or their organisation's)."""
    me = access.participant.person_id
    mine = me is not None and any(a.person_id == me for a in consent.approvals)
    org = services.my_consenting_organisation(access, consent)
    return mine or (org is not None and any(a.organisation_id == org
                                            for a in consent.organisation_approvals))


def _awaits_me(access: Access, status: policy.GrantStatus) -> bool:
    me = access.participant.person_id
    org = access.participant.organisation_id if access.viewer.role.is_professional else None
    return status.state == policy.WACHT and (
        (me is not None and me in status.missing)
        or (org is not None and org in status.missing_organisations))


def _cell(access: Access, mode: str, category: str, covering: list[tuple[Consent, policy.GrantStatus]]) -> Cell:
    label = gettext(Category(category).label)
    if not covering:
        return Cell(category, label, checked=False, editable=True)
    active = [c for c, st in covering if st.state != policy.WACHT]
    pending = [(c, st) for c, st in covering if st.state == policy.WACHT]
    state = policy.ACTIEF if active else policy.WACHT
    consents = [c for c, _st in covering]
    waiting = "" if active or not pending else gettext(
        "wacht op %(names)s", names=_missing_names(access, *pending[0]))
    if mode == RECORD_MODE:
        return Cell(category, label, checked=True, editable=True, state=state, note=waiting,
                    consents=consents, removable=consents)
    if mode == GIVE_MODE:
        mine = [c for c in consents if _mine(access, c)]
        if mine:
            mine_pending = [(c, st) for c, st in pending if c in mine]
            note = "" if active or not mine_pending else gettext(
                "wacht op %(names)s", names=_missing_names(access, *mine_pending[0]))
            return Cell(category, label, checked=True, editable=True, state=state, note=note,
                        consents=consents, removable=mine)
        if any(_awaits_me(access, st) for _c, st in pending):
            return Cell(category, label, checked=False, editable=False, state=state,
                        note=gettext("er is om gevraagd: jouw antwoord staat hieronder"),
                        consents=consents)
        return Cell(category, label, checked=True, editable=False, state=state, note=waiting,
                    consents=consents)
    note = gettext("mag dit al zien") if active else gettext("gevraagd") + (
        ", " + waiting if waiting else "")  # someone who only asks
    return Cell(category, label, checked=True, editable=False, state=state, note=note,
                consents=consents)


def _shield_notes(access: Access, person: Person, grantee: Grantee) -> list[str]:
    """A shield beats every consent: the viewer who may know of it is told, once per row
    (nobody ever learns of a shield set against them: `policy.can_see_shield`)."""
    readers = set(grantee.members) | ({grantee.participant.id} if grantee.participant else set())
    by_id = {p.id: p for p in access.participants}
    notes = []
    for shield in access.facts.shields:
        if (shield.subject_id == person.id and shield.category is not None
                and shield.participant_id in readers and policy.shield_is_active(shield, access.now)
                and policy.can_see_shield(access.viewer, shield, access.facts, access.now).allowed):
            notes.append(gettext(
                "Let op: %(what)s over %(person)s is verborgen voor %(name)s. Dat blijft zo, "
                "ook als je hier ja zegt.", what=gettext(shield.category.label),
                person=person.first_name, name=participant_name(access, by_id.get(shield.participant_id))))
    return notes


def _consents_about(access: Access, person: Person) -> list[tuple[Consent, policy.GrantStatus]]:
    return [(c, services.consent_status(access, c)) for c in services.consents_visible_to(access)
            if c.subject_id == person.id]


def step_of(access: Access, person_id: int) -> Step | None:
    """The round's screen for one person; None when the person is not one of the viewer's
    round (not of this family, or not theirs to consent for)."""
    mode = services.consent_mode(access)
    persons = persons_of_round(access, mode)
    person = next((p for p in persons if p.id == person_id), None)
    if person is None:
        return None
    day = local_day(access.now)
    about = _consents_about(access, person)
    live: dict[tuple[str, str], list[tuple[Consent, policy.GrantStatus]]] = {}
    for consent, status in about:
        if consent.record_id is None and status.state in LIVE:
            for c in consent.categories:
                live.setdefault((grantee_key_of(consent), c.category), []).append((consent, status))
    rows = []
    for grantee in grantees_of(access, mode):
        if grantee.participant is not None and grantee.participant.person_id == person.id:
            continue  # nobody needs consent to see what is about themself
        cells = [_cell(access, mode, category, live.get((grantee.key, category), []))
                 for category in _offered(access, mode, person, grantee)]
        if not cells:
            continue
        versions = {c.id: c.version for cell in cells if cell.editable and cell.checked
                    for c in cell.removable}
        rows.append(Row(grantee, cells, versions, _shield_notes(access, person, grantee)))
    in_rows = {(row.key, cell.category) for row in rows for cell in row.cells}
    pending, others = [], []
    for consent, status in about:
        if status.state == policy.WACHT and (status.missing or status.missing_organisations):
            missing = [p for p in access.persons if p.id in status.missing]
            actions = services.consent_actions(access, consent)
            pending.append(PendingItem(
                consent, _what(access, consent), _missing_names(access, consent, status),
                actions, missing, _may_ask(access, status, actions)))
        elif status.state in LIVE:
            shown = consent.record_id is None and all(
                (grantee_key_of(consent), c.category) in in_rows for c in consent.categories)
            if not shown:
                others.append((consent, _what(access, consent)))
    at_table = []
    if mode == RECORD_MODE:
        everyone = frozenset().union(*(required_consenters(access.facts.persons[person.id], day, [c])
                                       for c in Category))
        names = {pid: consenter_names(access, person, frozenset({pid}), frozenset())
                 for pid in everyone}
        at_table = [(pid, names[pid][0]) for pid in sorted(everyone, key=lambda i: (i != person.id, i))
                    if names[pid]]
    return Step(person, age_on(person.date_of_birth, day), mode, persons.index(person) + 1,
                persons, who_must_agree(access, person), rows, at_table, pending, others)


def _grantee_name(access: Access, consent: Consent) -> str:
    if consent.grantee_organisation is not None:
        return consent.grantee_organisation.name
    return participant_name(access, consent.grantee_participant)


def _what(access: Access, consent: Consent) -> str:
    """ "Sociaal Wijkteam Noord: Gezondheid (ook psychisch)" — or one thing only, named as the
    viewer may know it."""
    if consent.record_id is not None:
        record = consent.record
        title = (getattr(record, "title", None) or getattr(record, "what", None)) if (
            record is not None and access.decide(record).allowed) else None
        what = gettext("alleen “%(title)s”", title=title) if title else gettext("één ding")
    else:
        what = _labels(sorted((c.category for c in consent.categories),
                              key=lambda c: list(Category).index(c)))
    return gettext("%(grantee)s: %(what)s", grantee=_grantee_name(access, consent), what=what)


# --- saving one step -----------------------------------------------------------------------------
@dataclass
class StepInput:
    """What the step's form sent: per grantee key the kinds ticked (`chosen`) and the kinds
    the screen showed ticked (`shown`); who said yes at the table (the casusregisseur's); the
    version of each consent the screen showed."""

    chosen: dict[str, set[str]]
    shown: dict[str, set[str]]
    at_table: list[int]
    versions: dict[int, int | None]


@dataclass
class StepResult:
    created: list[Consent] = field(default_factory=list)
    withdrawn: int = 0  # kinds of information taken out
    waiting_for: list[str] = field(default_factory=list)  # names of whom a new consent waits for


#: messages of `Invalid` (Dutch message ids, put through gettext by the view)
NOT_IN_PLAN = _("Deze organisatie of persoon doet niet mee aan het plan.")
NOT_OFFERED = _("Kies alleen uit wat op het scherm staat.")
NOT_A_CONSENTER = _("Alleen wie toestemming moet geven, kan toestemming geven.")


def save_step(access: Access, person_id: int, data: StepInput) -> StepResult:
    """Apply what the step's form says changed, in one transaction: what was ticked becomes a
    consent (one per grantee and per group of people who must say yes to it), what was
    unticked is withdrawn (`services.narrow`). Anything not on the viewer's screen (another
    family's organisation, a participation they may not know of, a kind of information that is
    not theirs to decide on, someone who does not have to consent) is refused (Invalid) before
    anything is written. Someone who may not record consent only asks: `at_table` is
    ignored for them, as `services.grant` would."""
    step = step_of(access, person_id)
    if step is None:
        raise services.NotAllowed("person outside this viewer's round")
    person, mode = step.person, step.mode
    rows = {row.key: row for row in step.rows}
    for key in set(data.chosen) | set(data.shown):
        if key not in rows:
            raise Invalid(NOT_IN_PLAN)
        offered = {cell.category for cell in rows[key].cells}
        if not (data.chosen.get(key, set()) | data.shown.get(key, set())) <= offered:
            raise Invalid(NOT_OFFERED)
    at_table = set()
    if mode == RECORD_MODE:
        at_table = set(data.at_table)
        if not at_table <= {pid for pid, _name in step.at_table}:
            raise Invalid(NOT_A_CONSENTER)
    facts = access.facts.persons[person.id]
    day = local_day(access.now)
    result = StepResult()
    # what was unticked: withdrawn from the consents the screen showed it under
    removing: dict[int, tuple[Consent, set[str]]] = {}
    for key, row in rows.items():
        for category in data.shown.get(key, set()) - data.chosen.get(key, set()):
            cell = row.cell(category)
            if cell.editable and cell.checked:
                for consent in cell.removable:
                    removing.setdefault(consent.id, (consent, set()))[1].add(category)
    for consent_id, (consent, categories) in removing.items():
        keep = {c.category for c in consent.categories} - categories
        services.narrow(access, consent, keep, data.versions.get(consent_id), commit=False)
        result.withdrawn += len(categories)
    # what was ticked: new consents (what a consent already covers is not given twice)
    for key, row in rows.items():
        new = [row.cell(c) for c in data.chosen.get(key, set()) - data.shown.get(key, set())]
        new = [cell.category for cell in new if cell.editable and not cell.consents]
        for (persons, _organisations), categories in _groups(facts, day, sorted(
                new, key=lambda c: list(Category).index(c))).items():
            if mode == RECORD_MODE:
                yes = sorted(at_table & persons)
                how = "tafel" if yes else "verzoek"
            else:
                yes, how = [], "app" if mode == GIVE_MODE else "verzoek"
            consent = services.grant(access, services.GrantInput(
                subject_id=person.id, grantee=key, categories=categories, purpose="",
                end_at=None, how=how, consenter_ids=yes,
            ), commit=False)
            result.created.append(consent)
    access.session.flush()
    for consent in result.created:
        status = services.consent_status(access, consent)
        if status.state == policy.WACHT:
            for name in consenter_names(access, person, status.missing,
                                        status.missing_organisations):
                if name not in result.waiting_for:
                    result.waiting_for.append(name)
    access.session.commit()
    return result


# --- the end: what is still missing --------------------------------------------------------------
@dataclass
class MissingItem:
    consent: Consent
    person: Person
    what: str
    missing: str
    may_ask: bool
    without_account: list[str]  # missing consenters who have no login: ask them at the table


@dataclass
class RoundEnd:
    mode: str
    persons: list[Person]
    missing: list[MissingItem]
    nothing_yet: list[Person]  # persons about whom nothing is agreed yet (that the viewer sees)


def end_of(access: Access) -> RoundEnd:
    mode = services.consent_mode(access)
    persons = persons_of_round(access, mode)
    ids = {p.id for p in persons}
    with_account = {p.person_id for p in access.participants if p.person_id is not None}
    missing, agreed = [], set()
    for consent in services.consents_visible_to(access):
        if consent.subject_id not in ids:
            continue
        status = services.consent_status(access, consent)
        if status.state in LIVE:
            agreed.add(consent.subject_id)
        if status.state == policy.WACHT and (status.missing or status.missing_organisations):
            no_login = [p.first_name for p in access.persons
                        if p.id in status.missing and p.id not in with_account]
            missing.append(MissingItem(
                consent, consent.subject, _what(access, consent),
                _missing_names(access, consent, status),
                _may_ask(access, status, services.consent_actions(access, consent)), no_login))
    nothing_yet = [p for p in persons if p.id not in agreed] if mode != ASK_MODE else []
    return RoundEnd(mode, persons, missing, nothing_yet)


def summary_of(access: Access, persons: list[Person]) -> dict[int, tuple[int, int]]:
    """Per person: how many consents about them count now, and how many wait (as far as the
    viewer may see consents)."""
    counts = {p.id: [0, 0] for p in persons}
    for consent in services.consents_visible_to(access):
        if consent.subject_id in counts:
            state = services.consent_status(access, consent).state
            if state == policy.WACHT:
                counts[consent.subject_id][1] += 1
            elif state in LIVE:
                counts[consent.subject_id][0] += 1
    return {pid: (n[0], n[1]) for pid, n in counts.items()}
