"""purchase_order_lines: one index by item and due date (replaces the one by item alone)

Segment health sums an item's order lines due in its window; by item alone, SQLite read every
line of the segment's items and filtered the dates (18,616 lines for 3,921 due on a 500-item
segment). The new index starts with the item, so lookups by item alone still use it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(
            'ix_purchase_order_lines_item_requested', ['buyer_item', 'requested_date'], unique=False
        )
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_buyer_item'))


def downgrade() -> None:
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_purchase_order_lines_buyer_item'), ['buyer_item'], unique=False
        )
        batch_op.drop_index('ix_purchase_order_lines_item_requested')
