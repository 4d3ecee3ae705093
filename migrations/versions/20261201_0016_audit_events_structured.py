"""audit: structured events (records listed with their grounds as ids, subjects as an array)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 12:30:00

An event no longer carries one record, a category, a ground and a line of prose (`detail`):
`items` lists the records it is about (every record a page showed, for a view), each with its
category, subjects, ground and the ids that ground rests on (grants, emergency accesses,
persons, a shield); `params` holds codes and ids; `subject_ids` is an integer array (indexed
with GIN on PostgreSQL) instead of "1,3".

The hashes cover the new fields, so every chain is written anew. Before that each chain is
verified in the old format: a migration never launders a chain that was tampered with.
"""
import hashlib
import json
import re

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
# the hashed fields of samenplan/privacy/audit.py before and after (copied: a migration must not
# change when the application does)
OLD_HASHED = ("seq", "at", "actor_user_id", "actor_participant_id", "family_id", "action",
              "record_id", "subject_ids", "category", "ground", "detail", "hidden_from_family")
OLD_OPTIONAL = ("target_kind", "target_id")
NEW_HASHED = ("seq", "at", "actor_user_id", "actor_participant_id", "family_id", "action",
              "subject_ids", "items", "params", "target_kind", "target_id", "hidden_from_family")


def _at(value):
    return value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value


def _old_digest(prev_hash: str, row: dict) -> str:
    payload = {name: row[name] for name in OLD_HASHED}
    payload.update({name: row[name] for name in OLD_OPTIONAL if row.get(name) is not None})
    payload["at"] = _at(payload["at"])
    blob = prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _new_digest(prev_hash: str, row: dict) -> str:
    payload = {name: row[name] for name in NEW_HASHED}
    payload["at"] = _at(payload["at"])
    payload["subject_ids"] = sorted(payload["subject_ids"] or [])
    blob = prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _ids(text: str, label: str) -> list[int]:
    found = re.search(label + r" ((?:#\d+,?)+)", text or "")
    return [int(n) for n in re.findall(r"\d+", found.group(1))] if found else []


def _basis(detail: str) -> dict:
    basis = {
        "grants": _ids(detail, "grant"), "emergencies": _ids(detail, "emergency"),
        "persons": _ids(detail, "gezag over") + _ids(detail, "persoon"),
        "shield": _ids(detail, "afscherming"),
    }
    return {key: ids for key, ids in basis.items() if ids}


def _params(row: dict) -> dict:
    detail, action = row["detail"] or "", row["action"]
    params: dict = {}
    if row["target_kind"] is not None and row["record_id"] is not None:
        params["record"] = row["record_id"]
    if row["target_kind"] == "consent" and row["ground"]:
        params["how"] = row["ground"]
    if row["target_kind"] is not None and row["category"]:
        params["category"] = row["category"]
    if action == "agree":
        params["agrees"] = detail == "akkoord"
    elif detail.startswith("status "):
        params["status"] = detail.split(" ", 1)[1]
    elif detail in ("klaar", "niet klaar"):
        params["done"] = detail == "klaar"
    elif detail and row["record_id"] is None or row["target_kind"] is not None and detail:
        params["was"] = detail  # words of an event written before events were structured
    return params


def _convert(row: dict) -> dict:
    subjects = [int(i) for i in (row["subject_ids"] or "").split(",") if i]
    items = []
    if row["record_id"] is not None and row["target_kind"] is None:
        item = {"record": row["record_id"], "category": row["category"], "subjects": subjects,
                "ground": row["ground"] or ""}
        item.update(_basis(row["detail"]) if row["action"] in ("view", "denied", "update") else {})
        items.append(item)
    return {"subject_list": subjects, "items": items, "params": _params(row)}


def _old_table():
    return sa.table(
        'audit_event',
        sa.column('id', sa.Integer()), sa.column('seq', sa.Integer()), sa.column('at', sa.DateTime()),
        sa.column('actor_user_id', sa.Integer()), sa.column('actor_participant_id', sa.Integer()),
        sa.column('family_id', sa.Integer()), sa.column('action', sa.String()),
        sa.column('record_id', sa.Integer()), sa.column('subject_ids', sa.String()),
        sa.column('category', sa.String()), sa.column('ground', sa.String()),
        sa.column('detail', sa.Text()), sa.column('hidden_from_family', sa.Boolean()),
        sa.column('target_kind', sa.String()), sa.column('target_id', sa.Integer()),
        sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
        sa.column('items', sa.JSON()), sa.column('params', sa.JSON()),
        sa.column('subject_list', sa.JSON()),
    )


