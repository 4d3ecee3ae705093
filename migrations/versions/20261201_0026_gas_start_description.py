"""GAS as the guideline has it (issue 12 item 1): the start situation gets a description of
its own (`goal.gas_start`); `gas_baseline` stays, now meaning the step the start is on
(normally −1: at the start the goal is not reached)

Revision ID: 0026
Revises: 0022
Create Date: 2026-12-01 17:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gas_start', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_column('gas_start')
