"""the warm handover of the casusregisseur (issue 13 item 5): a successor, an overlap in which
both chair, the meeting with the family, the switch; and a professional's part that ends by
being handed over

Revision ID: 0038
Revises: 0040
Create Date: 2026-12-02 04:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0038'
down_revision = '0040'
branch_labels = None
depends_on = None

# the codes at this revision and the one before
END_REASONS_BEFORE = ("doel_bereikt", "doorverwezen", "gezin_gestopt", "anders")
END_REASONS = ("doel_bereikt", "doorverwezen", "gezin_gestopt", "overgedragen", "anders")
OPEN = "switched_at IS NULL AND cancelled_at IS NULL"


def _in(column, codes):
    return "{} IN ({})".format(column, ", ".join(f"'{c}'" for c in codes))


def _end_reasons(codes) -> None:
    with op.batch_alter_table('involvement') as batch:
        batch.drop_constraint(op.f('ck_involvement_end_reason'), type_='check')
        batch.create_check_constraint(op.f('ck_involvement_end_reason'),
                                      "end_reason IS NULL OR " + _in('end_reason', codes))


def upgrade() -> None:
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('from_participant_id', sa.Integer(), nullable=False),
    sa.Column('successor_participant_id', sa.Integer(), nullable=False),
    sa.Column('successor_added', sa.Boolean(), nullable=False),
    sa.Column('switch_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('met_person_ids', sa.JSON(), nullable=True),
    sa.Column('meeting_note', sa.Text(), nullable=False),
    sa.Column('meeting_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('meeting_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('switched_at', sa.DateTime(), nullable=True),
    sa.Column('switched_by_id', sa.Integer(), nullable=True),
    sa.Column('switched_as_chair_left', sa.Boolean(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_handover_family_id_family')),
    sa.ForeignKeyConstraint(['from_participant_id'], ['participant.id'], name=op.f('fk_handover_from_participant_id_participant')),
    sa.ForeignKeyConstraint(['successor_participant_id'], ['participant.id'], name=op.f('fk_handover_successor_participant_id_participant')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_handover_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['meeting_recorded_by_id'], ['user_account.id'], name=op.f('fk_handover_meeting_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['switched_by_id'], ['user_account.id'], name=op.f('fk_handover_switched_by_id_user_account')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user_account.id'], name=op.f('fk_handover_cancelled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    )
    op.create_index(op.f('ix_handover_family_id'), 'handover', ['family_id'], unique=False)
    op.create_index('uq_handover_one_open', 'handover', ['family_id'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    _end_reasons(END_REASONS)


def downgrade() -> None:
    op.execute("UPDATE involvement SET end_reason = 'anders' WHERE end_reason = 'overgedragen'")
    _end_reasons(END_REASONS_BEFORE)
    op.drop_index('uq_handover_one_open', table_name='handover',
                  sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.drop_index(op.f('ix_handover_family_id'), table_name='handover')
    op.drop_table('handover')
