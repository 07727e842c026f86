# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field and mutation decorators as returning Any)
"""Master data in the graph: segments and their planning policy, items, suppliers, locations,
with their stored planning results (``Item.forecasts``, ``Item.buffer``,
``Supplier.scorecard``, ``Segment.atRisk``; the types are in ``planning_types``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLError

from gateway.graphql.context import GraphInfo
from gateway.graphql.filters import findings as finding_where
from gateway.graphql.filters import items as item_where
from gateway.graphql.inputs import FindingFilter, ItemFilter
from gateway.graphql.pagination import DEFAULT_PAGE, Connection, connection_of_list
from gateway.graphql.permissions import can, can_any, can_quietly, first_scope
from gateway.graphql.planning_types import (
    ItemBuffer,
    LocationForecast,
    ScorecardMonth,
    SegmentHealth,
    buffer_of,
    forecasts_of,
    scorecard_of,
)
from gateway.store.quality_tables import FindingRow

if TYPE_CHECKING:
    from gateway.graphql.documents import Finding, PurchaseOrderLine

MAX_WEEKS = 26
MAX_MONTHS = 24
Findings = Annotated["Finding", strawberry.lazy("gateway.graphql.documents")]
OrderLines = Annotated["PurchaseOrderLine", strawberry.lazy("gateway.graphql.documents")]


@strawberry.type(description="How a segment is planned (master data: Segment.planning_policy).")
class PlanningPolicy:
    forecast_methods: list[str] = strawberry.field(
        description="Forecast methods the automatic selection may choose from."
    )
    review_cycle_days: int
    service_measure: str = strawberry.field(description="cycle or fill_rate.")
    forecast_variance_threshold: float
    forecast_accuracy_target: float = strawberry.field(description="1 - WAPE target.")


@strawberry.type(description="A product/customer segment with its service target and policy.")
class Segment:
    id: strawberry.ID
    name: str
    description: str
    service_level_target: float
    policy: PlanningPolicy

    @classmethod
    def of(cls, row: Any) -> Segment:
        policy = dict(row.planning_policy or {})
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            description=row.description,
            service_level_target=row.service_level_target,
            policy=PlanningPolicy(
                forecast_methods=list(policy.get("forecast_methods", [])),
                review_cycle_days=int(policy.get("review_cycle_days", 7)),
                service_measure=str(policy.get("service_measure", "cycle")),
                forecast_variance_threshold=float(policy.get("forecast_variance_threshold", 0.25)),
                forecast_accuracy_target=float(policy.get("forecast_accuracy_target", 0.7)),
            ),
        )

    @strawberry.field(description="Items of the segment in the caller's scope (counted in SQL).")
    async def item_count(self, info: GraphInfo) -> int:
        count: int = await info.context.loaders.segment_item_count().load(str(self.id))
        return count

    @strawberry.field
    async def items(
        self,
        info: GraphInfo,
        filter: ItemFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Item]:
        loader = info.context.loaders.segment_items(repr(filter), item_where(filter))
        rows = await loader.load(str(self.id))
        return connection_of_list(rows, first, after, Item.of)

    @strawberry.field(description="Suppliers serving the segment, with their role there.")
    async def suppliers(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[SupplierRole]:
        pairs = await info.context.loaders.segment_suppliers().load(str(self.id))
        roles = [SupplierRole(supplier=Supplier.of(s), role=role) for s, role in pairs]
        return connection_of_list(roles, first, after)

    @strawberry.field(extensions=[can("finding")])
    async def findings(
        self,
        info: GraphInfo,
        filter: FindingFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Findings]:
        return await _findings(info, FindingRow.segment_id, str(self.id), filter, first, after)

    @strawberry.field(
        description="Open and acknowledged findings (counted in SQL).",
        extensions=[can_quietly("finding")],
    )
    async def open_finding_count(self, info: GraphInfo) -> int | None:
        loader = info.context.loaders.open_findings(FindingRow.segment_id)
        count: int = await loader.load(str(self.id))
        return count

    @strawberry.field(
        description="Segment health: items whose projected position (on hand + open orders due "
        "in the window - consensus forecast over the window) falls below their safety stock "
        "within `weeks` weeks (1 to 26), worst shortfall first. One SQL statement per batch of "
        "segments, remembered until its inputs change.",
        extensions=[can("buffer")],
    )
    async def at_risk(self, info: GraphInfo, weeks: int = 4) -> SegmentHealth:
        if not 1 <= weeks <= MAX_WEEKS:
            raise GraphQLError(f"weeks must be 1 to {MAX_WEEKS}, got {weeks}")
        rows = await info.context.loaders.at_risk(weeks).load(str(self.id))
        return SegmentHealth(weeks=weeks, _rows=rows)


async def _findings(
    info: GraphInfo, column: Any, key: str, f: FindingFilter | None, first: int, after: str | None
) -> Connection[Any]:
    from gateway.graphql.documents import Finding

    loader = info.context.loaders.findings_by(column, repr(f), finding_where(f))
    rows = await loader.load(key)
    return connection_of_list(rows, first, after, Finding.of)


@strawberry.type(description="One supplier's supply of an item.")
class ItemSource:
    supplier_id: strawberry.ID
    vendor_item: str | None
    share: float
    lead_time_days: int
    is_primary: bool

    @strawberry.field(description="Null when the supplier is outside the caller's scope.")
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        row = await info.context.loaders.supplier().load(str(self.supplier_id))
        return None if row is None else Supplier.of(row)


@strawberry.type
class Item:
    id: strawberry.ID
    description: str
    family: str
    segment_id: strawberry.ID
    lifecycle_stage: str
    uom: str
    lead_time_days: int
    critical: bool
    sources: list[ItemSource]

    @classmethod
    def of(cls, row: Any) -> Item:
        return cls(
            id=strawberry.ID(row.id),
            description=row.description,
            family=row.family,
            segment_id=strawberry.ID(row.segment_id),
            lifecycle_stage=row.lifecycle_stage,
            uom=row.uom,
            lead_time_days=row.lead_time_days,
            critical=row.critical,
            sources=[
                ItemSource(
                    supplier_id=strawberry.ID(s.supplier_id),
                    vendor_item=s.vendor_item,
                    share=s.share,
                    lead_time_days=s.lead_time_days,
                    is_primary=s.is_primary,
                )
                for s in row.sources
            ],
        )

    @strawberry.field
    async def segment(self, info: GraphInfo) -> Segment | None:
        row = await info.context.loaders.segment().load(str(self.segment_id))
        return None if row is None else Segment.of(row)

    @strawberry.field(
        description="Purchase order lines for the item, oldest order first; openOnly keeps "
        "lines with quantity not yet received (good receipts, in SQL).",
        extensions=[can("purchase_order")],
    )
    async def purchase_order_lines(
        self,
        info: GraphInfo,
        open_only: bool = False,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[OrderLines]:
        from gateway.graphql.documents import PurchaseOrderLine

        lines = await info.context.loaders.item_order_lines(open_only).load(str(self.id))
        return connection_of_list(lines, first, after, PurchaseOrderLine.of)

    @strawberry.field(
        description="The newest run's forecast per location (statistical with 80/95 % "
        "intervals, supplier commit, override, consensus) with the method and its holdout "
        "accuracy; `weeks` keeps the first periods. Suppliers that co-create see the items "
        "they supply.",
        extensions=[can_any("forecast", "consensus_forecast")],
    )
    async def forecasts(
        self, info: GraphInfo, location_id: strawberry.ID | None = None, weeks: int | None = None
    ) -> list[LocationForecast] | None:
        if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
            raise GraphQLError(f"weeks must be 1 to {MAX_WEEKS}, got {weeks}")
        scope = first_scope(info.context, "forecast", "consensus_forecast")
        cells, series = await info.context.loaders.forecasts(scope).load(str(self.id))
        location = None if location_id is None else str(location_id)
        return forecasts_of(cells, series, location, weeks)

    @strawberry.field(
        description="Safety stock, reorder point, order-up-to and service level from the "
        "newest run (totals over locations, and per location); null before a run.",
        extensions=[can("buffer")],
    )
    async def buffer(self, info: GraphInfo) -> ItemBuffer | None:
        return buffer_of(await info.context.loaders.buffers().load(str(self.id)))


@strawberry.type(description="A segment a supplier serves, and its collaboration role there.")
class SupplierSegment:
    segment_id: strawberry.ID
    role: str

    @strawberry.field
    async def segment(self, info: GraphInfo) -> Segment | None:
        row = await info.context.loaders.segment().load(str(self.segment_id))
        return None if row is None else Segment.of(row)


@strawberry.type
class Supplier:
    id: strawberry.ID
    name: str
    tier: str
    country: str
    edi_capable: bool
    _segments: strawberry.Private[list[SupplierSegment]]

    @classmethod
    def of(cls, row: Any) -> Supplier:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            tier=row.tier,
            country=row.country,
            edi_capable=row.edi_capable,
            _segments=[
                SupplierSegment(segment_id=strawberry.ID(s.segment_id), role=s.role)
                for s in row.segments
            ],
        )

    @strawberry.field(description="The segments it serves that the caller may see.")
    def segments(self, info: GraphInfo) -> list[SupplierSegment]:
        scope = info.context.scope("segment")
        return [s for s in self._segments if scope.allows_segment(str(s.segment_id))]

    @strawberry.field(description="Items it supplies, in the caller's scope.")
    async def items(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Item]:
        rows = await info.context.loaders.supplier_items().load(str(self.id))
        return connection_of_list(rows, first, after, Item.of)

    @strawberry.field(extensions=[can("finding")])
    async def findings(
        self,
        info: GraphInfo,
        filter: FindingFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Findings]:
        return await _findings(info, FindingRow.supplier_id, str(self.id), filter, first, after)

    @strawberry.field(
        description="Open and acknowledged findings (counted in SQL).",
        extensions=[can_quietly("finding")],
    )
    async def open_finding_count(self, info: GraphInfo) -> int | None:
        loader = info.context.loaders.open_findings(FindingRow.supplier_id)
        count: int = await loader.load(str(self.id))
        return count

    @strawberry.field(
        description="Delivery scorecard of the newest run: the newest `months` months (1 to "
        "24) per segment in the caller's scope, newest first, with OTIF trend and peer rank. "
        "A supplier sees its own only.",
        extensions=[can("scorecard")],
    )
    async def scorecard(
        self, info: GraphInfo, segment_id: strawberry.ID | None = None, months: int = 1
    ) -> list[ScorecardMonth] | None:
        if not 1 <= months <= MAX_MONTHS:
            raise GraphQLError(f"months must be 1 to {MAX_MONTHS}, got {months}")
        segment = None if segment_id is None else str(segment_id)
        rows = await info.context.loaders.scorecards(segment, months).load(str(self.id))
        return scorecard_of(rows)


@strawberry.type(description="A supplier as seen from a segment: with its role there.")
class SupplierRole:
    supplier: Supplier
    role: str


@strawberry.type
class Location:
    id: strawberry.ID
    name: str
    kind: str
    country: str

    @classmethod
    def of(cls, row: Any) -> Location:
        return cls(id=strawberry.ID(row.id), name=row.name, kind=row.kind, country=row.country)
