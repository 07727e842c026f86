"""Tables for stored planning: threshold versions, classifications and their proposals, forecast
runs with their forecasts, accuracy, buffers and scorecards, planner overrides, publications.

Figures are floats (double precision): they are statistics, not money, and bulk inserts of
floats are several times faster than of decimals. Result rows are keyed by ``run_id`` so a
run is immutable once written (except the consensus cells an override updates in the latest
run, see ``gateway.planning.collaboration``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, Id, UTCDateTime, utcnow

Class = String(20)


class ThresholdVersionRow(Base):
    """One version of the segmentation thresholds; the highest id is the one in force."""

    __tablename__ = "plan_threshold_versions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(80), unique=True)
    values: Mapped[dict[str, Any]]
    auto_apply_max_changes: Mapped[int]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class ClassificationRow(Base):
    """The classification in force for an item (the last applied change)."""

    __tablename__ = "plan_classifications"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    abc_volume: Mapped[str] = mapped_column(Class)
    abc_margin: Mapped[str] = mapped_column(Class)
    xyz: Mapped[str] = mapped_column(Class)
    demand_pattern: Mapped[str] = mapped_column(Class)
    lifecycle: Mapped[str] = mapped_column(Class)
    segment: Mapped[str] = mapped_column(String(40))  # e.g. "AX-smooth"
    reason: Mapped[str] = mapped_column(Text)
    thresholds_version: Mapped[str] = mapped_column(String(80))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_proposals.id"))
    applied_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProposalRow(Base):
    """A classification run's proposal: applied automatically, pending, approved or rejected."""

    __tablename__ = "plan_proposals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    thresholds_version: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), index=True)
    item_count: Mapped[int]
    change_count: Mapped[int]
    changed_items: Mapped[int]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")


class ProposalChangeRow(Base):
    """One item's class change on one dimension, with the measured reason."""

    __tablename__ = "plan_proposal_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("plan_proposals.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(Id)
    dimension: Mapped[str] = mapped_column(String(20))
    from_class: Mapped[str] = mapped_column(Class)
    to_class: Mapped[str] = mapped_column(Class)
    reason: Mapped[str] = mapped_column(Text)
    volume_share: Mapped[float]


class BoundaryAlertRow(Base):
    """An item within ``near_boundary`` of a cut-off when a proposal was computed."""

    __tablename__ = "plan_boundary_alerts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("plan_proposals.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(Id)
    measures: Mapped[str] = mapped_column(String(80))  # e.g. "xyz,cv2"
    reason: Mapped[str] = mapped_column(Text)


class OverrideRow(Base):
    """A planner's forecast override for one cell; the newest per cell is in force."""

    __tablename__ = "plan_overrides"
    __table_args__ = (Index("ix_plan_overrides_cell", "item_id", "location_id", "period_start"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    quantity: Mapped[float]
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ForecastRunRow(Base):
    """One recompute: when, by whom, for which as-of date, and how long each step took."""

    __tablename__ = "plan_runs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(12), index=True)
    horizon: Mapped[int]
    series_count: Mapped[int]
    timings: Mapped[dict[str, Any]]
    note: Mapped[str] = mapped_column(Text, default="")


def _run() -> Mapped[int]:
    return mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), primary_key=True)


class ForecastSeriesRow(Base):
    """Per run and item-location: the method chosen and its holdout accuracy."""

    __tablename__ = "plan_forecast_series"
    run_id: Mapped[int] = _run()
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    location_id: Mapped[str] = mapped_column(Id, primary_key=True)
    segment_id: Mapped[str] = mapped_column(Id)
    method: Mapped[str] = mapped_column(String(40))
    mase: Mapped[float | None]
    wape: Mapped[float | None]
    bias: Mapped[float | None]


class ForecastCellRow(Base):
    """Per run, item-location and period: statistical forecast, interval and consensus."""

    __tablename__ = "plan_forecasts"
    run_id: Mapped[int] = _run()
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    location_id: Mapped[str] = mapped_column(Id, primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    stat: Mapped[float]
    lo80: Mapped[float]
    hi80: Mapped[float]
    lo95: Mapped[float]
    hi95: Mapped[float]
    committed: Mapped[float | None]  # the suppliers' commit spread over locations
    override: Mapped[float | None]
    consensus: Mapped[float]
    constrained: Mapped[float]
    source: Mapped[str] = mapped_column(String(10))


class BufferRow(Base):
    """Per run and item-location: the buffer policy from the segment's service target."""

    __tablename__ = "plan_buffers"
    run_id: Mapped[int] = _run()
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    location_id: Mapped[str] = mapped_column(Id, primary_key=True)
    service_level: Mapped[float]
    measure: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))  # normal or bootstrap
    demand_mean: Mapped[float]
    demand_sd: Mapped[float]
    lead_time_weeks: Mapped[float]
    lead_time_sd_weeks: Mapped[float]
    review_weeks: Mapped[float]
    safety_stock: Mapped[float]
    reorder_point: Mapped[float]
    order_up_to: Mapped[float]
    expected_on_hand: Mapped[float]


class ScorecardRow(Base):
    """Per run, supplier, segment and month: the delivery scorecard with trend and peer rank."""

    __tablename__ = "plan_scorecards"
    run_id: Mapped[int] = _run()
    supplier_id: Mapped[str] = mapped_column(Id, primary_key=True)
    segment_id: Mapped[str] = mapped_column(Id, primary_key=True)
    period: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lines: Mapped[int]
    on_time: Mapped[float | None]
    in_full: Mapped[float | None]
    otif: Mapped[float | None]
    fill_rate: Mapped[float | None]
    asn_accuracy: Mapped[float | None]
    quality: Mapped[float | None]
    commit_reliability: Mapped[float | None]
    score: Mapped[float | None]
    rank: Mapped[int]
    peer_count: Mapped[int]
    tier: Mapped[str] = mapped_column(String(20))
    otif_trend: Mapped[float | None]


class PublicationRow(Base):
    """A consensus forecast queued to a supplier as an 830, with its outbox delivery."""

    __tablename__ = "plan_publications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    schedule_id: Mapped[str] = mapped_column(Id)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("sync_outbox.id"))
    line_count: Mapped[int]
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
