"""the team, the contact card and the plan agreed

Each professional's line in the team is kept on their involvement (the record of their taking
part): phone (copied from the participant where known), funding stream, from and to. The
plan's contact card (emergency number, buddy) and each participant's akkoord with the plan as a
whole are rows only ever added, numbered per plan (per participant).

Revision ID: 0024
Revises: 0025
Create Date: 2026-12-01 16:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0025'
branch_labels = None
depends_on = None

FUNDING = "funding IS NULL OR funding IN ('jeugdwet', 'wmo', 'zvw', 'wlz', 'participatiewet', 'anders')"


def upgrade() -> None:
    with op.batch_alter_table('involvement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('funding', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_date', sa.Date(), nullable=True))
        batch_op.create_check_constraint('funding', FUNDING)
        batch_op.create_check_constraint(
            'dates', 'start_date IS NULL OR end_date IS NULL OR end_date >= start_date')
    op.execute(
        "UPDATE involvement SET "
        "phone = COALESCE((SELECT p.phone FROM participant p WHERE p.id = involvement.participant_id), '')"
    )

    op.create_table('plan_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('emergency_name', sa.String(length=200), nullable=False),
    sa.Column('emergency_phone', sa.String(length=40), nullable=False),
    sa.Column('buddy_participant_id', sa.Integer(), nullable=True),
    sa.Column('buddy_name', sa.String(length=200), nullable=False),
    sa.Column('buddy_phone', sa.String(length=40), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['buddy_participant_id'], ['participant.id'], name=op.f('fk_plan_contact_buddy_participant_id_participant')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_contact_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'], name=op.f('fk_plan_contact_set_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_contact')),
    sa.UniqueConstraint('plan_id', 'version', name=op.f('uq_plan_contact_plan_id'))
    )
    with op.batch_alter_table('plan_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_contact_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('plan_revision', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_plan_agreement_by_id_user_account')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_plan_agreement_participant_id_participant')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_agreement_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_agreement')),
    sa.UniqueConstraint('plan_id', 'participant_id', 'version', name=op.f('uq_plan_agreement_plan_id'))
    )
    with op.batch_alter_table('plan_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_agreement_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_agreement_participant_id'), ['participant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_agreement_participant_id'))
        batch_op.drop_index(batch_op.f('ix_plan_agreement_plan_id'))
    op.drop_table('plan_agreement')
    with op.batch_alter_table('plan_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_contact_plan_id'))
    op.drop_table('plan_contact')
    with op.batch_alter_table('involvement', schema=None) as batch_op:
        batch_op.drop_constraint('dates', type_='check')
        batch_op.drop_constraint('funding', type_='check')
        batch_op.drop_column('end_date')
        batch_op.drop_column('start_date')
        batch_op.drop_column('funding')
        batch_op.drop_column('phone')
