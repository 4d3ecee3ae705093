"""the plan for when things go less well, structured (issue 11 item 6): each entry of the
terugvalpreventie section is one line of a kind (an early sign, what we then do, whom we call),
and a line of whom we call may carry a phone number

Revision ID: 0027
Revises: 0021
Create Date: 2026-12-01 17:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0021'
branch_labels = None
depends_on = None

# the codes as they are at this revision (a later vocabulary change brings its own migration)
LINES = ("vroeg_signaal", "wat_we_doen", "wie_we_bellen")


def upgrade() -> None:
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relapse_line', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
    # what was written in the section before it had kinds of line: what we then do
    op.get_bind().execute(sa.text(
        "UPDATE plan_section SET relapse_line = 'wat_we_doen' WHERE section = 'terugvalpreventie'"))
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_plan_section_relapse_line'),
            "relapse_line IN ({})".format(", ".join(f"'{code}'" for code in LINES)))
        batch_op.create_check_constraint(
            op.f('ck_plan_section_relapse_line_in_relapse_plan'),
            "(section = 'terugvalpreventie') = (relapse_line IS NOT NULL)")
        batch_op.create_check_constraint(
            op.f('ck_plan_section_phone_of_whom_we_call'),
            "phone IS NULL OR relapse_line = 'wie_we_bellen'")


def downgrade() -> None:
    # a phone number goes into the line's text, so nothing written is lost
    op.get_bind().execute(sa.text(
        "UPDATE plan_section SET body = body || ' ' || phone WHERE phone IS NOT NULL"))
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_section_phone_of_whom_we_call'), type_='check')
        batch_op.drop_constraint(op.f('ck_plan_section_relapse_line_in_relapse_plan'), type_='check')
        batch_op.drop_constraint(op.f('ck_plan_section_relapse_line'), type_='check')
        batch_op.drop_column('phone')
        batch_op.drop_column('relapse_line')
