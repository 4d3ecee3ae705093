"""The append-only, hash-chained audit log.

Each event's hash covers its own fields and the hash of the event before it, so changing,
removing or inserting an event breaks the chain from there on; `verify` finds the first
broken link. The single `audit_head` row is locked while appending: the chain never forks.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from samenplan.db import utcnow
from samenplan.privacy.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id", "at", "actor_user_id", "actor_participant_id", "family_id", "action", "record_id",
    "subject_ids", "category", "ground", "detail", "hidden_from_family",
)
# hashed too, but only when set, so events written before these fields existed still verify
OPTIONAL_HASHED_FIELDS = ("target_kind", "target_id")


@dataclass(frozen=True)
class Event:
    action: str  # view, create, update, grant, approve, revoke, shield, lift, emergency, ...
    family_id: int | None = None
    actor_user_id: int | None = None
    actor_participant_id: int | None = None
    record_id: int | None = None
    subject_ids: tuple[int, ...] = ()
    category: str | None = None
    ground: str = ""
    detail: str = ""
    hidden_from_family: bool = False
    target_kind: str | None = None  # the consent, shield or emergency access it is about
    target_id: int | None = None


def _digest(prev_hash: str, row: dict) -> str:
    payload = {name: row[name] for name in HASHED_FIELDS}
    payload.update({name: row[name] for name in OPTIONAL_HASHED_FIELDS if row.get(name) is not None})
    if isinstance(payload["at"], datetime):
        payload["at"] = payload["at"].isoformat(timespec="microseconds")
    blob = prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def append(session: Session, events: list[Event]) -> None:
    """Append events in the session's transaction; the caller commits."""
    if not events:
        return
    # a write first: takes the lock on SQLite (whole db) and PostgreSQL (the row) alike
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=AuditHead.last_id))
    head = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one()
    last_id, last_hash = head
    now = utcnow()
    rows = []
    for event in events:
        last_id += 1
        row = {
            "id": last_id,
            "at": now,
            "actor_user_id": event.actor_user_id,
            "actor_participant_id": event.actor_participant_id,
            "family_id": event.family_id,
            "action": event.action,
            "record_id": event.record_id,
            "subject_ids": ",".join(str(i) for i in sorted(event.subject_ids)),
            "category": event.category,
            "ground": event.ground,
            "detail": event.detail,
            "hidden_from_family": event.hidden_from_family,
            "target_kind": event.target_kind,
            "target_id": event.target_id,
            "prev_hash": last_hash,
        }
        row["hash"] = last_hash = _digest(row["prev_hash"], row)
        rows.append(row)
    session.execute(insert(AuditEvent), rows)
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_id=last_id, last_hash=last_hash)
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain from genesis; report the first event that does not fit."""
    prev_hash, expected_id, checked = GENESIS, 1, 0
    columns = [getattr(AuditEvent, name) for name in HASHED_FIELDS + OPTIONAL_HASHED_FIELDS] + [
        AuditEvent.prev_hash, AuditEvent.hash,
    ]
    last_seen = 0
    while True:
        rows = session.execute(
            select(*columns).where(AuditEvent.id > last_seen).order_by(AuditEvent.id).limit(batch)
        ).mappings().all()
        if not rows:
            break
        for row in rows:
            if row["id"] != expected_id:
                return VerifyResult(False, checked, expected_id, "event missing")
            if row["prev_hash"] != prev_hash:
                return VerifyResult(False, checked, row["id"], "link to previous event broken")
            if _digest(prev_hash, dict(row)) != row["hash"]:
                return VerifyResult(False, checked, row["id"], "event was changed")
            prev_hash, expected_id, checked = row["hash"], expected_id + 1, checked + 1
            last_seen = row["id"]
    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash)).one()
    if head.last_id != checked or head.last_hash != prev_hash:
        return VerifyResult(False, checked, checked + 1, "events at the end were removed")
    return VerifyResult(True, checked)
