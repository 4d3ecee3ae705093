"""Reading the audit log in tests: the events about one record, and the lines of a view event
(one per record it lists)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tests.support.clients import db_session


@dataclass(frozen=True)
class Line:
    """One record an event is about, with the event's fields beside the record's."""

    id: int
    action: str
    actor_user_id: int | None
    actor_participant_id: int | None
    record_id: int
    category: str | None
    subject_ids: list[int]
    ground: str
    item: dict
    params: dict


def lines(events) -> list[Line]:
    return [
        Line(e.id, e.action, e.actor_user_id, e.actor_participant_id, item["record"], item.get("category"),
             item.get("subjects", []), item.get("ground", ""), item, e.params or {})
        for e in events for item in e.items
    ]


def events_about(app, record_id: int, action: str | None = None) -> list[Line]:
    """Every line of the log about `record_id` (of `action`), oldest first."""
    from samenplan.privacy.models import AuditEvent

    with db_session(app) as session:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action is not None:
            stmt = stmt.where(AuditEvent.action == action)
        return [line for line in lines(session.scalars(stmt)) if line.record_id == record_id]
