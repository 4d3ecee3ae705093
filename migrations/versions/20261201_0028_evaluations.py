"""evaluation moments of the plan (issue 12 item 2) and the invitees' answers

Revision ID: 0028
Revises: 0029
Create Date: 2026-12-01 17:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0029'
branch_labels = None
depends_on = None

# the codes at this revision
STATUSES = ("gepland", "gehouden", "afgezegd")
REPLIES = ("komt", "komt_niet", "weet_niet")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('invitee_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.CheckConstraint(_in("status", STATUSES), name=op.f('ck_evaluation_status')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_evaluation_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_starts_at'), ['starts_at'], unique=False)
    op.create_table('evaluation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('reply', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(_in("reply", REPLIES), name=op.f('ck_evaluation_answer_reply')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_evaluation_answer_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_evaluation_answer_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answer')),
    sa.UniqueConstraint('evaluation_id', 'participant_id', name=op.f('uq_evaluation_answer_evaluation_id')),
    )
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answer_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answer_participant_id'), ['participant_id'], unique=False)


def downgrade() -> None:
    op.drop_table('evaluation_answer')
    op.drop_table('evaluation')
