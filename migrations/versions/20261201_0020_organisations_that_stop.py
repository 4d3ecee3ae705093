"""organisations that stop

An organisation the administrator deactivates (it stops working with samenplan): when, and by
whom. Its members are let go as leavers; it can no longer be chosen, invited or logged in
through. Every organisation there is today is active.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01 16:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deactivated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organisation_deactivated_by_id_user_account'),
                                    'user_account', ['deactivated_by_id'], ['id'])
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.alter_column('active', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisation_deactivated_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('deactivated_by_id')
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('active')
