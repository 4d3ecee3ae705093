"""The append-only, hash-chained audit log.

Each event's hash covers its own fields and the hash of the event before it, so changing,
removing or inserting an event breaks the chain from there on; `verify` finds the first
broken link. Each family has its own chain and head row (`audit_head`), locked while appending
to it: a chain never forks, and families never wait on each other.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from samenplan.db import utcnow
from samenplan.privacy.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor_user_id", "actor_participant_id", "family_id", "action", "subject_ids",
    "items", "params", "target_kind", "target_id", "hidden_from_family",
)


@dataclass(frozen=True)
class Entry:
    """One record an event is about, with its privacy at that moment and the ground on which
    the actor saw or changed it (`basis`: the ids of the grants, emergency accesses, persons
    or shield the ground rests on; see `policy.Decision.basis`)."""

    record_id: int
    category: str | None
    subject_ids: tuple[int, ...]
    ground: str = ""
    basis: tuple[tuple[str, tuple[int, ...]], ...] = ()
    withheld: bool = False  # seen under an emergency access the family may not know of yet

    def as_row(self) -> dict:
        item = {"record": self.record_id, "category": self.category,
                "subjects": sorted(self.subject_ids), "ground": self.ground}
        item.update({key: list(ids) for key, ids in self.basis})
        if self.withheld:
            item["withheld"] = True
        return item


@dataclass(frozen=True)
class Event:
    """What happened (a code), who did it, about which records (`entries`: one for a change,
    every record shown for a view) or which persons (`subject_ids`, for events about no
    record), what it concerns (`target_kind`/`target_id`: a consent, shield, emergency access,
    invitation) and its parameters as codes and ids (`params`), never prose."""

    action: str  # view, denied, create, update, agree, grant, approve, revoke, shield, ...
    family_id: int | None = None
    actor_user_id: int | None = None
    actor_participant_id: int | None = None
    entries: tuple[Entry, ...] = ()
    subject_ids: tuple[int, ...] = ()
    params: tuple[tuple[str, object], ...] = ()
    hidden_from_family: bool = False
    target_kind: str | None = None
    target_id: int | None = None


def _canonical(row: dict) -> dict:
    payload = {name: row[name] for name in HASHED_FIELDS}
    if isinstance(payload["at"], datetime):
        payload["at"] = payload["at"].isoformat(timespec="microseconds")
    payload["subject_ids"] = sorted(payload["subject_ids"] or [])
    return payload


def _digest(prev_hash: str, row: dict) -> str:
    blob = prev_hash + json.dumps(_canonical(row), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


PENDING = "samenplan.audit_pending"


def queue(session: Session, event: Event) -> None:
    """Append `event` when the session next commits, in that same transaction."""
    session.info.setdefault(PENDING, []).append(event)


@sa_event.listens_for(Session, "before_commit")
def _append_queued(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        append(session, pending)


#: what was seen or refused stays seen or refused when the change around it is rolled back
KEPT_ON_ROLLBACK = frozenset({"view", "denied"})


@sa_event.listens_for(Session, "after_rollback")
def _drop_undone(session: Session) -> None:
    """A change that is rolled back did not happen: its events go; views and denials stay
    queued, for the commit at the end of the request."""
    pending = session.info.get(PENDING)
    if pending:
        session.info[PENDING] = [e for e in pending if e.action in KEPT_ON_ROLLBACK]


def has_queued(session: Session) -> bool:
    return bool(session.info.get(PENDING))


def _chain_key(family_id: int | None) -> int:
    """Events of a family form that family's chain; events of no family form chain 0."""
    return family_id or 0


def _lock_head(session: Session, key: int) -> tuple[int, str]:
    """The head of one chain, locked for this transaction (made when it is the first event):
    appends to one family's chain wait for each other, never for another family's. One
    statement when the head exists (an UPDATE that takes the row lock and returns it)."""
    locked = update(AuditHead).where(AuditHead.chain == key).values(
        last_seq=AuditHead.last_seq
    ).returning(AuditHead.last_seq, AuditHead.last_hash)
    row = session.execute(locked).first()
    if row is not None:
        return row.last_seq, row.last_hash
    dialect = session.get_bind().dialect.name
    upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(AuditHead)
    session.execute(upsert.values(chain=key, last_seq=0, last_hash=GENESIS).on_conflict_do_nothing())
    return session.execute(locked).one()


def rows_of(event: Event) -> tuple[list[int], list[dict]]:
    """The event's persons (every entry's subjects and its own) and its entries, as stored."""
    subjects = set(event.subject_ids)
    for entry in event.entries:
        subjects.update(entry.subject_ids)
    return sorted(subjects), [entry.as_row() for entry in event.entries]


