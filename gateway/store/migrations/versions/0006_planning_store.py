"""planning store: thresholds, proposals, forecast runs, overrides, publications

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_proposals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('thresholds_version', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('change_count', sa.Integer(), nullable=False),
    sa.Column('changed_items', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_proposals'))
    )
    with op.batch_alter_table('plan_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_proposals_status'), ['status'], unique=False)

    op.create_table('plan_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('series_count', sa.Integer(), nullable=False),
    sa.Column('timings', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_runs'))
    )
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_runs_status'), ['status'], unique=False)

    op.create_table('plan_threshold_versions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('version', sa.String(length=80), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('auto_apply_max_changes', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_threshold_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_plan_threshold_versions_version'))
    )
    op.create_table('plan_boundary_alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('measures', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['plan_proposals.id'], name=op.f('fk_plan_boundary_alerts_proposal_id_plan_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_boundary_alerts'))
    )
    with op.batch_alter_table('plan_boundary_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_boundary_alerts_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('plan_buffers',
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('service_level', sa.Double(), nullable=False),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('demand_mean', sa.Double(), nullable=False),
    sa.Column('demand_sd', sa.Double(), nullable=False),
    sa.Column('lead_time_weeks', sa.Double(), nullable=False),
    sa.Column('lead_time_sd_weeks', sa.Double(), nullable=False),
    sa.Column('review_weeks', sa.Double(), nullable=False),
    sa.Column('safety_stock', sa.Double(), nullable=False),
    sa.Column('reorder_point', sa.Double(), nullable=False),
    sa.Column('order_up_to', sa.Double(), nullable=False),
    sa.Column('expected_on_hand', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_plan_buffers_run_id_plan_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'item_id', 'location_id', name=op.f('pk_plan_buffers'))
    )
    op.create_table('plan_forecast_series',
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('segment_id', sa.String(length=80), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('mase', sa.Double(), nullable=True),
    sa.Column('wape', sa.Double(), nullable=True),
    sa.Column('bias', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_plan_forecast_series_run_id_plan_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'item_id', 'location_id', name=op.f('pk_plan_forecast_series'))
    )
    op.create_table('plan_forecasts',
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('stat', sa.Double(), nullable=False),
    sa.Column('lo80', sa.Double(), nullable=False),
    sa.Column('hi80', sa.Double(), nullable=False),
    sa.Column('lo95', sa.Double(), nullable=False),
    sa.Column('hi95', sa.Double(), nullable=False),
    sa.Column('committed', sa.Double(), nullable=True),
    sa.Column('override', sa.Double(), nullable=True),
    sa.Column('consensus', sa.Double(), nullable=False),
    sa.Column('constrained', sa.Double(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_plan_forecasts_run_id_plan_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'item_id', 'location_id', 'period_start', name=op.f('pk_plan_forecasts'))
    )
    op.create_table('plan_proposal_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('from_class', sa.String(length=20), nullable=False),
    sa.Column('to_class', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('volume_share', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['plan_proposals.id'], name=op.f('fk_plan_proposal_changes_proposal_id_plan_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_proposal_changes'))
    )
    with op.batch_alter_table('plan_proposal_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_proposal_changes_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('plan_publications',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('supplier_id', sa.String(length=80), nullable=False),
    sa.Column('schedule_id', sa.String(length=80), nullable=False),
    sa.Column('delivery_id', sa.String(length=32), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['sync_outbox.id'], name=op.f('fk_plan_publications_delivery_id_sync_outbox')),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_plan_publications_run_id_plan_runs')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_plan_publications_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_publications'))
    )
    with op.batch_alter_table('plan_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_publications_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_publications_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('plan_scorecards',
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('supplier_id', sa.String(length=80), nullable=False),
    sa.Column('segment_id', sa.String(length=80), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Double(), nullable=True),
    sa.Column('in_full', sa.Double(), nullable=True),
    sa.Column('otif', sa.Double(), nullable=True),
    sa.Column('fill_rate', sa.Double(), nullable=True),
    sa.Column('asn_accuracy', sa.Double(), nullable=True),
    sa.Column('quality', sa.Double(), nullable=True),
    sa.Column('commit_reliability', sa.Double(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('peer_count', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('otif_trend', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_plan_scorecards_run_id_plan_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'supplier_id', 'segment_id', 'period', name=op.f('pk_plan_scorecards'))
    )
    op.create_table('plan_classifications',
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('abc_volume', sa.String(length=20), nullable=False),
    sa.Column('abc_margin', sa.String(length=20), nullable=False),
    sa.Column('xyz', sa.String(length=20), nullable=False),
    sa.Column('demand_pattern', sa.String(length=20), nullable=False),
    sa.Column('lifecycle', sa.String(length=20), nullable=False),
    sa.Column('segment', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('thresholds_version', sa.String(length=80), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_plan_classifications_item_id_items')),
    sa.ForeignKeyConstraint(['proposal_id'], ['plan_proposals.id'], name=op.f('fk_plan_classifications_proposal_id_plan_proposals')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_plan_classifications'))
    )
    op.create_table('plan_overrides',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('location_id', sa.String(length=80), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Double(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_plan_overrides_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_plan_overrides_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_overrides'))
    )
    with op.batch_alter_table('plan_overrides', schema=None) as batch_op:
        batch_op.create_index('ix_plan_overrides_cell', ['item_id', 'location_id', 'period_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_overrides_cell')

    op.drop_table('plan_overrides')
    op.drop_table('plan_classifications')
    op.drop_table('plan_scorecards')
    with op.batch_alter_table('plan_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_publications_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_plan_publications_run_id'))

    op.drop_table('plan_publications')
    with op.batch_alter_table('plan_proposal_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_proposal_changes_proposal_id'))

    op.drop_table('plan_proposal_changes')
    op.drop_table('plan_forecasts')
    op.drop_table('plan_forecast_series')
    op.drop_table('plan_buffers')
    with op.batch_alter_table('plan_boundary_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_boundary_alerts_proposal_id'))

    op.drop_table('plan_boundary_alerts')
    op.drop_table('plan_threshold_versions')
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_runs_status'))

    op.drop_table('plan_runs')
    with op.batch_alter_table('plan_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_proposals_status'))

    op.drop_table('plan_proposals')
