"""plan sections, each entry a record (issue 11 item 2): three more kinds of section (where a
child under a protection measure grows up, what the family does themselves, the help that is
needed), a horizon date for the first, "still to be found" for the last, and archiving (an
entry taken off the plan keeps its history)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# the codes as they are at this revision and at the one before (a later vocabulary change
# brings its own migration)
BEFORE = ("perspectief", "wat_gaat_goed", "zorgen", "netwerk", "veiligheidsplan",
          "terugvalpreventie", "tijdlijn", "gegevens")
AFTER = ("perspectief", "toekomstperspectief", "wat_gaat_goed", "zorgen", "wat_we_zelf_doen",
         "hulp_nodig", "veiligheidsplan", "terugvalpreventie", "netwerk", "tijdlijn", "gegevens")

FOLDED = {"toekomstperspectief": "perspectief", "wat_we_zelf_doen": "wat_gaat_goed",
          "hulp_nodig": "zorgen"}


def _check(codes) -> str:
    return "section IN ({})".format(", ".join(f"'{code}'" for code in codes))


def upgrade() -> None:
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_section_section'), type_='check')
        batch_op.add_column(sa.Column('horizon_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('still_to_find', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.alter_column('still_to_find', server_default=None)
        batch_op.create_check_constraint(op.f('ck_plan_section_section'), _check(AFTER))


def downgrade() -> None:
    # an entry of a new kind goes to the nearest kind there was, so nothing written is lost
    conn = op.get_bind()
    for new, old in FOLDED.items():
        conn.execute(sa.text("UPDATE plan_section SET section = :old WHERE section = :new"),
                     {"old": old, "new": new})
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_section_section'), type_='check')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('still_to_find')
        batch_op.drop_column('horizon_date')
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_plan_section_section'), _check(BEFORE))
