"""self-sufficiency over time (issue 13 item 6): a caregiver's ZRM-style levels per meting,
one record per category

Revision ID: 0036
Revises: 0028
Create Date: 2026-12-01 19:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0036'
down_revision = '0034'
branch_labels = None
depends_on = None

# the codes at this revision
MOMENTS = ("start", "evaluatie", "afsluiting")


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def upgrade() -> None:
    op.create_table('self_reliance_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caregiver_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('moment', sa.String(length=20), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.CheckConstraint(_in("moment", MOMENTS), name=op.f('ck_self_reliance_score_moment')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_self_reliance_score_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['caregiver_id'], ['person.id'], name=op.f('fk_self_reliance_score_caregiver_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['head_id'], ['self_reliance_score.id'], name=op.f('fk_self_reliance_score_head_id_self_reliance_score'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_self_reliance_score_evaluation_id_evaluation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reliance_score')),
    )
    with op.batch_alter_table('self_reliance_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reliance_score_caregiver_id'), ['caregiver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_reliance_score_head_id'), ['head_id'], unique=False)


def downgrade() -> None:
    op.drop_table('self_reliance_score')
