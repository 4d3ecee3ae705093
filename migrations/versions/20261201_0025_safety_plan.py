"""the veiligheidsplan (issue 11 item 5): the family's safety plan (how long it applies, a
review date), its items (entries of the veiligheidsplan section with a kind and the people
they name), per child when and by whom it was explained, and the 0-10 safety scale

Revision ID: 0025
Revises: 0027
Create Date: 2026-12-01 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0027'
branch_labels = None
depends_on = None

# the codes of SafetyItemKind at this revision
ITEM_KINDS = ("veilige_persoon", "steun_ouders", "invaller", "feestjes_bezoek", "anders")


def upgrade() -> None:
    op.create_table('safety_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('applies_from', sa.Date(), nullable=True),
    sa.Column('applies_to', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_safety_plan_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_safety_plan_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_plan')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_safety_plan_plan_id')),
    )
    op.create_table('safety_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('safety_plan_id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sa.String(length=20), nullable=False),
    sa.Column('named_participant_ids', sa.JSON(), nullable=False),
    sa.Column('named_others', sa.String(length=300), nullable=False),
    sa.CheckConstraint("item_kind IN ({})".format(", ".join(f"'{c}'" for c in ITEM_KINDS)),
                       name=op.f('ck_safety_item_item_kind')),
    sa.ForeignKeyConstraint(['id'], ['plan_section.id'], name=op.f('fk_safety_item_id_plan_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['safety_plan_id'], ['safety_plan.id'], name=op.f('fk_safety_item_safety_plan_id_safety_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_item')),
    )
    with op.batch_alter_table('safety_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_item_safety_plan_id'), ['safety_plan_id'], unique=False)
    op.create_table('safety_explanation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('safety_plan_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('explained_on', sa.Date(), nullable=False),
    sa.Column('explained_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['person.id'], name=op.f('fk_safety_explanation_child_id_person')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_safety_explanation_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['safety_plan_id'], ['safety_plan.id'], name=op.f('fk_safety_explanation_safety_plan_id_safety_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_explanation')),
    )
    with op.batch_alter_table('safety_explanation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_explanation_safety_plan_id'), ['safety_plan_id'], unique=False)
    op.create_table('safety_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('safety_plan_id', sa.Integer(), nullable=False),
    sa.Column('respondent_participant_id', sa.Integer(), nullable=True),
    sa.Column('respondent_person_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name=op.f('ck_safety_answer_score')),
    sa.CheckConstraint('(respondent_participant_id IS NULL) != (respondent_person_id IS NULL)',
                       name=op.f('ck_safety_answer_one_respondent')),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_safety_answer_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['respondent_participant_id'], ['participant.id'], name=op.f('fk_safety_answer_respondent_participant_id_participant')),
    sa.ForeignKeyConstraint(['respondent_person_id'], ['person.id'], name=op.f('fk_safety_answer_respondent_person_id_person')),
    sa.ForeignKeyConstraint(['safety_plan_id'], ['safety_plan.id'], name=op.f('fk_safety_answer_safety_plan_id_safety_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_answer')),
    )
    with op.batch_alter_table('safety_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_answer_safety_plan_id'), ['safety_plan_id'], unique=False)


def downgrade() -> None:
    # the records of these kinds go too (their rows in `record` would have no kind left)
    conn = op.get_bind()
    for kind in ("safety_answer", "safety_explanation", "safety_item", "safety_plan"):
        if kind == "safety_item":
            conn.execute(sa.text("DELETE FROM plan_section WHERE id IN (SELECT id FROM record WHERE kind = :kind)"),
                         {"kind": kind})
        conn.execute(sa.text("DELETE FROM record WHERE kind = :kind"), {"kind": kind})
    for table in ("safety_answer", "safety_explanation", "safety_item"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_safety_plan_id'))
        op.drop_table(table)
    op.drop_table('safety_plan')
