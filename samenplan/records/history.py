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
  A person's data (a gezinslid: names, date of birth, authority, household, LVB flag) is no
  record, but its changes are written here the same way, as revisions of that person
  (`Revision.person_id`), one per category of the fields that changed (`Person.history_privacy`).
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


def _code(item):
    """A related row as a revision keeps it: its `code` when it has one, else its id."""
    return getattr(item, "code", None) or item.id


def _is_collection(obj, name: str) -> bool:
    relationship = inspect(obj).mapper.relationships.get(name)
    return relationship is not None and relationship.uselist


def _value(obj, name: str):
    if _is_collection(obj, name):
        return sorted(_code(item) for item in getattr(obj, name))
    return _plain(getattr(obj, name))


def _changes(obj, fields) -> tuple[dict, dict]:
    before, after = {}, {}
    for name in fields:
        history = attributes.get_history(obj, name)
        if not history.has_changes():
            continue
        if _is_collection(obj, name):
            old = sorted({_code(p) for p in history.unchanged} | {_code(p) for p in history.deleted})
            new = sorted({_code(p) for p in history.unchanged} | {_code(p) for p in history.added})
            if old == new:
                continue
            before[name], after[name] = old, new
        else:
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _plain(old) == _plain(new):
                continue
            before[name], after[name] = _plain(old), _plain(new)
    return before, after


def changed_fields(obj) -> list[str]:
    """The revised fields of `obj` whose value this session really changes (the next revision)."""
    before, after = _changes(obj, obj.revised_fields)
    return sorted(set(before) | set(after))


def _is_person(obj) -> bool:
    return getattr(obj, "__tablename__", None) == "person"


def _revisions(obj, version: int, before: dict, after: dict, actor, now) -> list[Revision]:
    """The revisions of one change of `obj`: one for a record; for a person one per category
    of the fields that changed."""
    if isinstance(obj, Record):
        return [Revision(
            record=obj, version=version, changed_at=now, changed_by_id=actor,
            category=obj.effective_category,
            subject_ids=sorted(p.id for p in obj.effective_subjects), before=before, after=after,
        )]
    revisions = []
    for category, names in obj.history_privacy(sorted(set(before) | set(after))).items():
        revisions.append(Revision(
            person=obj, version=version, changed_at=now, changed_by_id=actor, category=category,
            subject_ids=[obj.id],
            before={n: before[n] for n in names if n in before},
            after={n: after[n] for n in names if n in after},
        ))
    return revisions


def _revised(obj) -> bool:
    return (isinstance(obj, Record) or _is_person(obj)) and bool(obj.revised_fields)


@event.listens_for(Session, "before_flush")
def _write_revisions(session: Session, _context, _instances) -> None:
    actor = session.info.get(ACTOR_KEY)
    now = utcnow()
    for obj in list(session.new):
        if _revised(obj) and isinstance(obj, Record):
            after = {name: _value(obj, name) for name in obj.revised_fields}
            session.add_all(_revisions(obj, 1, {}, after, actor, now))
        elif _revised(obj):  # a new person: the people it is tied to may be new too (no ids yet)
            session.info.setdefault(NEW_PERSONS, []).append(obj)
    for obj in list(session.dirty):
        if not _revised(obj) or obj in session.deleted:
            continue
        before, after = _changes(obj, obj.revised_fields)
        if not after and not before:
            continue
        if not isinstance(obj, Record):
            # a change kept in another table only (authority) still makes a new version
            touch(obj, "first_name")
        session.add_all(_revisions(obj, (obj.version or 0) + 1, before, after, actor, now))


NEW_PERSONS = "samenplan.new_persons"


@event.listens_for(Session, "after_flush_postexec")
def _write_revisions_of_new_persons(session: Session, _context) -> None:
    """The first revision of a person made in the flush that just ran, now that it and everyone
    it is tied to have ids (written by the next flush: the commit flushes until nothing is left)."""
    actor = session.info.get(ACTOR_KEY)
    now = utcnow()
    for person in session.info.pop(NEW_PERSONS, []):
        if person in session and not inspect(person).deleted:
            after = {name: _value(person, name) for name in person.revised_fields}
            session.add_all(_revisions(person, 1, {}, after, actor, now))


@event.listens_for(Session, "after_rollback")
def _forget_new_persons(session: Session) -> None:
    session.info.pop(NEW_PERSONS, None)


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
