"""The tijdlijn: earlier help and life events. Every change is checked by the policy,
versioned, logged and committed here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from samenplan.domain.i18n import _ as _mark
from samenplan.domain.vocabulary import TimelineKind
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.records.editing import (  # noqa: F401 - Widening for the views
    Invalid, NotAllowed, Widening, category_of, create_record, subjects_of, update_record,
)
from samenplan.timeline.models import TimelineEvent

KIND = policy.TIMELINE_EVENT


@dataclass
class EventInput:
    kind: str
    title: str
    subject_ids: list[int]
    category: str
    start_date: date | None
    end_date: date | None = None
    helper: str = ""
    worked: str = ""
    not_worked: str = ""
    version: int | None = None  # the version the form was loaded at (None: a new entry)


def _apply(access: Access, event: TimelineEvent, data: EventInput) -> None:
    kind = TimelineKind.parse(data.kind)
    if kind is None:
        raise Invalid(_mark("Kies of het eerdere hulp is of een gebeurtenis."))
    title = (data.title or "").strip()
    if not title:
        raise Invalid(_mark("Schrijf op wat er was."))
    if data.start_date is None:
        raise Invalid(_mark("Zet erbij wanneer het was."))
    end = data.end_date if kind is TimelineKind.EARLIER_HELP else None  # an event has one date
    if end is not None and end < data.start_date:
        raise Invalid(_mark("De einddatum ligt vóór de begindatum."))
    category = category_of(data.category)
    event.subjects = subjects_of(access, data.subject_ids)
    event.category = category.value
    event.event_kind = kind.value
    event.title = title[:300]
    event.start_date, event.end_date = data.start_date, end
    helps = kind is TimelineKind.EARLIER_HELP
    event.helper = (data.helper or "").strip()[:200] if helps else ""
    event.worked = (data.worked or "").strip()[:5000] if helps else ""
    event.not_worked = (data.not_worked or "").strip()[:5000] if helps else ""


def create_event(access: Access, data: EventInput) -> TimelineEvent:
    return create_record(access, KIND, TimelineEvent(), lambda event: _apply(access, event, data))


def update_event(access: Access, event: TimelineEvent, data: EventInput) -> TimelineEvent:
    return update_record(access, event, KIND, data, lambda r: _apply(access, r, data))
