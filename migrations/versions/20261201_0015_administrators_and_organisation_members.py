"""administrators and organisation members

The application administrator (user_account.is_admin), the organisation's own e-mail domains
(organisation.domains), and who works for which organisation (organisation_member): the one
truth of that link from now on. Every professional taking part in a plan today becomes a
member of the organisation they take part for (active while any of those participations is;
allowed to start families when they chair one), and an organisation's single sign-on domains
become its own e-mail domains.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 12:00:00.000000
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'organisation_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('is_beheerder', sa.Boolean(), nullable=False),
        sa.Column('may_start_families', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.Column('left_at', sa.DateTime(), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_organisation_member_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_organisation_member_user_id_user_account')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'],
                                name=op.f('fk_organisation_member_invited_by_id_user_account')),
        sa.ForeignKeyConstraint(['ended_by_id'], ['user_account.id'],
                                name=op.f('fk_organisation_member_ended_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_member')),
        sa.UniqueConstraint('organisation_id', 'user_id', name='uq_organisation_member_organisation_user'),
    )
    with op.batch_alter_table('organisation_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_member_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_member_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('is_admin', server_default=None)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('domains', sa.String(length=1000), nullable=True))

    _professionals_become_members()


def _professionals_become_members() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE organisation SET domains = oidc_domains WHERE oidc_domains IS NOT NULL"))
    participant = sa.table(
        'participant', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
        sa.column('organisation_id', sa.Integer), sa.column('role', sa.String),
        sa.column('active', sa.Boolean), sa.column('created_at', sa.DateTime),
    )
    rows = conn.execute(
        sa.select(participant.c.user_id, participant.c.organisation_id, participant.c.role,
                  participant.c.active, participant.c.created_at)
        .where(participant.c.role.in_(('professional', 'casusregisseur')),
               participant.c.organisation_id.is_not(None))
        .order_by(participant.c.id)
    ).all()
    members: dict[tuple[int, int], dict] = {}
    for user_id, organisation_id, role, active, created_at in rows:
        member = members.setdefault((user_id, organisation_id), {
            "user_id": user_id, "organisation_id": organisation_id, "active": False,
            "may_start_families": False, "joined_at": created_at,
        })
        member["active"] = member["active"] or bool(active)
        member["may_start_families"] = member["may_start_families"] or role == 'casusregisseur'
        if created_at is not None and (member["joined_at"] is None or created_at < member["joined_at"]):
            member["joined_at"] = created_at
    table = sa.table(
        'organisation_member', sa.column('user_id', sa.Integer), sa.column('organisation_id', sa.Integer),
        sa.column('is_beheerder', sa.Boolean), sa.column('may_start_families', sa.Boolean),
        sa.column('active', sa.Boolean), sa.column('joined_at', sa.DateTime),
        sa.column('left_at', sa.DateTime),
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    if members:
        op.bulk_insert(table, [
            {**m, "is_beheerder": False, "joined_at": m["joined_at"] or now,
             "left_at": None if m["active"] else now}
            for m in members.values()
        ])


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('domains')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('is_admin')
    with op.batch_alter_table('organisation_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_member_organisation_id'))
    op.drop_table('organisation_member')
