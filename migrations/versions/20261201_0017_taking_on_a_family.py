"""taking on a family: households, organisations holding authority, legal representatives,
organisations' consent, the history of persons

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    op.create_table(
        'authority_organisation',
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['person.id'],
                                name=op.f('fk_authority_organisation_child_id_person'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_authority_organisation_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('child_id', 'organisation_id', name=op.f('pk_authority_organisation')),
    )
    with op.batch_alter_table('authority_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_organisation_organisation_id'),
                              ['organisation_id'], unique=False)

    op.create_table(
        'legal_representative',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('representative_person_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('mentor', 'curator', 'bewindvoerder')",
                           name=op.f('ck_legal_representative_kind')),
        sa.CheckConstraint('(representative_person_id IS NULL) != (organisation_id IS NULL)',
                           name=op.f('ck_legal_representative_one_representative')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_legal_representative_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'],
                                name=op.f('fk_legal_representative_person_id_person'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['representative_person_id'], ['person.id'],
                                name=op.f('fk_legal_representative_representative_person_id_person'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_representative')),
    )
    with op.batch_alter_table('legal_representative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_representative_person_id'), ['person_id'],
                              unique=False)

    op.create_table(
        'consent_organisation_approval',
        sa.Column('consent_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('given_at', sa.DateTime(), nullable=False),
        sa.Column('how', sa.String(length=10), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("how IN ('app', 'tafel', 'papier')",
                           name=op.f('ck_consent_organisation_approval_how')),
        sa.ForeignKeyConstraint(['consent_id'], ['consent.id'],
                                name=op.f('fk_consent_organisation_approval_consent_id_consent'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_consent_organisation_approval_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_consent_organisation_approval_recorded_by_id_user_account')),
        sa.PrimaryKeyConstraint('consent_id', 'organisation_id',
                                name=op.f('pk_consent_organisation_approval')),
    )

    # a revision is of a record or of a person
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.alter_column('record_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_revision_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_revision_person_id_person'), 'person',
                                    ['person_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_revision_record_or_person'),
                                         '(record_id IS NULL) != (person_id IS NULL)')


def downgrade() -> None:
    # the history of persons has no place in the older schema
    op.execute("DELETE FROM revision WHERE person_id IS NOT NULL")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_revision_record_or_person'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_revision_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_revision_person_id'))
        batch_op.alter_column('record_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('person_id')

    op.drop_table('consent_organisation_approval')
    with op.batch_alter_table('legal_representative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_representative_person_id'))
    op.drop_table('legal_representative')
    with op.batch_alter_table('authority_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_organisation_organisation_id'))
    op.drop_table('authority_organisation')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('household')
