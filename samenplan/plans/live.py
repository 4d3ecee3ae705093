"""The live plan: an open plan page learns within 20 seconds that something it may show has
changed (htmx polls `GET /gezin/<id>/veranderd` with the browser's own ETag revalidation).

- The family's change stamp (records/changes.py) is raised by every change in the family. When
  it is the same as when the reader's last answer was made, nothing changed for anyone: the
  answer is 304 with no body, after one query on `plan_change` and none on records.
- When it moved, what the reader may see is summed up in one aggregate query through the SQL
  twin of the privacy policy (`Access.select_visible` on `Record`: a sum over the ids and
  versions of the visible records; no record is loaded, none of their contents read), the
  reader's *visible state*.
  Only a different visible state is "er is iets veranderd"; a change of a record the reader
  may not see (goal 3 for Daan) leaves theirs as it was.
- The stamp counts changes the reader may not see, so it never leaves the server as it is: the
  ETag and the page's starting point (`stand`) are sealed (AES-GCM, with a fresh nonce in
  every answer, so an ETag says nothing by changing either) and name the participant, so a
  token of one reader means nothing for another.
- Not noticed: what changes by the clock alone (a consent or an emergency access that runs
  out) until something else changes; the next page load shows it, as always.
"""
from __future__ import annotations

import base64
import hashlib
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import BigInteger, cast, func, select

from samenplan.privacy.access import Access
from samenplan.privacy.models import Record
from samenplan.records.changes import family_stamp
from samenplan.records.models import PlanChange
from samenplan.serving import etag_of

_PACK = struct.Struct(">QQ32s")  # participant id, family stamp, visible state


@dataclass(frozen=True)
class State:
    """What one reader's answer was made from: the family's stamp and their visible state."""

    participant_id: int
    stamp: int
    visible: bytes


@dataclass(frozen=True)
class Answer:
    not_modified: bool
    changed: bool  # the reader's visible state differs from the page's (`stand`)
    etag: str


def _cipher() -> AESGCM:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return AESGCM(hashlib.sha256(b"samenplan.live-plan\0" + secret).digest())


def seal(state: State) -> str:
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(
        nonce, _PACK.pack(state.participant_id, state.stamp, state.visible), b"live-plan"
    )
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(token: str | None, access: Access) -> State | None:
    """The state in a token this server sealed for this reader, or None (anything else)."""
    if not token or len(token) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        participant_id, stamp, visible = _PACK.unpack(
            _cipher().decrypt(raw[:12], raw[12:], b"live-plan")
        )
    except (ValueError, InvalidTag, struct.error):
        return None
    if participant_id != access.participant.id:
        return None
    return State(participant_id, stamp, visible)


def state_columns(access: Access) -> list:
    """Two columns for any SELECT (the plan page adds them to its first query, so the page's
    starting point costs no statement of its own): the family's stamp, and a sum over what
    the reader may see of the family's records now, through the SQL twin (no record loaded,
    no content read): every record at its version, `id * 1000003 + version`. A new, changed
    (its version goes up), deleted, newly shown or newly hidden record changes the sum."""
    visible = access.select_visible(Record).subquery()
    stamp = select(PlanChange.stamp).where(PlanChange.family_id == access.family_id)
    return [
        func.coalesce(stamp.scalar_subquery(), 0),
        select(func.coalesce(func.sum(
            cast(visible.c.id, BigInteger) * 1000003 + visible.c.version), 0)).scalar_subquery(),
    ]


def state_of(access: Access, stamp, visible) -> State:
    """The State of the values of `state_columns`."""
    return State(access.participant.id, int(stamp or 0), _digest(visible))


def _digest(visible) -> bytes:
    return hashlib.sha256(str(int(visible or 0)).encode()).digest()


def visible_state(access: Access) -> bytes:
    """What the reader may see now (`state_columns`), in one aggregate query."""
    return _digest(access.session.scalar(select(state_columns(access)[1])))


def answer(access: Access, stand: str | None, if_none_match: str | None) -> Answer:
    """The poll's answer: 304 when the reader's last answer (`if_none_match`) still holds, else
    whether their visible state differs from the page's starting point (`stand`). A starting
    point that is not ours (tampered, another reader's, an old key) offers the refresh."""
    stamp = family_stamp(access.session, access.family_id)
    base = unseal(stand, access)
    previous = unseal(_etag_value(if_none_match), access)
    visible = next((s.visible for s in (previous, base) if s is not None and s.stamp == stamp),
                   None)
    if visible is None:
        visible = visible_state(access)
    etag = seal(State(access.participant.id, stamp, visible))
    return Answer(not_modified=previous is not None and previous.visible == visible,
                  changed=base is None or base.visible != visible, etag=etag)


def _etag_value(header: str | None) -> str | None:
    """The first entity tag of an If-None-Match header as this poll made it: without quotes,
    W/, or the encoding compression appended (serving.etag_of)."""
    if not header:
        return None
    return etag_of(header.split(",")[0]) or None
