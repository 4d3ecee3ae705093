"""escalations (opschalen) of undone actions, with their outcome (issue 12 item 7)

Revision ID: 0032
Revises: 0028
Create Date: 2026-12-01 19:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0032'
down_revision = '0028'
branch_labels = None
depends_on = None

# the codes at this revision
STATUSES = ("open", "afgerond")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    op.create_table('escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('contact_user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_in("status", STATUSES), name=op.f('ck_escalation_status')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_escalation_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_escalation_action_id_action')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_escalation_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['contact_user_id'], ['user_account.id'], name=op.f('fk_escalation_contact_user_id_user_account')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_escalation_closed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation')),
    )
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_action_id'), ['action_id'], unique=False)


def downgrade() -> None:
    op.drop_table('escalation')
