"""What the services of the simpler kinds of record share (network entries, timeline events):
subjects that must be of this family, a category that must be chosen, the same refusal of a
widening as for goals (DESIGN.md §3), and the same exceptions, so their views answer alike."""
from __future__ import annotations

from samenplan.families.models import Person
from samenplan.goals.services import Invalid, NotAllowed
from samenplan.privacy.access import Access, Widening
from samenplan.privacy.facts import Category

__all__ = ["Invalid", "NotAllowed", "Widening", "category_of", "refuse_widening", "subjects_of"]


def subjects_of(access: Access, ids: list[int]) -> list[Person]:
    """The persons `ids` name; NotAllowed (a 404) when one is not of this family."""
    wanted = set(ids)
    persons = [p for p in access.persons if p.id in wanted]
    if len(persons) != len(wanted):
        raise NotAllowed("subject outside this family")
    if not persons:
        raise Invalid("Kies minstens één persoon.")
    return persons


def category_of(value: str | None) -> Category:
    """The chosen category; none is chosen for you (DESIGN.md §3)."""
    category = Category.parse(value)
    if category is None:
        raise Invalid("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien.")
    return category


def refuse_widening(access: Access, record, data) -> None:
    """Widening (`data.subject_ids`, `data.category`) needs someone who may consent for every
    subject: the one rule, in the door (`Access.refuse_widening`)."""
    access.refuse_widening(record, data.subject_ids, data.category)
