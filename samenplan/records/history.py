"""Versions and history for every kind of record, written in one place.

- Every `Record` has a `version` (SQLAlchemy's version counter: an UPDATE that finds another
  version than the one loaded changes nothing and fails). A form sends the version it was
  loaded at; `check_version` refuses a save made from an older one (`Stale`), and a race
  between two saves of the same version is caught at flush (`StaleDataError`) and answered
  the same way: with the merge screen, never a silent overwrite.
- Not only records: a consent and a shield have a version too (privacy/models.py), checked
  the same way. A change kept outside the row itself (an approval in its own table) is still
  a new version of it: `touch` makes the flush write the row, and so check its version.
- A `before_flush` listener writes a `Revision` for every new or changed record, with the
  fields its kind lists in `revised_fields`, the person in `session.info["actor_user_id"]`.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from samenplan.db import utcnow
from samenplan.privacy.models import Record
from samenplan.records.models import Revision

ACTOR_KEY = "actor_user_id"


class Stale(Exception):
    """The record (or consent, or shield) changed since the form was loaded. `record` holds
    the current version."""

    def __init__(self, record):
        super().__init__(f"record #{record.id} is at version {record.version}")
        self.record = record


def check_version(record, loaded_version: int | None) -> None:
    """Refuse a save made from a form loaded at another version than the record's now."""
    if loaded_version is None or loaded_version != record.version:
        raise Stale(record)


def touch(row, column: str) -> None:
    """Make the next flush write `row` (so its version goes up, and an UPDATE from an older
    version fails) although the change is elsewhere, e.g. an approval added to a consent.
    `column` is one of its plain columns; its value stays as it is."""
    flag_modified(row, column)


def act_as(session: Session, user_id: int | None) -> None:
    """Who the revisions of this session's changes are by."""
    session.info[ACTOR_KEY] = user_id


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _value(record: Record, name: str, state):
    if name == "subjects":
        return sorted(p.id for p in record.subjects)
    return _plain(getattr(record, name))


def _changes(record: Record) -> tuple[dict, dict]:
    state = inspect(record)
    before, after = {}, {}
    for name in record.revised_fields:
        history = attributes.get_history(record, name)
        if not history.has_changes():
            continue
        if name == "subjects":
            old = sorted({p.id for p in history.unchanged} | {p.id for p in history.deleted})
            new = sorted({p.id for p in history.unchanged} | {p.id for p in history.added})
            if old == new:
                continue
            before[name], after[name] = old, new
        else:
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _plain(old) == _plain(new):
                continue
            before[name], after[name] = _plain(old), _plain(new)
    del state
    return before, after


@event.listens_for(Session, "before_flush")
def _write_revisions(session: Session, _context, _instances) -> None:
    actor = session.info.get(ACTOR_KEY)
    now = utcnow()
    for record in list(session.new):
        if isinstance(record, Record) and record.revised_fields:
            after = {name: _value(record, name, None) for name in record.revised_fields}
            session.add(Revision(
                record=record, version=1, changed_at=now, changed_by_id=actor,
                category=record.effective_category,
                subject_ids=sorted(p.id for p in record.effective_subjects), before={}, after=after,
            ))
    for record in list(session.dirty):
        if not isinstance(record, Record) or not record.revised_fields:
            continue
        before, after = _changes(record)
        if not after and not before:
            continue
        session.add(Revision(
            record_id=record.id, version=(record.version or 0) + 1, changed_at=now,
            changed_by_id=actor, category=record.effective_category,
            subject_ids=sorted(p.id for p in record.effective_subjects), before=before, after=after,
        ))


@contextmanager
def saving(session: Session, record):
    """Around the changes of one save: when another save of the same version got there first
    (an UPDATE, at any flush, found a newer version), roll back and raise Stale with the
    record as it is now."""
    try:
        yield
    except StaleDataError:
        session.rollback()
        session.refresh(record)
        raise Stale(record) from None
