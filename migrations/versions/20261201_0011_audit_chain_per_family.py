"""audit: one hash chain per family, so families never wait on each other

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:30:00

Every event gets its place in its family's chain (`seq`); ids come from a sequence instead of
the one head row; `audit_head` holds one row per chain (the family's id, 0 for events of no
family). The existing events are chained anew per family, in the order they were written.
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
# the fields hashed by samenplan/privacy/audit.py at this revision (copied: a migration must
# not change when the application does)
HASHED = ("seq", "at", "actor_user_id", "actor_participant_id", "family_id", "action",
          "record_id", "subject_ids", "category", "ground", "detail", "hidden_from_family")
OPTIONAL = ("target_kind", "target_id")


def _digest(prev_hash: str, row: dict, fields=HASHED) -> str:
    payload = {name: row[name] for name in fields}
    payload.update({name: row[name] for name in OPTIONAL if row.get(name) is not None})
    at = payload["at"]
    if hasattr(at, "isoformat"):
        payload["at"] = at.isoformat(timespec="microseconds")
    blob = prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    if conn.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE audit_event_id_seq OWNED BY audit_event.id")
        op.execute("SELECT setval('audit_event_id_seq', COALESCE((SELECT MAX(id) FROM audit_event), 0) + 1, false)")
        op.execute("ALTER TABLE audit_event ALTER COLUMN id SET DEFAULT nextval('audit_event_id_seq')")

    op.drop_table('audit_head')
    head = op.create_table('audit_head',
        sa.Column('chain', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_head')),
    )
    events = _events_table()
    rows = conn.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    chains: dict[int, tuple[int, str]] = {}
    for row in rows:
        key = row["family_id"] or 0
        seq, prev = chains.get(key, (0, GENESIS))
        values = dict(row, seq=seq + 1)
        digest = _digest(prev, values)
        conn.execute(events.update().where(events.c.id == row["id"])
                     .values(seq=seq + 1, prev_hash=prev, hash=digest))
        chains[key] = (seq + 1, digest)
    if chains:
        op.bulk_insert(head, [{"chain": k, "last_seq": s, "last_hash": h} for k, (s, h) in chains.items()])

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_family_id'), ['family_id', 'seq'])
        batch_op.create_index('ix_audit_event_family_at', ['family_id', 'at'], unique=False)


def _events_table():
    types = {"at": sa.DateTime(), "hidden_from_family": sa.Boolean(), "seq": sa.Integer(),
             "id": sa.Integer(), "family_id": sa.Integer(), "record_id": sa.Integer(),
             "actor_user_id": sa.Integer(), "actor_participant_id": sa.Integer(),
             "target_id": sa.Integer()}
    return sa.table('audit_event', *(sa.column(n, types.get(n, sa.String()))
                                     for n in ("id", "prev_hash", "hash", *HASHED, *OPTIONAL)))


def downgrade() -> None:
    """Back to one chain over every event, in id order, as revision 0010 had it."""
    conn = op.get_bind()
    events = _events_table()
    old_fields = ("id",) + HASHED[1:]
    prev, last_id = GENESIS, 0
    for row in conn.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        digest = _digest(prev, dict(row), old_fields)
        conn.execute(events.update().where(events.c.id == row["id"]).values(prev_hash=prev, hash=digest))
        prev, last_id = digest, row["id"]
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_family_at')
        batch_op.drop_constraint(batch_op.f('uq_audit_event_family_id'), type_='unique')
        batch_op.drop_column('seq')
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event ALTER COLUMN id DROP DEFAULT")
        op.execute("DROP SEQUENCE audit_event_id_seq")
    op.drop_table('audit_head')
    head = op.create_table('audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_id', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head')),
    )
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": prev}])
