"""x12 interchanges acks control numbers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('x12_control_numbers',
    sa.Column('partner_id', sa.String(length=80), nullable=False),
    sa.Column('next_interchange', sa.Integer(), nullable=False),
    sa.Column('next_group', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('partner_id', name=op.f('pk_x12_control_numbers'))
    )
    op.create_table('x12_acks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_x12_acks_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_x12_acks'))
    )
    with op.batch_alter_table('x12_acks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_x12_acks_message_id'), ['message_id'], unique=False)

    op.create_table('x12_interchanges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sender', sa.String(length=40), nullable=False),
    sa.Column('control_number', sa.String(length=9), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('accepted_sets', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_x12_interchanges_message_id_inbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_x12_interchanges')),
    sa.UniqueConstraint('sender', 'control_number', name=op.f('uq_x12_interchanges_sender_control_number'))
    )
    with op.batch_alter_table('x12_interchanges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_x12_interchanges_message_id'), ['message_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('x12_interchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_x12_interchanges_message_id'))

    op.drop_table('x12_interchanges')
    with op.batch_alter_table('x12_acks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_x12_acks_message_id'))

    op.drop_table('x12_acks')
    op.drop_table('x12_control_numbers')
