"""access principals keys rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# The role templates as they stood when this revision was written (see access/roles.py);
# later changes to the templates come with a migration of their own.
ROLE_TEMPLATES = [
    ('role:execution_only', '*', 'purchase_order', 'read'),
    ('role:execution_only', '*', 'planning_schedule', 'read'),
    ('role:execution_only', '*', 'ship_notice', 'read'),
    ('role:execution_only', '*', 'ship_notice', 'write'),
    ('role:execution_only', '*', 'inventory_position', 'read'),
    ('role:execution_only', '*', 'inventory_position', 'write'),
    ('role:execution_only', '*', 'po_acknowledgment', 'write'),
    ('role:execution_only', '*', 'scorecard', 'read'),
    ('role:execution_only', '*', 'finding', 'read'),
    ('role:execution_only', '*', 'message', 'read'),
    ('role:execution_only', '*', 'segment', 'read'),
    ('role:advisory', '*', 'purchase_order', 'read'),
    ('role:advisory', '*', 'planning_schedule', 'read'),
    ('role:advisory', '*', 'ship_notice', 'read'),
    ('role:advisory', '*', 'ship_notice', 'write'),
    ('role:advisory', '*', 'inventory_position', 'read'),
    ('role:advisory', '*', 'inventory_position', 'write'),
    ('role:advisory', '*', 'po_acknowledgment', 'write'),
    ('role:advisory', '*', 'scorecard', 'read'),
    ('role:advisory', '*', 'finding', 'read'),
    ('role:advisory', '*', 'message', 'read'),
    ('role:advisory', '*', 'segment', 'read'),
    ('role:advisory', '*', 'demand_signal', 'read'),
    ('role:advisory', '*', 'forecast_commit', 'read'),
    ('role:advisory', '*', 'forecast_commit', 'write'),
    ('role:co_creation', '*', 'purchase_order', 'read'),
    ('role:co_creation', '*', 'planning_schedule', 'read'),
    ('role:co_creation', '*', 'ship_notice', 'read'),
    ('role:co_creation', '*', 'ship_notice', 'write'),
    ('role:co_creation', '*', 'inventory_position', 'read'),
    ('role:co_creation', '*', 'inventory_position', 'write'),
    ('role:co_creation', '*', 'po_acknowledgment', 'write'),
    ('role:co_creation', '*', 'scorecard', 'read'),
    ('role:co_creation', '*', 'finding', 'read'),
    ('role:co_creation', '*', 'message', 'read'),
    ('role:co_creation', '*', 'segment', 'read'),
    ('role:co_creation', '*', 'demand_signal', 'read'),
    ('role:co_creation', '*', 'forecast_commit', 'read'),
    ('role:co_creation', '*', 'forecast_commit', 'write'),
    ('role:co_creation', '*', 'capacity_commit', 'read'),
    ('role:co_creation', '*', 'capacity_commit', 'write'),
    ('role:co_creation', '*', 'consensus_forecast', 'read'),
    ('role:planner', '*', 'purchase_order', 'read'),
    ('role:planner', '*', 'planning_schedule', 'read'),
    ('role:planner', '*', 'ship_notice', 'read'),
    ('role:planner', '*', 'inventory_position', 'read'),
    ('role:planner', '*', 'receipt', 'read'),
    ('role:planner', '*', 'forecast_commit', 'read'),
    ('role:planner', '*', 'capacity_commit', 'read'),
    ('role:planner', '*', 'demand_signal', 'read'),
    ('role:planner', '*', 'consensus_forecast', 'read'),
    ('role:planner', '*', 'forecast', 'read'),
    ('role:planner', '*', 'buffer', 'read'),
    ('role:planner', '*', 'scorecard', 'read'),
    ('role:planner', '*', 'segmentation', 'read'),
    ('role:planner', '*', 'finding', 'read'),
    ('role:planner', '*', 'message', 'read'),
    ('role:planner', '*', 'segment', 'read'),
    ('role:planner', '*', 'health', 'read'),
    ('role:planner', '*', 'forecast_override', 'write'),
    ('role:planner', '*', 'segment_policy', 'write'),
    ('role:planner', '*', 'segmentation', 'write'),
    ('role:planner', '*', 'finding', 'write'),
    ('role:planner', '*', 'purchase_order', 'write'),
    ('role:planner', '*', 'planning_schedule', 'write'),
    ('role:planner', '*', 'receipt', 'write'),
    ('role:planner', '*', 'inventory_position', 'write'),
    ('role:integration', '*', 'message', 'read'),
    ('role:integration', '*', 'message', 'write'),
    ('role:integration', '*', 'health', 'read'),
    ('role:integration', '*', 'finding', 'read'),
    ('role:integration', '*', 'finding', 'write'),
    ('role:integration', '*', 'segment', 'read'),
    ('role:admin', '*', '*', '*'),
]


def _seed() -> None:
    op.bulk_insert(
        sa.table("access_rules", *(sa.column(c) for c in ("ptype", "v0", "v1", "v2", "v3"))),
        [{"ptype": "p", "v0": r[0], "v1": r[1], "v2": r[2], "v3": r[3]} for r in ROLE_TEMPLATES],
    )
    op.bulk_insert(
        sa.table("access_policy_version", sa.column("id"), sa.column("version")),
        [{"id": 1, "version": 1}],
    )


def upgrade() -> None:
    op.create_table('access_policy_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_policy_version'))
    )
    op.create_table('access_rules',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ptype', sa.String(length=2), nullable=False),
    sa.Column('v0', sa.String(length=120), nullable=False),
    sa.Column('v1', sa.String(length=120), nullable=False),
    sa.Column('v2', sa.String(length=120), nullable=False),
    sa.Column('v3', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_rules')),
    sa.UniqueConstraint('ptype', 'v0', 'v1', 'v2', 'v3', name=op.f('uq_access_rules_ptype_v0_v1_v2_v3'))
    )
    op.create_table('principals',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_principals_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_principals'))
    )
    with op.batch_alter_table('principals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_principals_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('api_keys',
    sa.Column('id', sa.String(length=12), nullable=False),
    sa.Column('principal_id', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replaced_by', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['principal_id'], ['principals.id'], name=op.f('fk_api_keys_principal_id_principals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_principal_id'), ['principal_id'], unique=False)
    _seed()


def downgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_principal_id'))

    op.drop_table('api_keys')
    with op.batch_alter_table('principals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_principals_supplier_id'))

    op.drop_table('principals')
    op.drop_table('access_rules')
    op.drop_table('access_policy_version')
