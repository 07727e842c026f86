"""Master data: segments, suppliers, items, their sources, and locations."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from gateway.model.types import (
    Amount,
    Code,
    CollaborationRole,
    LifecycleStage,
    LocationKind,
    SupplierTier,
    UnitOfMeasure,
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanningPolicy(_Record):
    """How a segment is planned: forecast methods allowed, review cycle, buffer rule."""

    forecast_methods: list[str] = Field(
        default_factory=lambda: ["ses", "holt_damped", "seasonal_naive"],
        description="Forecast methods the automatic selection may choose from.",
    )
    review_cycle_days: int = Field(7, ge=1, le=366)
    service_measure: str = Field("cycle", pattern="^(cycle|fill_rate)$")
    forecast_variance_threshold: float = Field(
        0.25, ge=0, description="Relative gap between forecasts that raises an exception."
    )
    forecast_accuracy_target: float = Field(0.7, ge=0, le=1, description="1 - WAPE target.")


class Segment(_Record):
    """A product/customer segment with its service target and planning policy."""

    id: Code
    name: str
    description: str = ""
    service_level_target: float = Field(..., gt=0, lt=1)
    planning_policy: PlanningPolicy = Field(default_factory=PlanningPolicy)


class SupplierSegment(_Record):
    """A segment a supplier serves, and its collaboration role there."""

    segment_id: Code
    role: CollaborationRole = CollaborationRole.EXECUTION_ONLY


class Supplier(_Record):
    """A supplier, its tier and the segments it serves."""

    id: Code
    name: str
    tier: SupplierTier
    country: str = Field("US", min_length=2, max_length=2)
    segments: list[SupplierSegment] = Field(default_factory=list)
    edi_capable: bool = False


class ItemSource(_Record):
    """One supplier's supply of an item (several make it dual-sourced)."""

    supplier_id: Code
    vendor_item: Code | None = None
    share: float = Field(1.0, ge=0, le=1)
    lead_time_days: int = Field(..., ge=0)
    is_primary: bool = True


class Item(_Record):
    """A product (SKU) with its segment, lifecycle stage, unit and lead time."""

    id: Code  # the buyer's item number (X12 BP / IN)
    description: str = ""
    family: str = ""
    segment_id: Code
    lifecycle_stage: LifecycleStage
    uom: UnitOfMeasure = "EA"
    lead_time_days: int = Field(..., ge=0)
    unit_cost: Amount | None = None
    unit_price: Amount | None = None
    upc: str | None = None
    critical: bool = False
    sources: list[ItemSource] = Field(default_factory=list)


class Location(_Record):
    """A place that holds or ships stock."""

    id: Code
    name: str
    kind: LocationKind = LocationKind.DISTRIBUTION_CENTER
    country: str = Field("US", min_length=2, max_length=2)


class DemandObservation(_Record):
    """Demand (shipments to customers) of an item at a location in one period (a week)."""

    item_id: Code
    location_id: Code
    period_start: dt.date
    quantity: Amount
