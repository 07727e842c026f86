"""file feeds: per-partner column mappings and per-file row reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feed_mappings',
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('partner_id', 'document_type', name=op.f('pk_feed_mappings'))
    )
    op.create_table('feed_reports',
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_accepted', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_feed_reports_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_feed_reports'))
    )


def downgrade() -> None:
    op.drop_table('feed_reports')
    op.drop_table('feed_mappings')
