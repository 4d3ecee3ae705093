"""plan change stamp

A change counter per family (`plan_change`), raised in the same transaction by every change of
a record, consent, shield or emergency access of the family: an open plan polls it to learn
that something changed without looking at a record. Families there are today start at 0 (no
row: the first change writes it).

Revision ID: 0022
Revises: 0023
Create Date: 2026-12-01 17:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'plan_change',
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['family_id'], ['family.id'],
                                name=op.f('fk_plan_change_family_id_family'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('family_id', name=op.f('pk_plan_change')),
    )


def downgrade() -> None:
    op.drop_table('plan_change')
