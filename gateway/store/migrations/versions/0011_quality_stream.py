"""quality streaming queue and run marks

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quality_pending',
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_quality_pending_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_quality_pending'))
    )
    with op.batch_alter_table('quality_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_pending_processed_at'), ['processed_at'], unique=False)

    op.create_table('quality_runs',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_duration_s', sa.Double(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_quality_runs'))
    )


def downgrade() -> None:
    op.drop_table('quality_runs')
    with op.batch_alter_table('quality_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_pending_processed_at'))
    op.drop_table('quality_pending')
