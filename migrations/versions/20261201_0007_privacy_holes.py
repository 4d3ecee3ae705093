"""privacy holes: record grants, consent requests, involvements, records under records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

record = sa.table(
    'record', sa.column('id', sa.Integer), sa.column('family_id', sa.Integer),
    sa.column('kind', sa.String), sa.column('category', sa.String),
    sa.column('parent_record_id', sa.Integer), sa.column('created_at', sa.DateTime),
    sa.column('updated_at', sa.DateTime),
)
record_ancestor = sa.table(
    'record_ancestor', sa.column('record_id', sa.Integer), sa.column('ancestor_id', sa.Integer),
)
record_subject = sa.table(
    'record_subject', sa.column('record_id', sa.Integer), sa.column('person_id', sa.Integer),
)
involvement = sa.table(
    'involvement', sa.column('id', sa.Integer), sa.column('participant_id', sa.Integer),
)


def upgrade() -> None:
    op.create_table('involvement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_involvement_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_involvement_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_involvement')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_involvement_participant_id'))
    )
    op.create_table('record_ancestor',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('ancestor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ancestor_id'], ['record.id'], name=op.f('fk_record_ancestor_ancestor_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_ancestor_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'ancestor_id', name=op.f('pk_record_ancestor'))
    )
    with op.batch_alter_table('record_ancestor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_ancestor_ancestor_id'), ['ancestor_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('target_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('requested_by_participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('declined_by_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_consent_record_id'), ['record_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consent_record_id_record'), 'record', ['record_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_consent_declined_by_person_id_person'), 'person', ['declined_by_person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_consent_requested_by_participant_id_participant'), 'participant', ['requested_by_participant_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_consent_how'), type_='check')
        batch_op.create_check_constraint(op.f('ck_consent_how'), "how IN ('app', 'tafel', 'papier', 'verzoek')")

    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_record_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_record_parent_record_id'), ['parent_record_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_record_parent_record_id_record'), 'record', ['parent_record_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=30), nullable=False, server_default='legacy'))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.drop_column('text')

    _backfill()


def _backfill() -> None:
    """What hangs under what (actions, scores and answers under their goal, sub-goals under
    theirs), its closure, and an involvement record for every professional taking part,
    about the whole family and `algemeen` (what everyone could see of them until now)."""
    conn = op.get_bind()
    for table, column in (('goal', 'parent_id'), ('action', 'goal_id'),
                          ('gas_score', 'goal_id'), ('scaling_answer', 'goal_id')):
        conn.execute(sa.text(
            f"UPDATE record SET parent_record_id = (SELECT {column} FROM {table} "
            f"WHERE {table}.id = record.id) WHERE id IN (SELECT id FROM {table})"
        ))
    parents = dict(conn.execute(sa.text(
        "SELECT id, parent_record_id FROM record WHERE parent_record_id IS NOT NULL"
    )).all())
    rows = []
    for record_id, parent in parents.items():
        while parent is not None:
            rows.append({'record_id': record_id, 'ancestor_id': parent})
            parent = parents.get(parent)
    if rows:
        conn.execute(record_ancestor.insert(), rows)
    professionals = conn.execute(sa.text(
        "SELECT id, family_id, created_at FROM participant "
        "WHERE role IN ('professional', 'casusregisseur')"
    )).all()
    for participant_id, family_id, created_at in professionals:
        record_id = conn.execute(record.insert().values(
            family_id=family_id, kind='involvement', category='algemeen',
            created_at=created_at, updated_at=created_at,
        ).returning(record.c.id)).scalar_one()
        conn.execute(involvement.insert().values(id=record_id, participant_id=participant_id))
        persons = conn.execute(sa.text(
            "SELECT id FROM person WHERE family_id = :f"), {'f': family_id}).scalars().all()
        if persons:
            conn.execute(record_subject.insert(),
                         [{'record_id': record_id, 'person_id': p} for p in persons])


def downgrade() -> None:
    op.execute("DELETE FROM notification")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=False, server_default=''))
        batch_op.drop_column('params')
        batch_op.drop_column('kind')
    op.execute("DELETE FROM record WHERE kind = 'involvement'")
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_record_parent_record_id_record'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_record_parent_record_id'))
        batch_op.drop_column('parent_record_id')

    op.execute("DELETE FROM consent WHERE how = 'verzoek'")
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_consent_how'), type_='check')
        batch_op.create_check_constraint(op.f('ck_consent_how'), "how IN ('app', 'tafel', 'papier')")
        batch_op.drop_constraint(batch_op.f('fk_consent_requested_by_participant_id_participant'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_consent_declined_by_person_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_consent_record_id_record'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consent_record_id'))
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('declined_by_person_id')
        batch_op.drop_column('declined_at')
        batch_op.drop_column('requested_by_participant_id')
        batch_op.drop_column('record_id')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('target_id')
        batch_op.drop_column('target_kind')

    with op.batch_alter_table('record_ancestor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_ancestor_ancestor_id'))

    op.drop_table('record_ancestor')
    op.drop_table('involvement')
