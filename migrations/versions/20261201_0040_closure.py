"""closing the plan (issue 13 items 2 and 4): each family member's akkoord to close, the
family having gone through the relapse plan, and how an open action ended (cancelled or
handed over) — pausing and reopening use the plan's phase of 0037

Revision ID: 0040
Revises: 0037
Create Date: 2026-12-02 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0040'
down_revision = '0043'
branch_labels = None
depends_on = None

# the codes at this revision
ENDINGS = ("geannuleerd", "overgedragen")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    op.create_table('closure_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at_table', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_closure_agreement_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_closure_agreement_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_closure_agreement_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_agreement')),
    )
    op.create_index(op.f('ix_closure_agreement_plan_id'), 'closure_agreement', ['plan_id'], unique=False)
    op.create_table('relapse_plan_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_relapse_plan_review_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_relapse_plan_review_reviewed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relapse_plan_review')),
    )
    op.create_index(op.f('ix_relapse_plan_review_plan_id'), 'relapse_plan_review', ['plan_id'], unique=False)
    with op.batch_alter_table('action') as batch:
        batch.add_column(sa.Column('ended_how', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('ended_note', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch.create_check_constraint(op.f('ck_action_ended_how'), "ended_how IS NULL OR " + _in('ended_how', ENDINGS))


def downgrade() -> None:
    with op.batch_alter_table('action') as batch:
        batch.drop_constraint(op.f('ck_action_ended_how'), type_='check')
        batch.drop_column('ended_at')
        batch.drop_column('ended_note')
        batch.drop_column('ended_how')
    op.drop_index(op.f('ix_relapse_plan_review_plan_id'), table_name='relapse_plan_review')
    op.drop_table('relapse_plan_review')
    op.drop_index(op.f('ix_closure_agreement_plan_id'), table_name='closure_agreement')
    op.drop_table('closure_agreement')
