"""inherited privacy: privacy_from

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:45:11.892960
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_from_id', sa.Integer(), nullable=True))
        batch_op.alter_column('category',
               existing_type=sa.VARCHAR(length=20),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_record_privacy_from_id'), ['privacy_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_record_privacy_from_id_record'), 'record', ['privacy_from_id'], ['id'], ondelete='CASCADE')
    _inherit()


def _privacy(conn):
    rows = conn.execute(sa.text("SELECT id, parent_record_id, category FROM record")).all()
    subjects: dict[int, set[int]] = {}
    for record_id, person_id in conn.execute(sa.text("SELECT record_id, person_id FROM record_subject")):
        subjects.setdefault(record_id, set()).add(person_id)
    own = {i for (i,) in conn.execute(sa.text("SELECT id FROM action WHERE own_privacy"))}
    return rows, subjects, own


def _inherit() -> None:
    """What hangs under a record with the same subjects and category (copied there until now)
    takes them from the record that owns them, and its own copies go."""
    conn = op.get_bind()
    rows, subjects, own = _privacy(conn)
    by_id = {r[0]: r for r in rows}
    owner: dict[int, int] = {}
    for record_id, parent, category in sorted(rows):
        if parent is None or record_id in own or parent not in by_id:
            continue
        source = owner.get(parent, parent)
        if by_id[source][2] == category and subjects.get(source, set()) == subjects.get(record_id, set()):
            owner[record_id] = source
    for record_id, source in owner.items():
        conn.execute(sa.text("UPDATE record SET privacy_from_id = :s, category = NULL WHERE id = :i"),
                     {"s": source, "i": record_id})
        conn.execute(sa.text("DELETE FROM record_subject WHERE record_id = :i"), {"i": record_id})


def downgrade() -> None:
    conn = op.get_bind()
    # copy the subjects and category back into every record that takes them from another
    for record_id, source in conn.execute(sa.text(
            "SELECT id, privacy_from_id FROM record WHERE privacy_from_id IS NOT NULL")).all():
        conn.execute(sa.text("UPDATE record SET category = (SELECT category FROM record AS s WHERE s.id = :s) "
                             "WHERE id = :i"), {"s": source, "i": record_id})
        conn.execute(sa.text("INSERT INTO record_subject (record_id, person_id) "
                             "SELECT :i, person_id FROM record_subject WHERE record_id = :s"),
                     {"s": source, "i": record_id})
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_record_privacy_from_id_record'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_record_privacy_from_id'))
        batch_op.alter_column('category',
               existing_type=sa.VARCHAR(length=20),
               nullable=False)
        batch_op.drop_column('privacy_from_id')