def _rechain(conn, events, digest, values_of) -> None:
    """Walk every chain in order; write each event's new values and hashes, and the heads."""
    heads = sa.table('audit_head', sa.column('chain', sa.Integer()), sa.column('last_seq', sa.Integer()),
                     sa.column('last_hash', sa.String()))
    rows = conn.execute(sa.select(events).order_by(events.c.family_id, events.c.seq)).mappings().all()
    chains: dict[int, str] = {}
    for row in rows:
        key = row["family_id"] or 0
        prev = chains.get(key, GENESIS)
        values = values_of(dict(row))
        new_hash = digest(prev, {**dict(row), **values})
        conn.execute(events.update().where(events.c.id == row["id"])
                     .values(prev_hash=prev, hash=new_hash, **values))
        chains[key] = new_hash
    for key, last_hash in chains.items():
        conn.execute(heads.update().where(heads.c.chain == key).values(last_hash=last_hash))


def _verify_old(conn, events) -> None:
    rows = conn.execute(sa.select(events).order_by(events.c.family_id, events.c.seq)).mappings().all()
    chains: dict[int, str] = {}
    for row in rows:
        key = row["family_id"] or 0
        prev = chains.get(key, GENESIS)
        if row["prev_hash"] != prev or _old_digest(prev, dict(row)) != row["hash"]:
            raise RuntimeError(
                f"audit event {row['id']} does not fit its chain: run `flask audit verify` and "
                "investigate before migrating (this migration writes the chains anew)"
            )
        chains[key] = row["hash"]


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('items', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('subject_list', sa.JSON(), nullable=True))
    events = _old_table()
    _verify_old(conn, events)
    _rechain(conn, events,
             lambda prev, row: _new_digest(prev, {**row, "subject_ids": row["subject_list"]}),
             _convert)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_record_id')
        for name in ('record_id', 'category', 'ground', 'detail', 'subject_ids'):
            batch_op.drop_column(name)
    id_list = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event ADD COLUMN subject_ids integer[]")
        op.execute("UPDATE audit_event SET subject_ids = ARRAY(SELECT json_array_elements_text(subject_list)::int)")
    else:
        with op.batch_alter_table('audit_event', schema=None) as batch_op:
            batch_op.add_column(sa.Column('subject_ids', id_list, nullable=True))
        op.execute("UPDATE audit_event SET subject_ids = subject_list")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('subject_list')
        for name in ('subject_ids', 'items', 'params'):
            batch_op.alter_column(name, existing_type=id_list if name == 'subject_ids' else sa.JSON(),
                                  nullable=False)
    op.create_index('ix_audit_event_subject_ids', 'audit_event', ['subject_ids'], unique=False,
                    postgresql_using='gin')


def _back(row: dict) -> dict:
    """An event as revision 0013 had it: its first record, the rest of a view as further
    events is not possible in place, so a view keeps only its first record."""
    items = row["items"] or []
    first = items[0] if items else {}
    params = row["params"] or {}
    basis = "; ".join(
        f"{label} " + ",".join(f"#{i}" for i in first.get(key, []))
        for key, label in (("grants", "grant"), ("emergencies", "emergency"), ("persons", "persoon"),
                           ("shield", "afscherming")) if first.get(key)
    )
    detail = params.get("was") or basis
    if "status" in params:
        detail = f"status {params['status']}"
    elif "done" in params:
        detail = "klaar" if params["done"] else "niet klaar"
    elif "agrees" in params:
        detail = "akkoord" if params["agrees"] else "niet akkoord"
    return {
        "record_id": first.get("record", params.get("record")),
        "category": first.get("category", params.get("category")),
        "ground": first.get("ground") or params.get("how") or "",
        "detail": detail,
        "subject_text": ",".join(str(i) for i in sorted(row["subject_ids"] or [])),
    }


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index('ix_audit_event_subject_ids', table_name='audit_event')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('ground', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('subject_text', sa.String(length=200), nullable=True))
    id_list = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
    events = sa.table(
        'audit_event', *(sa.column(n, t) for n, t in (
            ('id', sa.Integer()), ('seq', sa.Integer()), ('at', sa.DateTime()),
            ('actor_user_id', sa.Integer()), ('actor_participant_id', sa.Integer()),
            ('family_id', sa.Integer()), ('action', sa.String()), ('record_id', sa.Integer()),
            ('subject_ids', id_list), ('subject_text', sa.String()), ('category', sa.String()),
            ('ground', sa.String()), ('detail', sa.Text()), ('hidden_from_family', sa.Boolean()),
            ('target_kind', sa.String()), ('target_id', sa.Integer()), ('items', sa.JSON()),
            ('params', sa.JSON()), ('prev_hash', sa.String()), ('hash', sa.String()),
        ))
    )
    _rechain(conn, events,
             lambda prev, row: _old_digest(prev, {**row, "subject_ids": row["subject_text"]}),
             _back)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        for name in ('items', 'params', 'subject_ids'):
            batch_op.drop_column(name)
        batch_op.alter_column('subject_text', new_column_name='subject_ids',
                              existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('ground', existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column('detail', existing_type=sa.Text(), nullable=False)
        batch_op.create_index('ix_audit_event_record_id', ['record_id'], unique=False)
