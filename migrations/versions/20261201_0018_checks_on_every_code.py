"""checks on every code column: a goal's life domain, an invitation's involvement category and a
goal's status changes held any text; now, like every other code column, only the codes of their
vocabulary

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 16:30:00
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# the codes as they are at this revision (a later vocabulary change brings its own migration)
CATEGORIES = "'algemeen', 'gezondheid', 'veiligheid', 'financien', 'justitie', 'verblijfplaats'"
STATUSES = "'concept', 'actief', 'gepauzeerd', 'behaald', 'gestopt'"
LIFE_DOMAINS = ", ".join(f"'{code}'" for code in (
    "financien", "werk_opleiding", "tijdsbesteding", "huisvesting", "huiselijke_relaties",
    "geestelijke_gezondheid", "lichamelijke_gezondheid", "middelengebruik", "basale_adl",
    "instrumentele_adl", "sociaal_netwerk", "maatschappelijke_participatie", "justitie",
    "lichamelijke_verzorging", "sociaal_emotionele_ondersteuning", "scholing", "opvang",
    "veiligheid",
))


def upgrade() -> None:
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_check_constraint('life_domain', f"life_domain IN ({LIFE_DOMAINS})")
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'involvement_category',
            f"involvement_category IS NULL OR involvement_category IN ({CATEGORIES})")
    with op.batch_alter_table('goal_status_change', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'old_status', f"old_status IS NULL OR old_status IN ({STATUSES})")
        batch_op.create_check_constraint('new_status', f"new_status IN ({STATUSES})")


def downgrade() -> None:
    with op.batch_alter_table('goal_status_change', schema=None) as batch_op:
        batch_op.drop_constraint('new_status', type_='check')
        batch_op.drop_constraint('old_status', type_='check')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint('involvement_category', type_='check')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_constraint('life_domain', type_='check')
