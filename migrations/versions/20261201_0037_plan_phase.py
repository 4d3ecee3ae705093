"""the plan's phase (running, paused, closed) with its history, and why a professional's
part ended (issue 13, the base of items 1-4)

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-01 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

# the codes at this revision
PHASES = ("lopend", "gepauzeerd", "afgerond")
END_REASONS = ("doel_bereikt", "doorverwezen", "gezin_gestopt", "anders")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('phase', sa.String(length=20), nullable=False,
                                   server_default='lopend'))
        batch.create_check_constraint(op.f('ck_plan_phase'), _in('phase', PHASES))
    op.create_table('plan_phase_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('old_phase', sa.String(length=20), nullable=True),
    sa.Column('new_phase', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('look_again_on', sa.Date(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("old_phase IS NULL OR " + _in("old_phase", PHASES), name=op.f('ck_plan_phase_change_old_phase')),
    sa.CheckConstraint(_in("new_phase", PHASES), name=op.f('ck_plan_phase_change_new_phase')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_phase_change_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_plan_phase_change_changed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_phase_change')),
    )
    op.create_index(op.f('ix_plan_phase_change_plan_id'), 'plan_phase_change', ['plan_id'], unique=False)
    with op.batch_alter_table('involvement') as batch:
        batch.add_column(sa.Column('end_reason', sa.String(length=20), nullable=True))
        batch.create_check_constraint(op.f('ck_involvement_end_reason'), "end_reason IS NULL OR " + _in('end_reason', END_REASONS))


def downgrade() -> None:
    with op.batch_alter_table('involvement') as batch:
        batch.drop_constraint(op.f('ck_involvement_end_reason'), type_='check')
        batch.drop_column('end_reason')
    op.drop_index(op.f('ix_plan_phase_change_plan_id'), table_name='plan_phase_change')
    op.drop_table('plan_phase_change')
    with op.batch_alter_table('plan') as batch:
        batch.drop_constraint(op.f('ck_plan_phase'), type_='check')
        batch.drop_column('phase')
