"""holding an evaluation (attendance, a decision per goal, scores, answers and actions linked to
it, a child's answer entered by the casusregisseur) and frozen plan versions (issue 12 items 3, 4)

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-01 19:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0032'
branch_labels = None
depends_on = None

# the codes at this revision
OLD_STATUSES = ("gepland", "gehouden", "afgezegd")
STATUSES = ("gepland", "bezig", "gehouden", "afgezegd")
DECISIONS = ("doorgaan", "aanpassen", "afronden", "pauzeren", "stoppen")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def _link(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f(f'ix_{table}_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f(f'fk_{table}_evaluation_id_evaluation'), 'evaluation',
                                    ['evaluation_id'], ['id'])


def _unlink(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'fk_{table}_evaluation_id_evaluation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f(f'ix_{table}_evaluation_id'))
        batch_op.drop_column('evaluation_id')


def upgrade() -> None:
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendee_ids', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_constraint(batch_op.f('ck_evaluation_status'), type_='check')
        batch_op.create_check_constraint('status', _in("status", STATUSES))
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.alter_column('attendee_ids', server_default=None)
    for table in ('action', 'gas_score', 'scaling_answer'):
        _link(table)
    with op.batch_alter_table('scaling_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('respondent_person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_scaling_answer_respondent_person_id_person'),
                                    'person', ['respondent_person_id'], ['id'])
    op.create_table('goal_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint(_in("decision", DECISIONS), name=op.f('ck_goal_decision_decision')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_goal_decision_evaluation_id_evaluation')),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_decision_goal_id_goal')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_goal_decision_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_decision')),
    sa.UniqueConstraint('evaluation_id', 'goal_id', name=op.f('uq_goal_decision_evaluation_id')),
    )
    with op.batch_alter_table('goal_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_decision_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_decision_goal_id'), ['goal_id'], unique=False)
    op.create_table('plan_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_plan_version_evaluation_id_evaluation')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_plan_version_family_id_family')),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['user_account.id'], name=op.f('fk_plan_version_frozen_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_version')),
    sa.UniqueConstraint('family_id', 'number', name=op.f('uq_plan_version_family_id')),
    )
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_version_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_version_family_id'), ['family_id'], unique=False)
    op.create_table('plan_version_entry',
    sa.Column('plan_version_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('record_version', sa.Integer(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['plan_version_id'], ['plan_version.id'], name=op.f('fk_plan_version_entry_plan_version_id_plan_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_version_id', 'record_id', name=op.f('pk_plan_version_entry')),
    )


def downgrade() -> None:
    op.drop_table('plan_version_entry')
    op.drop_table('plan_version')
    op.drop_table('goal_decision')
    with op.batch_alter_table('scaling_answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scaling_answer_respondent_person_id_person'), type_='foreignkey')
        batch_op.drop_column('respondent_person_id')
    for table in ('scaling_answer', 'gas_score', 'action'):
        _unlink(table)
    op.execute("UPDATE evaluation SET status = 'gepland' WHERE status = 'bezig'")
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evaluation_status'), type_='check')
        batch_op.create_check_constraint('status', _in("status", OLD_STATUSES))
        batch_op.drop_column('attendee_ids')
