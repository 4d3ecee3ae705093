"""An action or goal given to someone who cannot see it (issue 10 item 5).

When the assignee of an action, or a goal's trekker, may not see that record under the consents
of today, whoever edits it is told in words ("Ilse Smit kan dit doel nu niet zien. Vraag Sandra
om toestemming.") and offered a button that asks the people who must consent (a pending
consent for the assignee's organisation, or the assignee, for the record's category). Who can
see what is decided by the pure policy (`policy.why_unseen`), nothing here copies a rule; a
shield is never given away to someone who may not know of it (`policy.can_see_shield`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext

from samenplan.domain.i18n import _
from samenplan.families.models import Participant
from samenplan.privacy import loader, policy, services
from samenplan.privacy.access import Access
from samenplan.privacy.consent_round import consenter_names, grantee_key_of, join_names
from samenplan.privacy.facts import Category, RecordFacts, Role
from samenplan.privacy.models import Record


@dataclass(frozen=True)
class ReaderWarning:
    """ "Ilse Smit kan dit doel nu niet zien." and what to do about it."""

    participant: Participant
    record_id: int | None  # None: a record still being written (no button then)
    text: str
    button: str | None = None  # the label of the button that asks (or gives) the consent


def grantee_key(participant: Participant) -> str:
    """Consent for a professional goes to their organisation; for anyone else to themself."""
    if participant.is_professional and participant.organisation_id is not None:
        return f"org:{participant.organisation_id}"
    return f"participant:{participant.id}"


def _names(access: Access, subject_ids, category: Category) -> tuple[list[str], bool]:
    """Who must consent for these subjects (as the viewer may know them), and whether the
    viewer is one of them."""
    by_id = {p.id: p for p in access.persons}
    names: list[str] = []
    mine = False
    for subject_id in subject_ids:
        if subject_id not in by_id:
            continue
        persons = services.consenters_for(access, by_id[subject_id], [category])
        organisations = services.organisations_for(access, by_id[subject_id], [category])
        mine = mine or policy.may_consent_for(access.viewer, subject_id, access.facts, access.now,
                                              [category])
        for name in consenter_names(access, by_id[subject_id], persons, organisations):
            if name not in names:
                names.append(name)
    return names, mine


def _why_unseen(access: Access, record: RecordFacts, participant: Participant):
    """`policy.why_unseen` for `participant` (the policy remembers its answers for the request:
    the 40 goals of a plan alike in subjects and category are decided once)."""
    return policy.why_unseen(access.reader_facts(participant), record, access.facts, access.now)


def _unseen(access: Access, record: RecordFacts, participant: Participant | None):
    """Why `participant` cannot see `record`, when the viewer may be told (they may know of
    the participant, and of a shield that hides it); None when they can, or may not be told."""
    if participant is None or not access.sees_participant(participant):
        return None
    unseen = _why_unseen(access, record, participant)
    if unseen is None or unseen.shield is None:
        return unseen
    shield = next((s for s in access.facts.shields if s.id == unseen.shield), None)
    if shield is None or not policy.can_see_shield(access.viewer, shield, access.facts,
                                                   access.now).allowed:
        return None
    return unseen


def reader_warning(access: Access, record: RecordFacts, participant: Participant | None,
                   kind: str, *, saved: bool = True) -> ReaderWarning | None:
    """The warning for `participant` (an action's assignee, a goal's trekker) who cannot see
    `record` (of `kind`: policy.GOAL or policy.ACTION); None when they can, or when the viewer
    may not know of them (their participation) or of what hides it from them (a shield)."""
    if participant is None:
        return None
    warning = access.answer_once(("reader warning", participant.id, kind, saved), record,
                                 lambda: _reader_warning(access, record, participant, kind, saved))
    if warning is None or warning.record_id == (record.id if saved else None):
        return warning
    return replace(warning, record_id=record.id)  # said of an alike record: this one's id


def _reader_warning(access: Access, record: RecordFacts, participant: Participant, kind: str,
                    saved: bool) -> ReaderWarning | None:
    unseen = _unseen(access, record, participant)
    if unseen is None:
        return None
    name = participant.display_name
    what = gettext("dit doel") if kind == policy.GOAL else gettext("deze actie")
    record_id = record.id if saved else None
    if unseen.shield is not None:
        return ReaderWarning(participant, record_id, gettext(
            "%(name)s kan %(what)s niet zien: het is voor %(name)s verborgen.", name=name,
            what=what))
    if not unseen.subjects:
        return ReaderWarning(participant, record_id, gettext(
            "%(name)s kan %(what)s nu niet zien.", name=name, what=what))
    names, mine = _names(access, unseen.subjects, record.category)
    text = gettext("%(name)s kan %(what)s nu niet zien.", name=name, what=what)
    if mine:
        button = gettext("Geef %(name)s toestemming", name=name)
        text += " " + gettext("Jij kunt daar toestemming voor geven.")
    elif names:
        button = gettext("Vraag %(names)s om toestemming", names=join_names(names))
        text += " " + gettext("Vraag %(names)s om toestemming.", names=join_names(names))
    else:
        button = gettext("Vraag om toestemming")
        text += " " + gettext("Daar is toestemming voor nodig.")
    if not saved:
        text += " " + gettext("Na het opslaan kun je het vragen.")
    return ReaderWarning(participant, record_id, text, button if saved else None)


def mark_unseen(access: Access, record: RecordFacts, choices: list[tuple[int, str]],
                kind: str) -> list[tuple[int, str]]:
    """Owner or assignee choices on a form, with "kan dit doel nu niet zien" after those who
    cannot see the record (as `reader_warning` decides it: nothing of a shield the viewer may
    not know of)."""
    return access.answer_once(("unseen marks", kind, tuple(choices)), record,
                              lambda: _mark_unseen(access, record, choices, kind))


def _mark_unseen(access: Access, record: RecordFacts, choices: list[tuple[int, str]],
                 kind: str) -> list[tuple[int, str]]:
    by_id = access.participants_by_id
    note = gettext("kan dit doel nu niet zien") if kind == policy.GOAL else gettext(
        "kan deze actie nu niet zien")
    marking = gettext("%(name)s: %(note)s")  # translated once (without values: as written)
    marked = []
    for value, label in choices:
        participant = by_id.get(value)
        if participant is not None and _unseen(access, record, participant) is not None:
            label = marking % {"name": label, "note": note}
        marked.append((value, label))
    return marked


def may_act_on(access: Access, record: Record) -> bool:
    """Who may change the record (and so whom it is given to) is told, and may ask."""
    from samenplan.goals.models import Action

    if access.viewer.role is Role.NETWORK:
        return False
    kind = policy.ACTION if isinstance(record, Action) else policy.GOAL
    return access.can_edit(record, kind).allowed


def goal_warnings(access: Access, goal, actions) -> list[ReaderWarning]:
    """For a goal's card: its trekker and the assignees of its actions (those shown) who
    cannot see them, for whoever may change the goal or its actions."""
    if not may_act_on(access, goal):
        return []
    by_id = access.participants_by_id
    found = []
    owner = by_id.get(goal.owner_participant_id)
    warning = reader_warning(access, access.record_facts(goal), owner, policy.GOAL)
    if warning is not None:
        found.append(warning)
    for action in actions:
        if action.done:
            continue
        assignee = by_id.get(action.assignee_participant_id)
        warning = reader_warning(access, access.record_facts(action), assignee, policy.ACTION)
        if warning is not None:
            found.append(replace(warning, text=gettext("Bij “%(action)s”: ", action=action.what)
                                 + warning.text))
    return found


def draft_warning(access: Access, goal, subject_ids, category: str | None,
                  owner_id: int | None) -> ReaderWarning | None:
    """On the goal form: the trekker chosen, against the goal as it would be saved."""
    try:
        category = Category(category)
    except ValueError:
        return None
    owner = next((p for p in access.participants if p.id == owner_id), None)
    valid = {p.id for p in access.persons}
    subjects = frozenset(i for i in subject_ids or () if i in valid)
    if goal is not None:
        facts = replace(access.record_facts(goal), subject_ids=subjects, category=category)
    else:
        facts = RecordFacts(id=0, category=category, subject_ids=subjects,
                            author_participant_id=access.participant.id)
    return reader_warning(access, facts, owner, policy.GOAL, saved=False)


def ask_for_reader(access: Access, record_id: int, participant_id: int) -> list[str]:
    """The button of a warning: for each subject whose consent the record's assignee (or
    trekker) lacks, a consent for their organisation (or them) for the record's category: a
    request the consenters answer, or the viewer's own yes when it is theirs to give. A request
    already waiting is asked again instead of made twice. Returns who was asked."""
    from samenplan.goals.models import Action, Goal

    record = access.get(Record, record_id)
    if record is None or not isinstance(record, (Action, Goal)) or not may_act_on(access, record):
        raise services.NotAllowed("not a record the viewer may give to someone")
    given_to = record.assignee_participant_id if isinstance(record, Action) else (
        record.owner_participant_id)
    participant = next((p for p in access.visible_participants if p.id == participant_id), None)
    if participant is None or participant.id != given_to:
        raise services.NotAllowed("not the record's assignee or trekker")
    facts = access.record_facts(record)
    unseen = policy.why_unseen(loader.viewer_facts(participant), facts, access.facts, access.now)
    if unseen is None:
        raise services.Invalid(_("Wie dit gekregen heeft, kan het al zien."))
    if unseen.shield is not None or not unseen.subjects:
        raise services.Invalid(_("Toestemming vragen helpt hier niet."))
    key = grantee_key(participant)
    category = facts.category.value
    waiting = {
        c.subject_id: c for c in services.consents_visible_to(access)
        if c.record_id is None and grantee_key_of(c) == key and category in {x.category for x in c.categories}
        and services.consent_status(access, c).state == policy.WACHT
    }
    asked: list[str] = []
    for subject_id in unseen.subjects:
        consent = waiting.get(subject_id)
        if consent is not None and services.ASK in services.consent_actions(access, consent):
            names = services.ask(access, consent, consent.version, commit=False)
        elif consent is not None:
            continue  # waits for the viewer themself, or for no one they can ask
        else:
            consent = services.grant(access, services.GrantInput(
                subject_id=subject_id, grantee=key, categories=[category], purpose="",
                end_at=None, how="verzoek", consenter_ids=[],
            ), commit=False, for_someone_else=True)
            status = services.consent_status(access, consent)
            names = [p.first_name for p in access.persons if p.id in status.missing]
            names += services.organisation_names(access, status.missing_organisations)
        for name in names:
            if name not in asked:
                asked.append(name)
    access.session.commit()
    return asked
