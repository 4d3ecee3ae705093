"""The tijdlijn's view model: the entries the viewer may see (filtered in SQL), oldest first,
optionally only those about one person."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from samenplan.domain.i18n import _ as _mark
from samenplan.domain.vocabulary import TimelineKind
from samenplan.privacy.access import Access, Audience
from samenplan.privacy.models import record_subject
from samenplan.timeline import services
from samenplan.timeline.models import TimelineEvent

FIELD_LABELS = {  # for "Wat is er veranderd?" (gettext at render)
    "event_kind": _mark("Wat voor stuk"), "title": _mark("Wat was het?"), "subjects": _mark("Over wie"),
    "category": _mark("Soort informatie"), "start_date": _mark("Wanneer"), "end_date": _mark("Tot wanneer"),
    "helper": _mark("Wie hielp?"), "worked": _mark("Wat hielp?"), "not_worked": _mark("Wat hielp niet?"),
}


@dataclass
class EventView:
    event: TimelineEvent
    subject_names: list[str]
    kind_label: str
    is_help: bool
    may_edit: bool
    audience: Audience


def visible_events(access: Access, person_id: int | None = None) -> list[TimelineEvent]:
    """Oldest first: a new professional reads the family's story as it happened, from the
    first help to what is going on now (help still going sorts by when it began)."""
    stmt = access.select_visible(TimelineEvent)
    if person_id is not None:
        stmt = stmt.where(TimelineEvent.id.in_(
            select(record_subject.c.record_id).where(record_subject.c.person_id == person_id)
        ))
    return access.load_visible(stmt.order_by(TimelineEvent.start_date, TimelineEvent.id))


def event_view(access: Access, event: TimelineEvent) -> EventView:
    kind = TimelineKind(event.event_kind)
    return EventView(
        event=event, subject_names=[p.first_name for p in event.effective_subjects],
        kind_label=kind.label, is_help=kind is TimelineKind.EARLIER_HELP,
        may_edit=access.can_edit(event, services.KIND).allowed, audience=access.audience(event),
    )
