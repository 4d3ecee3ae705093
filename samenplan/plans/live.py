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
import hmac
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import BigInteger, String, and_, case, cast, func, literal_column, or_, select

from samenplan.domain.vocabulary import SectionKind
from samenplan.evaluations.models import Evaluation
from samenplan.goals.models import Goal
from samenplan.plans.models import PlanSection
from samenplan.privacy.access import Access
from samenplan.privacy.models import Record, record_ancestor
from samenplan.safety.models import SafetyPlan
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
    # when changed: each part's state now (`part_states`), for the page to see which changed
    parts: dict[str, str]


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


#: the parts of the plan page a reader's visible state is told per (`part_states`): a goal with
#: everything under it, a section (the safety plan with its items, explanations and answers is
#: the veiligheidsplan section), the next evaluation. Records of other kinds (a network entry, a
#: timeline event) are not on the plan page: they change no part.
GOAL_PART = "doel-"
SECTION_PART = "sectie-"
EVALUATION_PART = "evaluatie"


def goal_part(goal_id: int) -> str:
    return f"{GOAL_PART}{goal_id}"


def section_part(kind) -> str:
    return f"{SECTION_PART}{kind}"


def _visible_parts_query(access: Access):
    """Per part of the plan page, a sum over the records in it the reader may see, through the
    SQL twin (`Access.select_visible`: its filter stands in this statement's own WHERE, so the
    statement is as shallow as a count); only ids and versions, no content. A record's part is
    the record it hangs under at the top (itself when it hangs under none): a goal with all
    under it, a section (the safety plan with all under it is the veiligheidsplan section), the
    evaluations. A goal's part counts only when the reader sees the goal itself, so no part
    names a goal the reader may not see. Records of other kinds (a network entry, a timeline
    event) are not on the plan page: they are in no part. Runs with the reader's moment
    given (`Access.moment`)."""
    record = Record.__table__
    above = record_ancestor.alias("above")
    top = record.alias("top")
    root = record.alias("root")
    section = PlanSection.__table__.alias("root_section")
    is_goal = root.c.kind == literal_column(f"'{Goal.__mapper__.polymorphic_identity}'")
    part = case(
        (is_goal, literal_column(f"'{GOAL_PART}'") + cast(root.c.id, String)),
        (root.c.kind == literal_column(f"'{SafetyPlan.__mapper__.polymorphic_identity}'"),
         literal_column(f"'{section_part(SectionKind.SAFETY_PLAN)}'")),
        (section.c.section.is_not(None),
         literal_column(f"'{SECTION_PART}'") + cast(section.c.section, String)),
        (root.c.kind == literal_column(f"'{Evaluation.__mapper__.polymorphic_identity}'"),
         literal_column(f"'{EVALUATION_PART}'")),
        else_=None,
    ).label("part")
    total = func.sum(cast(record.c.id, BigInteger) * 1000003 + record.c.version).label("total")
    shown = func.max(case((or_(root.c.id == record.c.id, ~is_goal), 1), else_=0))
    return (
        access.select_visible(Record, bound=False).with_only_columns(part, total)
        .select_from(
            record
            .outerjoin(above.join(top, and_(top.c.id == above.c.ancestor_id,
                                            top.c.parent_record_id.is_(None))),
                       above.c.record_id == record.c.id)
            .join(root, root.c.id == func.coalesce(top.c.id, record.c.id))
            .outerjoin(section, section.c.id == root.c.id))
        .group_by(literal_column("part")).having(shown == 1)
    ).subquery("visible_part")


def state_columns(access: Access) -> list:
    """Two columns for any SELECT (the plan page adds them to its first query, so the page's
    starting point costs no statement of its own): the family's stamp, and what the reader may
    see now per part of the plan page (`_visible_parts_query`), as one string
    "part:sum,part:sum": every record at its version, `id * 1000003 + version`. A new, changed
    (its version goes up), deleted, newly shown or newly hidden record changes its part's sum.
    Made once per reader and family (`Access.kept`): the statement they are in runs with the
    reader's moment given (`Access.moment`)."""
    return access.kept("live plan state", _state_columns)


def _state_columns(access: Access) -> list:
    parts = _visible_parts_query(access)
    stamp = select(PlanChange.stamp).where(PlanChange.family_id == access.family_id)
    return [
        func.coalesce(stamp.scalar_subquery(), 0),
        select(func.aggregate_strings(
            parts.c.part + literal_column("':'") + cast(parts.c.total, String), ",")
        ).where(parts.c.part.is_not(None)).scalar_subquery(),
    ]


def _parts(value: str | None) -> dict[str, int]:
    """The parts' sums of the second of `state_columns`."""
    parts = {}
    for item in (value or "").split(","):
        if item:
            part, _sep, total = item.rpartition(":")
            parts[part] = int(total)
    return parts


def state_of(access: Access, stamp, parts) -> State:
    """The State of the values of `state_columns`."""
    return State(access.participant.id, int(stamp or 0), _digest(_parts(parts)))


def _digest(parts: dict[str, int]) -> bytes:
    return hashlib.sha256(
        "\n".join(f"{part}:{total}" for part, total in sorted(parts.items())).encode()).digest()


def part_states(access: Access, parts) -> dict[str, str]:
    """Per part the reader may see (of the second value of `state_columns`), its state as the
    page shows it: sealed for this reader (an HMAC under the server's secret and their
    participant id), so it says nothing but "the same as before" or not, and nothing to anyone
    else."""
    key = hashlib.sha256(b"samenplan.live-part\0" + str(current_app.config["SECRET_KEY"])
                         .encode()).digest()
    return {
        part: base64.urlsafe_b64encode(hmac.new(
            key, f"{access.participant.id}\0{part}\0{total}".encode(), hashlib.sha256
        ).digest()[:12]).decode()
        for part, total in _parts(parts).items()
    }


def visible_parts(access: Access) -> str:
    """What the reader may see now per part (`state_columns`), in one aggregate query."""
    return access.session.scalar(select(state_columns(access)[1]), access.moment) or ""


def answer(access: Access, stand: str | None, if_none_match: str | None) -> Answer:
    """The poll's answer: 304 when the reader's last answer (`if_none_match`) still holds, else
    whether their visible state differs from the page's starting point (`stand`). A starting
    point that is not ours (tampered, another reader's, an old key) offers the refresh."""
    stamp = family_stamp(access.session, access.family_id)
    base = unseal(stand, access)
    previous = unseal(_etag_value(if_none_match), access)
    visible = next((s.visible for s in (previous, base) if s is not None and s.stamp == stamp),
                   None)
    parts = None
    if visible is None:
        parts = visible_parts(access)
        visible = _digest(_parts(parts))
    etag = seal(State(access.participant.id, stamp, visible))
    not_modified = previous is not None and previous.visible == visible
    changed = base is None or base.visible != visible
    if changed and not not_modified and parts is None:
        parts = visible_parts(access)  # the notice names each part's state now
    return Answer(not_modified=not_modified, changed=changed, etag=etag,
                  parts=part_states(access, parts) if changed and not not_modified else {})


def _etag_value(header: str | None) -> str | None:
    """The first entity tag of an If-None-Match header as this poll made it: without quotes,
    W/, or the encoding compression appended (serving.etag_of)."""
    if not header:
        return None
    return etag_of(header.split(",")[0]) or None