def append(session: Session, events: list[Event]) -> None:
    """Append events in the session's transaction, each to its family's chain, in one insert;
    the caller commits. Views of one request in one family become one event listing every
    record shown."""
    if not events:
        return
    now = utcnow()
    rows = []
    by_chain: dict[int, list[Event]] = {}
    for event in _merge_views(events):
        by_chain.setdefault(_chain_key(event.family_id), []).append(event)
    for key in sorted(by_chain):  # always in the same order: two requests never deadlock
        last_seq, last_hash = _lock_head(session, key)
        for event in by_chain[key]:
            last_seq += 1
            subject_ids, items = rows_of(event)
            row = {
                "seq": last_seq,
                "at": now,
                "actor_user_id": event.actor_user_id,
                "actor_participant_id": event.actor_participant_id,
                "family_id": event.family_id,
                "action": event.action,
                "subject_ids": subject_ids,
                "items": items,
                "params": dict(event.params),
                "hidden_from_family": event.hidden_from_family,
                "target_kind": event.target_kind,
                "target_id": event.target_id,
                "prev_hash": last_hash,
            }
            row["hash"] = last_hash = _digest(row["prev_hash"], row)
            rows.append(row)
        session.execute(
            update(AuditHead).where(AuditHead.chain == key)
            .values(last_seq=last_seq, last_hash=last_hash)
        )
    session.execute(insert(AuditEvent), rows)


def _merge_views(events: list[Event]) -> list[Event]:
    """One view event per family and actor for everything one request showed (DESIGN.md §3:
    "one request appends at most one view event"), in the place of the first."""
    merged: list[Event] = []
    views: dict[tuple, int] = {}
    for event in events:
        if event.action != "view":
            merged.append(event)
            continue
        key = (event.family_id, event.actor_user_id, event.actor_participant_id)
        if key not in views:
            views[key] = len(merged)
            merged.append(event)
            continue
        first = merged[views[key]]
        seen = {e.record_id for e in first.entries}
        extra = tuple(e for e in event.entries if e.record_id not in seen)
        merged[views[key]] = replace(first, entries=first.entries + extra)
    return merged


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(session: Session, family_id: int | None = None, batch: int = 5000) -> VerifyResult:
    """Walk every chain (or one family's) from genesis; report the first event that does not
    fit: changed, missing, inserted, or removed from the end."""
    heads = session.execute(select(AuditHead.chain, AuditHead.last_seq, AuditHead.last_hash)
                            .order_by(AuditHead.chain)).all()
    if family_id is not None:
        heads = [h for h in heads if h.chain == _chain_key(family_id)]
    checked = 0
    for head in heads:
        result = _verify_chain(session, head, batch)
        checked += result.checked
        if not result.ok:
            return VerifyResult(False, checked, result.broken_id, result.reason)
    known = {h.chain for h in heads}
    if family_id is None:  # events of a chain without a head were slipped in
        orphan = session.scalar(select(AuditEvent.id).where(
            func.coalesce(AuditEvent.family_id, 0).not_in(known)).limit(1)) if known else \
            session.scalar(select(AuditEvent.id).limit(1))
        if orphan is not None:
            return VerifyResult(False, checked, orphan, "event outside every chain")
    return VerifyResult(True, checked)


def _verify_chain(session: Session, head, batch: int) -> VerifyResult:
    columns = [getattr(AuditEvent, name) for name in HASHED_FIELDS] + [
        AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash,
    ]
    in_chain = (AuditEvent.family_id.is_(None) if head.chain == 0
                else AuditEvent.family_id == head.chain)
    prev_hash, expected, checked, last_seen = GENESIS, 1, 0, 0
    while True:
        rows = session.execute(
            select(*columns).where(in_chain, AuditEvent.seq > last_seen)
            .order_by(AuditEvent.seq).limit(batch)
        ).mappings().all()
        if not rows:
            break
        for row in rows:
            if row["seq"] != expected:
                return VerifyResult(False, checked, row["id"], "an event before this one is missing")
            if row["prev_hash"] != prev_hash:
                return VerifyResult(False, checked, row["id"], "link to previous event broken")
            if _digest(prev_hash, dict(row)) != row["hash"]:
                return VerifyResult(False, checked, row["id"], "event was changed")
            prev_hash, expected, checked = row["hash"], expected + 1, checked + 1
            last_seen = row["seq"]
    if head.last_seq != checked or head.last_hash != prev_hash:
        return VerifyResult(False, checked, None, f"events at the end of chain {head.chain} were removed")
    return VerifyResult(True, checked)
