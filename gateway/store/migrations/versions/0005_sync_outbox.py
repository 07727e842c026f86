"""sync outbox, channels, attempts, endpoint breakers; delivery grants for integration

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Integration engineers inspect and replay deliveries (access/roles.py); the templates seeded in
# 0002 are frozen there, so the new grants come as data with this revision.
DELIVERY_GRANTS = [
    ('p', 'role:integration', '*', 'delivery', 'read'),
    ('p', 'role:integration', '*', 'delivery', 'write'),
]
_RULES = sa.table('access_rules', *(sa.column(c) for c in ('ptype', 'v0', 'v1', 'v2', 'v3')))
_VERSION = sa.table('access_policy_version', sa.column('id'), sa.column('version'))


def upgrade() -> None:
    op.create_table('sync_attempts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('delivery_id', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('endpoint', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_attempts'))
    )
    with op.batch_alter_table('sync_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_attempts_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index('ix_sync_attempts_partner_at', ['partner_id', 'at'], unique=False)

    op.create_table('sync_channels',
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('primary_url', sa.String(length=500), nullable=False),
    sa.Column('secondary_url', sa.String(length=500), nullable=True),
    sa.Column('timeout_s', sa.Double(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('partner_id', 'document_type', name=op.f('pk_sync_channels'))
    )
    op.create_table('sync_endpoints',
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_sync_endpoints'))
    )
    op.create_table('sync_outbox',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('endpoint', sa.String(length=500), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('dead_reason', sa.Text(), nullable=True),
    sa.Column('control_number', sa.String(length=9), nullable=True),
    sa.Column('replay_of', sa.String(length=32), nullable=True),
    sa.Column('ack_window_s', sa.Double(), nullable=True),
    sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ack_status', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['replay_of'], ['sync_outbox.id'], name=op.f('fk_sync_outbox_replay_of_sync_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_outbox'))
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_outbox_partner_status', ['partner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_outbox_replay_of'), ['replay_of'], unique=False)
        batch_op.create_index('ix_sync_outbox_status_due', ['status', 'next_attempt_at'], unique=False)

    op.bulk_insert(_RULES, [dict(zip(('ptype', 'v0', 'v1', 'v2', 'v3'), r)) for r in DELIVERY_GRANTS])
    # every process reloads its rules when the version moves
    op.execute(_VERSION.update().values(version=_VERSION.c.version + 1))


def downgrade() -> None:
    for rule in DELIVERY_GRANTS:
        op.execute(_RULES.delete().where(*(
            _RULES.c[name] == value for name, value in zip(('ptype', 'v0', 'v1', 'v2', 'v3'), rule)
        )))
    op.execute(_VERSION.update().values(version=_VERSION.c.version + 1))
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_outbox_status_due')
        batch_op.drop_index(batch_op.f('ix_sync_outbox_replay_of'))
        batch_op.drop_index('ix_sync_outbox_partner_status')

    op.drop_table('sync_outbox')
    op.drop_table('sync_endpoints')
    op.drop_table('sync_channels')
    with op.batch_alter_table('sync_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_attempts_partner_at')
        batch_op.drop_index(batch_op.f('ix_sync_attempts_delivery_id'))

    op.drop_table('sync_attempts')
