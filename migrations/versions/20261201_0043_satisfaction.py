"""satisfaction at closure (issue 13 item 7): a grade and three plain answers per person per
closure, read only by the person and as totals over 5+ families

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-01 23:56:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('satisfaction_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('closure_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('replies', sa.JSON(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('grade BETWEEN 1 AND 10', name=op.f('ck_satisfaction_answer_grade')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_satisfaction_answer_family_id_family'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_satisfaction_answer_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closure_id'], ['plan_phase_change.id'], name=op.f('fk_satisfaction_answer_closure_id_plan_phase_change'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_answer')),
    sa.UniqueConstraint('participant_id', 'closure_id', name='uq_satisfaction_once'),
    )
    op.create_index(op.f('ix_satisfaction_answer_family_id'), 'satisfaction_answer', ['family_id'])
    op.create_index(op.f('ix_satisfaction_answer_participant_id'), 'satisfaction_answer', ['participant_id'])


def downgrade() -> None:
    op.drop_table('satisfaction_answer')
