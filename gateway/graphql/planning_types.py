# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field decorator as returning Any)
"""Stored planning results in the graph: forecasts with accuracy, buffers, scorecards,
classification proposals, thresholds, and the segment-health answer (items at risk).

Rows come from the newest complete forecast run through the loaders (one statement per batch
of parents); converting them is plain Python, no resolver per value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gateway.graphql.context import GraphInfo
from gateway.graphql.pagination import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Connection,
    connection_of_list,
    connection_of_ranked,
)
from gateway.graphql.planning_fetch import AtRiskRow, shortfall_key

if TYPE_CHECKING:
    from gateway.graphql.master import Item, Supplier

ItemRef = Annotated["Item", strawberry.lazy("gateway.graphql.master")]
SupplierRef = Annotated["Supplier", strawberry.lazy("gateway.graphql.master")]


@strawberry.type(description="One week of an item-location's forecast.")
class ForecastPeriod:
    period_start: dt.date
    statistical: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float
    supplier_commit: float | None = strawberry.field(
        description="The suppliers' commit spread over locations; null without a commit."
    )
    override: float | None = strawberry.field(description="The planner override in force.")
    consensus: float = strawberry.field(description="The override if any, else statistical.")
    source: str = strawberry.field(description="statistical or override.")


@strawberry.type(description="An item-location's forecast: method, holdout accuracy, periods.")
class LocationForecast:
    location_id: strawberry.ID
    method: str | None
    mase: float | None = strawberry.field(description="Scaled by the in-sample naive MAE.")
    wape: float | None
    bias: float | None
    periods: list[ForecastPeriod]


def forecasts_of(
    cells: list[Any], series: list[dict[str, Any]], location: str | None, weeks: int | None
) -> list[LocationForecast]:
    by_location: dict[str, list[ForecastPeriod]] = defaultdict(list)
    for c in cells:
        if location is None or c.location_id == location:
            by_location[c.location_id].append(
                ForecastPeriod(
                    period_start=c.period_start,
                    statistical=c.stat,
                    lo80=c.lo80,
                    hi80=c.hi80,
                    lo95=c.lo95,
                    hi95=c.hi95,
                    supplier_commit=c.committed,
                    override=c.override,
                    consensus=c.consensus,
                    source=c.source,
                )
            )
    accuracy = {s["location_id"]: s for s in series}
    return [
        LocationForecast(
            location_id=strawberry.ID(loc),
            method=accuracy.get(loc, {}).get("method"),
            mase=accuracy.get(loc, {}).get("mase"),
            wape=accuracy.get(loc, {}).get("wape"),
            bias=accuracy.get(loc, {}).get("bias"),
            periods=periods if weeks is None else periods[:weeks],
        )
        for loc, periods in sorted(by_location.items())
    ]


@strawberry.type(description="An item-location's buffer policy from its segment's target.")
class LocationBuffer:
    location_id: strawberry.ID
    service_level: float
    measure: str = strawberry.field(description="cycle or fill_rate.")
    method: str = strawberry.field(description="normal or bootstrap (intermittent demand).")
    demand_mean: float = strawberry.field(description="Per week.")
    demand_sd: float
    lead_time_weeks: float
    lead_time_sd_weeks: float
    review_weeks: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    expected_on_hand: float


@strawberry.type(description="An item's buffers: totals over its locations, and each location.")
class ItemBuffer:
    service_level: float = strawberry.field(description="The target the buffers were sized for.")
    safety_stock: float
    reorder_point: float
    order_up_to: float
    locations: list[LocationBuffer]


def buffer_of(rows: list[dict[str, Any]]) -> ItemBuffer | None:
    if not rows:
        return None
    names = LocationBuffer.__annotations__.keys() - {"location_id"}
    locations = [
        LocationBuffer(location_id=strawberry.ID(r["location_id"]), **{n: r[n] for n in names})
        for r in rows
    ]
    return ItemBuffer(
        service_level=max(b.service_level for b in locations),
        safety_stock=sum(b.safety_stock for b in locations),
        reorder_point=sum(b.reorder_point for b in locations),
        order_up_to=sum(b.order_up_to for b in locations),
        locations=locations,
    )


@strawberry.type(description="A supplier's delivery scorecard in one segment and month.")
class ScorecardMonth:
    segment_id: strawberry.ID
    period: dt.date = strawberry.field(description="First day of the month.")
    lines: int
    on_time: float | None
    in_full: float | None
    otif: float | None
    fill_rate: float | None
    asn_accuracy: float | None
    quality: float | None
    commit_reliability: float | None
    score: float | None
    rank: int = strawberry.field(description="Peer rank in the segment and month (1 = best).")
    peer_count: int
    tier: str
    otif_trend: float | None = strawberry.field(description="OTIF change against the trend.")


def scorecard_of(rows: Sequence[Any]) -> list[ScorecardMonth]:
    """Scorecard rows (the loader kept the months asked for, in order) as the type."""
    names = _SCORECARD_NAMES
    return [
        ScorecardMonth(segment_id=strawberry.ID(r.segment_id), **{n: getattr(r, n) for n in names})
        for r in rows
    ]


_SCORECARD_NAMES = tuple(n for n in ScorecardMonth.__annotations__ if n != "segment_id")


@strawberry.type(description="One item's class change on one dimension, with the reason.")
class ProposalChange:
    item_id: strawberry.ID
    dimension: str
    from_class: str
    to_class: str
    reason: str
    volume_share: float = strawberry.field(description="The item's share of the volume.")


@strawberry.type(description="A classification run's proposal (pending until decided).")
class Proposal:
    id: strawberry.ID
    status: str = strawberry.field(description="pending, applied, approved, rejected, superseded.")
    created_at: dt.datetime
    created_by: str
    thresholds_version: str
    item_count: int
    change_count: int
    changed_items: int
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str

    @classmethod
    def of(cls, row: Any) -> Proposal:
        names = cls.__annotations__.keys() - {"id"}
        return cls(id=strawberry.ID(str(row.id)), **{n: getattr(row, n) for n in names})

    @strawberry.field(description="Its changes on the items in the caller's scope.")
    async def changes(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[ProposalChange]:
        rows = await info.context.loaders.proposal_changes().load(int(self.id))
        return connection_of_list(rows, first, after, _change)


def _change(row: Any) -> ProposalChange:
    return ProposalChange(
        item_id=strawberry.ID(row.item_id),
        dimension=row.dimension,
        from_class=row.from_class,
        to_class=row.to_class,
        reason=row.reason,
        volume_share=row.volume_share,
    )


@strawberry.type(description="The segmentation thresholds in force (the newest version).")
class ThresholdsVersion:
    version: str
    created_by: str
    created_at: dt.datetime
    note: str
    auto_apply_max_changes: int
    values: strawberry.scalars.JSON = strawberry.field(
        description="The cut-offs, as planning_core.SegmentationThresholds."
    )


@strawberry.type(description="An item projected below its safety stock within the window.")
class AtRiskItem:
    item_id: strawberry.ID
    description: str
    locations: int
    on_hand: float = strawberry.field(description="Newest inventory report per location.")
    on_order: float = strawberry.field(description="Open PO quantity due within the window.")
    demand: float = strawberry.field(description="Consensus forecast over the window.")
    safety_stock: float
    reorder_point: float
    projected: float = strawberry.field(description="on hand + on order - demand.")
    shortfall: float = strawberry.field(description="safety stock - projected.")
    stockout: bool = strawberry.field(description="projected below zero.")
    supplier_id: strawberry.ID | None = strawberry.field(description="The primary source.")

    @classmethod
    def of(cls, row: AtRiskRow) -> AtRiskItem:
        return cls(
            item_id=strawberry.ID(row.item_id),
            description=row.description,
            locations=row.locations,
            on_hand=row.on_hand,
            on_order=row.on_order,
            demand=row.demand,
            safety_stock=row.safety_stock,
            reorder_point=row.reorder_point,
            projected=row.projected,
            shortfall=row.shortfall,
            stockout=row.projected < 0,
            supplier_id=None if row.supplier_id is None else strawberry.ID(row.supplier_id),
        )

    @strawberry.field(description="Null when outside the caller's scope.")
    async def supplier(self, info: GraphInfo) -> SupplierRef | None:
        from gateway.graphql.master import Supplier

        if self.supplier_id is None:
            return None
        row = await info.context.loaders.supplier().load(str(self.supplier_id))
        return None if row is None else Supplier.of(row)

    @strawberry.field
    async def item(self, info: GraphInfo) -> ItemRef | None:
        from gateway.graphql.master import Item

        row = await info.context.loaders.item().load(str(self.item_id))
        return None if row is None else Item.of(row)


@strawberry.type(description="Segment health: the items at risk of stockout in the window.")
class SegmentHealth:
    weeks: int
    _rows: strawberry.Private[Sequence[AtRiskRow]]  # every item at risk, worst first

    @strawberry.field(
        description=f"The items at risk, worst shortfall first (then by item id), a page at a "
        f"time ({DEFAULT_PAGE} by default, at most {MAX_PAGE}); `totalCount` counts all of them. "
        "The cursor holds the shortfall and item id, so `after` continues after the last item "
        "seen even if the data changed in between."
    )
    def items(self, first: int = DEFAULT_PAGE, after: str | None = None) -> Connection[AtRiskItem]:
        return connection_of_ranked(
            self._rows, first, after, "shortfall", shortfall_key, AtRiskItem.of
        )

    @strawberry.field(
        description="The primary suppliers of all the items at risk (every page), each once, "
        "in the caller's scope: ask for their scorecard here rather than under every item."
    )
    async def suppliers(self, info: GraphInfo) -> list[SupplierRef]:
        from gateway.graphql.master import Supplier

        ids = sorted({r.supplier_id for r in self._rows if r.supplier_id is not None})
        rows = await info.context.loaders.supplier().load_many(ids)
        return [Supplier.of(row) for row in rows if row is not None]
