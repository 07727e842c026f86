"""purchase order acknowledgments (X12 855 or REST): header and line tables

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('po_acknowledgments',
    sa.Column('po_number', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('acknowledgment_date', sa.Date(), nullable=False),
    sa.Column('seller_order_number', sa.String(length=80), nullable=True),
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
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_po_acknowledgments_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_po_acknowledgments'))
    )
    with op.batch_alter_table('po_acknowledgments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_acknowledgment_date'), ['acknowledgment_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_po_number'), ['po_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgments_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('po_acknowledgment_lines',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('uom', sa.String(length=8), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('scheduled_date', sa.Date(), nullable=True),
    sa.Column('buyer_item', sa.String(length=80), nullable=True),
    sa.Column('vendor_item', sa.String(length=80), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['po_acknowledgments.id'], name=op.f('fk_po_acknowledgment_lines_document_id_po_acknowledgments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_po_acknowledgment_lines'))
    )
    with op.batch_alter_table('po_acknowledgment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_acknowledgment_lines_buyer_item'), ['buyer_item'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_acknowledgment_lines_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('po_acknowledgment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_acknowledgment_lines_document_id'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgment_lines_buyer_item'))

    op.drop_table('po_acknowledgment_lines')
    with op.batch_alter_table('po_acknowledgments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_status'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_po_number'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_partner_id'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_message_id'))
        batch_op.drop_index(batch_op.f('ix_po_acknowledgments_acknowledgment_date'))

    op.drop_table('po_acknowledgments')
