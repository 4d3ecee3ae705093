"""account security: when a login last proved who the user is; e-mail change links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # sessions from before this migration have no time: they count as not recent
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authenticated_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('login_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_email', sa.String(length=320), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM login_token WHERE purpose = 'email'")  # useless without their address
    with op.batch_alter_table('login_token', schema=None) as batch_op:
        batch_op.drop_column('new_email')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('authenticated_at')
