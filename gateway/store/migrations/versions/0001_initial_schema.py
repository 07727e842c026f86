"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# The audit log is append-only: the database itself refuses to change or remove an entry.
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    for verb in ("UPDATE", "DELETE")
]
_POSTGRES_TRIGGER = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]


def _protect_audit_log() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGER}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=80), nullable=False),
    sa.Column('subject_id', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)

    op.create_table('inbox_messages',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages')),
    sa.UniqueConstraint('partner_id', 'dedupe_key', name=op.f('uq_inbox_messages_partner_id_dedupe_key'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_messages_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_messages_sha256'), ['sha256'], unique=False)
        batch_op.create_index('ix_inbox_status_received', ['status', 'received_at'], unique=False)

    op.create_table('locations',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    op.create_table('segments',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('service_level_target', sa.Double(), nullable=False),
    sa.Column('planning_policy', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments'))
    )
    op.create_table('suppliers',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('edi_capable', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers'))
    )
    op.create_table('capacity_commits',
    sa.Column('commit_id', sa.String(length=80), nullable=False),
    sa.Column('issued_date', sa.Date(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_capacity_commits_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_commits'))
    )
    with op.batch_alter_table('capacity_commits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_commits_commit_id'), ['commit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_commits_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_commits_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_commits_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('forecast_commits',
    sa.Column('commit_id', sa.String(length=80), nullable=False),
    sa.Column('schedule_id', sa.String(length=80), nullable=True),
    sa.Column('issued_date', sa.Date(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_forecast_commits_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_commits'))
    )
    with op.batch_alter_table('forecast_commits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_commits_commit_id'), ['commit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_commits_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_commits_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_commits_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('inventory_positions',
    sa.Column('report_id', sa.String(length=80), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('reported_by', sa.String(length=10), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_inventory_positions_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_positions'))
    )
    with op.batch_alter_table('inventory_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_positions_as_of'), ['as_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_positions_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_positions_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_positions_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_positions_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('items',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('segment_id', sa.String(length=80), nullable=False),
    sa.Column('lifecycle_stage', sa.String(length=20), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('upc', sa.String(length=20), nullable=True),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_items_segment_id_segments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_segment_id'), ['segment_id'], unique=False)

    op.create_table('planning_schedules',
    sa.Column('schedule_id', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('schedule_type', sa.String(length=4), nullable=True),
    sa.Column('quantity_type', sa.String(length=4), nullable=True),
    sa.Column('horizon_start', sa.Date(), nullable=False),
    sa.Column('horizon_end', sa.Date(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_planning_schedules_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_schedules'))
    )
    with op.batch_alter_table('planning_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_schedules_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_schedules_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_schedules_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_schedules_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('po_number', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('order_type', sa.String(length=10), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_purchase_orders_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_order_date'), ['order_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_po_number'), ['po_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('receipts',
    sa.Column('receipt_id', sa.String(length=80), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('shipment_id', sa.String(length=80), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_receipts_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_receipt_id'), ['receipt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_received_date'), ['received_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('ship_notices',
    sa.Column('shipment_id', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('ship_date', sa.Date(), nullable=False),
    sa.Column('expected_delivery', sa.Date(), nullable=True),
    sa.Column('carrier', sa.String(length=80), nullable=True),
    sa.Column('bill_of_lading', sa.String(length=80), nullable=True),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_id', sa.String(length=80), nullable=True),
    sa.Column('envelope', sa.JSON(), nullable=True),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_ship_notices_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ship_notices'))
    )
    with op.batch_alter_table('ship_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ship_notices_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notices_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notices_ship_date'), ['ship_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notices_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notices_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_segments',
    sa.Column('supplier_id', sa.String(length=80), nullable=False),
    sa.Column('segment_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_supplier_segments_segment_id_segments')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_segments_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('supplier_id', 'segment_id', name=op.f('pk_supplier_segments'))
    )
    op.create_table('capacity_commit_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('buyer_item', sa.String(length=80), nullable=False),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['capacity_commits.id'], name=op.f('fk_capacity_commit_lines_document_id_capacity_commits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_commit_lines'))
    )
    with op.batch_alter_table('capacity_commit_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_commit_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_commit_lines_document_id'), ['document_id'], unique=False)

    op.create_table('demand_history',
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_demand_history_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_demand_history_location_id_locations')),
    sa.PrimaryKeyConstraint('item_id', 'location_id', 'period_start', name=op.f('pk_demand_history'))
    )
    op.create_table('forecast_commit_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('buyer_item', sa.String(length=80), nullable=False),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['forecast_commits.id'], name=op.f('fk_forecast_commit_lines_document_id_forecast_commits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_commit_lines'))
    )
    with op.batch_alter_table('forecast_commit_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_commit_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_commit_lines_document_id'), ['document_id'], unique=False)

    op.create_table('inventory_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('buyer_item', sa.String(length=80), nullable=False),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('quantity_on_hand', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('quantity_on_order', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['inventory_positions.id'], name=op.f('fk_inventory_lines_document_id_inventory_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_lines'))
    )
    with op.batch_alter_table('inventory_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_lines_document_id'), ['document_id'], unique=False)

    op.create_table('item_sources',
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('supplier_id', sa.String(length=80), nullable=False),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('share', sa.Double(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_sources_item_id_items')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_item_sources_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('item_id', 'supplier_id', name=op.f('pk_item_sources'))
    )
    with op.batch_alter_table('item_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_sources_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('planning_schedule_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('buyer_item', sa.String(length=80), nullable=True),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('cumulative_received', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['planning_schedules.id'], name=op.f('fk_planning_schedule_lines_document_id_planning_schedules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_schedule_lines'))
    )
    with op.batch_alter_table('planning_schedule_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_schedule_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_schedule_lines_document_id'), ['document_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('buyer_item', sa.String(length=80), nullable=True),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('upc', sa.String(length=20), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('requested_date', sa.Date(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_document_id_purchase_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_document_id'), ['document_id'], unique=False)

    op.create_table('receipt_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('po_number', sa.String(length=80), nullable=True),
    sa.Column('line_number', sa.String(length=80), nullable=True),
    sa.Column('buyer_item', sa.String(length=80), nullable=False),
    sa.Column('quantity_received', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('quantity_rejected', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['receipts.id'], name=op.f('fk_receipt_lines_document_id_receipts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lines'))
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_lines_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_lines_po_number'), ['po_number'], unique=False)

    op.create_table('ship_notice_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('po_number', sa.String(length=80), nullable=True),
    sa.Column('line_number', sa.String(length=80), nullable=True),
    sa.Column('buyer_item', sa.String(length=80), nullable=True),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('upc', sa.String(length=20), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('sscc', sa.String(length=20), nullable=True),
    sa.Column('lot', sa.String(length=80), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['ship_notices.id'], name=op.f('fk_ship_notice_lines_document_id_ship_notices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ship_notice_lines'))
    )
    with op.batch_alter_table('ship_notice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ship_notice_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notice_lines_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ship_notice_lines_po_number'), ['po_number'], unique=False)

    op.create_table('planning_forecast_buckets',
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['planning_schedule_lines.id'], name=op.f('fk_planning_forecast_buckets_line_id_planning_schedule_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_forecast_buckets'))
    )
    with op.batch_alter_table('planning_forecast_buckets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_forecast_buckets_line_id'), ['line_id'], unique=False)
    _protect_audit_log()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('planning_forecast_buckets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_forecast_buckets_line_id'))

    op.drop_table('planning_forecast_buckets')
    with op.batch_alter_table('ship_notice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ship_notice_lines_po_number'))
        batch_op.drop_index(batch_op.f('ix_ship_notice_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_ship_notice_lines_buyer_item'))

    op.drop_table('ship_notice_lines')
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_lines_po_number'))
        batch_op.drop_index(batch_op.f('ix_receipt_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_receipt_lines_buyer_item'))

    op.drop_table('receipt_lines')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_buyer_item'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('planning_schedule_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_schedule_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_planning_schedule_lines_buyer_item'))

    op.drop_table('planning_schedule_lines')
    with op.batch_alter_table('item_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_sources_supplier_id'))

    op.drop_table('item_sources')
    with op.batch_alter_table('inventory_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_lines_buyer_item'))

    op.drop_table('inventory_lines')
    with op.batch_alter_table('forecast_commit_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_commit_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_commit_lines_buyer_item'))

    op.drop_table('forecast_commit_lines')
    op.drop_table('demand_history')
    with op.batch_alter_table('capacity_commit_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_commit_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_commit_lines_buyer_item'))

    op.drop_table('capacity_commit_lines')
    op.drop_table('supplier_segments')
    with op.batch_alter_table('ship_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ship_notices_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_ship_notices_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_ship_notices_ship_date'))
        batch_op.drop_index(batch_op.f('ix_ship_notices_partner_id'))
        batch_op.drop_index(batch_op.f('ix_ship_notices_message_id'))

    op.drop_table('ship_notices')
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipts_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_receipts_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_receipts_received_date'))
        batch_op.drop_index(batch_op.f('ix_receipts_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_receipts_partner_id'))
        batch_op.drop_index(batch_op.f('ix_receipts_message_id'))

    op.drop_table('receipts')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_po_number'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_partner_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_order_date'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_message_id'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('planning_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_schedules_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_planning_schedules_schedule_id'))
        batch_op.drop_index(batch_op.f('ix_planning_schedules_partner_id'))
        batch_op.drop_index(batch_op.f('ix_planning_schedules_message_id'))

    op.drop_table('planning_schedules')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_segment_id'))

    op.drop_table('items')
    with op.batch_alter_table('inventory_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_positions_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_positions_report_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_positions_partner_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_positions_message_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_positions_as_of'))

    op.drop_table('inventory_positions')
    with op.batch_alter_table('forecast_commits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_commits_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_commits_partner_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_commits_message_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_commits_commit_id'))

    op.drop_table('forecast_commits')
    with op.batch_alter_table('capacity_commits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_commits_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_commits_partner_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_commits_message_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_commits_commit_id'))

    op.drop_table('capacity_commits')
    op.drop_table('suppliers')
    op.drop_table('segments')
    op.drop_table('locations')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_status_received')
        batch_op.drop_index(batch_op.f('ix_inbox_messages_sha256'))
        batch_op.drop_index(batch_op.f('ix_inbox_messages_partner_id'))

    op.drop_table('inbox_messages')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
