"""nazorg (issue 13 item 3): check-in moments of a closed plan and the answers to them; the
reminder on the day of a check-in

Revision ID: 0042
Revises: 0037
Create Date: 2026-12-01 23:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0042'
down_revision = '0037'
branch_labels = None
depends_on = None

OLD_KINDS = ("action_due", "action_overdue", "action_overdue_chair", "evaluation_tomorrow")
NEW_KINDS = OLD_KINDS + ("aftercare_today",)


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    op.create_table('aftercare_moment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at_closure', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_aftercare_moment_family_id_family'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_aftercare_moment_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_moment')),
    )
    op.create_index(op.f('ix_aftercare_moment_family_id'), 'aftercare_moment', ['family_id'])
    op.create_table('aftercare_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('going_well', sa.Text(), nullable=False),
    sa.Column('worries', sa.Text(), nullable=False),
    sa.Column('wants_contact', sa.Boolean(), nullable=False),
    sa.Column('by_call', sa.Boolean(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_aftercare_answer_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moment_id'], ['aftercare_moment.id'], name=op.f('fk_aftercare_answer_moment_id_aftercare_moment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_aftercare_answer_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_answer')),
    )
    op.create_index(op.f('ix_aftercare_answer_moment_id'), 'aftercare_answer', ['moment_id'])
    op.create_index(op.f('ix_aftercare_answer_person_id'), 'aftercare_answer', ['person_id'])
    with op.batch_alter_table('reminder') as batch:
        batch.drop_constraint(op.f('ck_reminder_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_reminder_kind'), _in('kind', NEW_KINDS))


def downgrade() -> None:
    op.execute("DELETE FROM reminder WHERE kind = 'aftercare_today'")
    with op.batch_alter_table('reminder') as batch:
        batch.drop_constraint(op.f('ck_reminder_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_reminder_kind'), _in('kind', OLD_KINDS))
    op.drop_table('aftercare_answer')
    op.drop_table('aftercare_moment')
