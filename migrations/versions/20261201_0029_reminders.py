"""Reminders (issue 12 item 6): what `send-reminders` sent, once per kind, record, user and day

Revision ID: 0029
Revises: 0026
Create Date: 2026-12-01 17:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0029'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('action_due', 'action_overdue', 'action_overdue_chair', "
                           "'evaluation_tomorrow')", name=op.f('ck_reminder_kind')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_reminder_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
        sa.UniqueConstraint('kind', 'record_id', 'user_id', 'day', name='uq_reminder_once'),
    )
    op.create_index(op.f('ix_reminder_user_id'), 'reminder', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_user_id'), table_name='reminder')
    op.drop_table('reminder')
