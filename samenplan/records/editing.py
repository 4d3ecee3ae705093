"""What the services of the simpler kinds of record share (network entries, timeline events):
subjects that must be of this family, a category that must be chosen, the same refusal of a
widening as for goals (DESIGN.md §3), the same exceptions, so their views answer alike, and
the same way to add and change one (`create_record`, `update_record`); their views share one
editing flow too (records/edit_views.py)."""
from __future__ import annotations

from samenplan.domain.i18n import _ as _mark
from samenplan.families.models import Person
from samenplan.goals.services import Invalid, NotAllowed
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Widening
from samenplan.privacy.facts import Category
from samenplan.records.history import check_version, saving

__all__ = ["Invalid", "NotAllowed", "Widening", "category_of", "create_record", "refuse_widening",
           "subjects_of", "update_record"]


def subjects_of(access: Access, ids: list[int]) -> list[Person]:
    """The persons `ids` name; NotAllowed (a 404) when one is not of this family."""
    wanted = set(ids)
    persons = [p for p in access.persons if p.id in wanted]
    if len(persons) != len(wanted):
        raise NotAllowed("subject outside this family")
    if not persons:
        raise Invalid(_mark("Kies minstens één persoon."))
    return persons


def category_of(value: str | None) -> Category:
    """The chosen category; none is chosen for you (DESIGN.md §3)."""
    category = Category.parse(value)
    if category is None:
        raise Invalid(_mark("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien."))
    return category


def refuse_widening(access: Access, record, data) -> None:
    """Widening (`data.subject_ids`, `data.category`) needs someone who may consent for every
    subject: the one rule, in the door (`Access.refuse_widening`)."""
    access.refuse_widening(record, data.subject_ids, data.category)


def create_record(access: Access, kind: str, record, apply) -> object:
    """A new record of `kind` by the viewer: `apply(record)` fills it in (and checks what was
    typed: Invalid, NotAllowed); one transaction, one audit event."""
    if not access.may_create(kind):
        raise NotAllowed(f"role may not add a {kind}")
    record.family_id, record.author_participant_id = access.family_id, access.participant.id
    record.created_by_id = record.updated_by_id = access.user.id
    record.created_at = record.updated_at = access.now
    apply(record)
    access.session.add(record)
    access.session.flush()
    access.queue(access.event("create", record, policy.AUTHOR))
    access.session.commit()
    return record


def update_record(access: Access, record, kind: str, data, apply, after=None) -> object:
    """A change of `record` from the version the viewer saw (`data.version`): from an older one
    nothing is saved (Stale: the merge screen); subjects or a category that let new people read
    it, by someone who may not consent for every subject, neither (Widening). `apply(record)`
    makes the change, `after(record)` what follows from it in the same transaction."""
    decision = access.can_edit(record, kind)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    check_version(record, data.version)
    category_of(data.category)
    subjects_of(access, data.subject_ids)
    refuse_widening(access, record, data)
    with saving(access.session, record):
        apply(record)
        record.updated_by_id, record.updated_at = access.user.id, access.now
        access.session.flush()  # a newer version stops the save here
        if after is not None:
            after(record)
        access.queue(access.event("update", record, decision))
        access.session.commit()
    return record
