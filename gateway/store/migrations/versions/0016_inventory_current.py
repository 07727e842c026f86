"""inventory_current: the newest inventory report per location and item, filled from history

Segment health read the newest report per location and item by ranking every report line of
the segment's items; that grew with the history (27 -> 449 ms on PostgreSQL as 9,000 reports
arrived). The table keeps the newest figure as reports are stored; this fills it from the
reports already stored (lines of one report for one item summed).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Amount = sa.Numeric(18, 6)


def upgrade() -> None:
    op.create_table('inventory_current',
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('document_id', BigId, nullable=False),
    sa.Column('quantity', Amount, nullable=False),
    sa.PrimaryKeyConstraint('location_id', 'item_id', name=op.f('pk_inventory_current'))
    )
    op.execute(
        """
        INSERT INTO inventory_current (location_id, item_id, as_of, document_id, quantity)
        SELECT location_id, item_id, as_of, document_id, quantity FROM (
            SELECT h.location_id AS location_id, l.buyer_item AS item_id, h.as_of AS as_of,
                   h.id AS document_id, SUM(l.quantity_on_hand) AS quantity,
                   ROW_NUMBER() OVER (
                       PARTITION BY h.location_id, l.buyer_item ORDER BY h.as_of DESC, h.id DESC
                   ) AS newest
            FROM inventory_lines l JOIN inventory_positions h ON h.id = l.document_id
            GROUP BY h.location_id, l.buyer_item, h.as_of, h.id
        ) ranked
        WHERE newest = 1
        """
    )


def downgrade() -> None:
    op.drop_table('inventory_current')
