"""quality_pending: attempts, set-aside time and last error of a failing check

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quality_pending', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quality_pending', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('attempts')
