"""network map and timeline

The people around the family (network_member: relation, what they give or could give, whether
the contact helps or harms, a link to the participant they became) and the tijdlijn
(timeline_event: earlier help and life events). Both are records (subjects and a category).
An invitation sent from the network map remembers the entry, so accepting it links the two.

Revision ID: 0023
Revises: 0024
Create Date: 2026-12-01 17:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('network_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.String(length=100), nullable=False),
    sa.Column('gives_now', sa.JSON(), nullable=False),
    sa.Column('could_give', sa.JSON(), nullable=False),
    sa.Column('effect', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("effect IN ('helpt', 'neutraal', 'schaadt')", name=op.f('ck_network_member_effect')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_network_member_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_network_member_participant_id_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_member'))
    )
    with op.batch_alter_table('network_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_member_participant_id'), ['participant_id'], unique=False)

    op.create_table('timeline_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('helper', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('worked', sa.Text(), nullable=False),
    sa.Column('not_worked', sa.Text(), nullable=False),
    sa.CheckConstraint("event_kind IN ('eerdere_hulp', 'gebeurtenis')", name=op.f('ck_timeline_event_event_kind')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_timeline_event_dates')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_timeline_event_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_event'))
    )

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invitation_network_member_id_network_member'),
                                    'network_member', ['network_member_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitation_network_member_id_network_member'),
                                 type_='foreignkey')
        batch_op.drop_column('network_member_id')
    op.drop_table('timeline_event')
    with op.batch_alter_table('network_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_member_participant_id'))
    op.drop_table('network_member')
