# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field and mutation decorators as returning Any)
"""The Query root: scoped lists (keyset-paged in SQL) and single records by key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select, func, select

from gateway.graphql import filters, inputs, scopes
from gateway.graphql.context import GraphInfo
from gateway.graphql.documents import (
    Finding,
    PartnerHealth,
    PlanningSchedule,
    PurchaseOrder,
    ShipNotice,
)
from gateway.graphql.master import Item, Location, Segment, Supplier
from gateway.graphql.pagination import (
    DEFAULT_PAGE,
    Connection,
    SortKey,
    connection_of_list,
    count_of,
    fetch_page,
)
from gateway.graphql.permissions import can
from gateway.graphql.planning_types import Proposal, ThresholdsVersion
from gateway.store.document_tables import (
    PlanningScheduleLineRow,
    PlanningScheduleRow,
    PurchaseOrderLineRow,
    PurchaseOrderRow,
    ShipNoticeLineRow,
    ShipNoticeRow,
)
from gateway.store.planning_tables import ProposalRow
from gateway.store.quality_tables import FindingRow
from gateway.store.sync_health import partner_health
from gateway.store.tables import ItemRow, LocationRow, SegmentRow, SupplierRow, utcnow

SEGMENT_SORT = SortKey("segment.id", SegmentRow.id, SegmentRow.id)
SUPPLIER_SORT = SortKey("supplier.id", SupplierRow.id, SupplierRow.id)
LOCATION_SORT = SortKey("location.id", LocationRow.id, LocationRow.id)
PROPOSAL_SORT = SortKey("proposal.id_desc", ProposalRow.id, ProposalRow.id, True, int)
PROPOSAL_STATUSES = ("pending", "applied", "approved", "rejected", "superseded")


async def _page(
    info: GraphInfo,
    query: Select[Any],
    sort: SortKey,
    first: int,
    after: str | None,
    convert: Callable[[Any], Any],
) -> Connection[Any]:
    context = info.context
    edges, page_info = await context.run(
        lambda s: fetch_page(s, query, sort, first, after, convert)
    )

    async def count() -> int:
        total: int = await context.run(lambda s: count_of(s, query))
        return total

    return Connection(edges=edges, page_info=page_info, _count=count)


@strawberry.type(description="Who the API key is and where it may read segments.")
class Me:
    principal_id: str
    kind: str
    supplier_id: str | None
    key_scopes: list[str]
    segments: list[strawberry.ID] | None = strawberry.field(
        description="The segments it may see; null means every segment."
    )


@strawberry.type(description="Findings per rule, severity and state (counted in SQL).")
class FindingCount:
    rule: str
    severity: inputs.FindingSeverity  # type: ignore[valid-type]
    state: inputs.FindingState  # type: ignore[valid-type]
    count: int


@strawberry.type
class Query:
    @strawberry.field(description="Who this API key is.")
    def me(self, info: GraphInfo) -> Me:
        caller = info.context.require_caller()
        scope = info.context.scope("segment")
        return Me(
            principal_id=caller.principal.id,
            kind=caller.principal.kind.value,
            supplier_id=caller.principal.supplier_id,
            key_scopes=list(caller.key_scopes),
            segments=None if scope.segments is None else sorted(scope.segments),  # type: ignore[arg-type]
        )

    @strawberry.field(extensions=[can("segment")])
    async def segments(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Segment]:
        query = scopes.segments_in(info.context.scope("segment"))
        return await _page(info, query, SEGMENT_SORT, first, after, Segment.of)

    @strawberry.field(extensions=[can("segment")])
    async def segment(self, info: GraphInfo, id: strawberry.ID) -> Segment | None:
        row = await info.context.loaders.segment().load(str(id))
        return None if row is None else Segment.of(row)

    @strawberry.field(extensions=[can("segment")])
    async def items(
        self,
        info: GraphInfo,
        filter: inputs.ItemFilter | None = None,
        sort: inputs.ItemSort = inputs.ItemSort.ID,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Item]:
        scope = info.context.scope("segment")
        query = select(ItemRow).where(scopes.items_where(scope), filters.items(filter))
        return await _page(info, query, filters.ITEM_SORTS[sort], first, after, Item.of)

    @strawberry.field(extensions=[can("segment")])
    async def item(self, info: GraphInfo, id: strawberry.ID) -> Item | None:
        row = await info.context.loaders.item().load(str(id))
        return None if row is None else Item.of(row)

    @strawberry.field(extensions=[can("segment")])
    async def suppliers(
        self,
        info: GraphInfo,
        segment_id: strawberry.ID | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Supplier]:
        scope = info.context.scope("segment")
        query = select(SupplierRow).where(scopes.suppliers_where(scope))
        if segment_id is not None:
            query = query.where(SupplierRow.segments.any(segment_id=str(segment_id)))
        return await _page(info, query, SUPPLIER_SORT, first, after, Supplier.of)

    @strawberry.field(extensions=[can("segment")])
    async def supplier(self, info: GraphInfo, id: strawberry.ID) -> Supplier | None:
        row = await info.context.loaders.supplier().load(str(id))
        return None if row is None else Supplier.of(row)

    @strawberry.field(extensions=[can("segment")])
    async def locations(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Location]:
        return await _page(info, select(LocationRow), LOCATION_SORT, first, after, Location.of)

    @strawberry.field(extensions=[can("purchase_order")])
    async def purchase_orders(
        self,
        info: GraphInfo,
        filter: inputs.PurchaseOrderFilter | None = None,
        sort: inputs.OrderSort = inputs.OrderSort.ORDER_DATE_DESC,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[PurchaseOrder]:
        scope = info.context.scope("purchase_order")
        query = scopes.documents_in(scope, PurchaseOrderRow, PurchaseOrderLineRow)
        query = query.where(filters.orders(filter, scope))
        return await _page(info, query, filters.ORDER_SORTS[sort], first, after, PurchaseOrder.of)

    @strawberry.field(
        description="One purchase order by number (the newest if re-sent).",
        extensions=[can("purchase_order")],
    )
    async def purchase_order(self, info: GraphInfo, po_number: str) -> PurchaseOrder | None:
        scope = info.context.scope("purchase_order")
        query = (
            scopes.documents_in(scope, PurchaseOrderRow, PurchaseOrderLineRow)
            .where(PurchaseOrderRow.po_number == po_number)
            .order_by(PurchaseOrderRow.id.desc())
            .limit(1)
        )
        row = await info.context.run(lambda s: s.scalar(query))
        return None if row is None else PurchaseOrder.of(row)

    @strawberry.field(extensions=[can("ship_notice")])
    async def ship_notices(
        self,
        info: GraphInfo,
        filter: inputs.ShipNoticeFilter | None = None,
        sort: inputs.ShipNoticeSort = inputs.ShipNoticeSort.SHIP_DATE_DESC,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[ShipNotice]:
        scope = info.context.scope("ship_notice")
        query = scopes.documents_in(scope, ShipNoticeRow, ShipNoticeLineRow)
        query = query.where(filters.notices(filter, scope))
        return await _page(info, query, filters.NOTICE_SORTS[sort], first, after, ShipNotice.of)

    @strawberry.field(
        description="Planning schedules (830) sent to suppliers, newest horizon first.",
        extensions=[can("planning_schedule")],
    )
    async def planning_schedules(
        self,
        info: GraphInfo,
        filter: inputs.PlanningScheduleFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[PlanningSchedule]:
        scope = info.context.scope("planning_schedule")
        query = scopes.documents_in(scope, PlanningScheduleRow, PlanningScheduleLineRow)
        query = query.where(filters.schedules(filter, scope))
        return await _page(info, query, filters.SCHEDULE_SORT, first, after, PlanningSchedule.of)

    @strawberry.field(extensions=[can("finding")])
    async def findings(
        self,
        info: GraphInfo,
        filter: inputs.FindingFilter | None = None,
        sort: inputs.FindingSort = inputs.FindingSort.LAST_SEEN_DESC,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Finding]:
        query = scopes.findings_in(info.context.scope("finding")).where(filters.findings(filter))
        return await _page(info, query, filters.FINDING_SORTS[sort], first, after, Finding.of)

    @strawberry.field(extensions=[can("finding")])
    async def finding_summary(
        self, info: GraphInfo, filter: inputs.FindingFilter | None = None
    ) -> list[FindingCount]:
        query = (
            scopes.findings_in(info.context.scope("finding"))
            .where(filters.findings(filter))
            .with_only_columns(FindingRow.rule, FindingRow.severity, FindingRow.state, func.count())
            .group_by(FindingRow.rule, FindingRow.severity, FindingRow.state)
            .order_by(FindingRow.rule, FindingRow.severity, FindingRow.state)
        )
        rows = await info.context.run(lambda s: s.execute(query).all())
        return [
            FindingCount(
                rule=r,
                severity=inputs.FindingSeverity(sev),
                state=inputs.FindingState(st),
                count=int(n),
            )
            for r, sev, st, n in rows
        ]

    @strawberry.field(
        description="Delivery health per partner and document type (as GET "
        "/api/v1/health/partners).",
        extensions=[can("health")],
    )
    async def partner_health(
        self,
        info: GraphInfo,
        filter: inputs.PartnerHealthFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[PartnerHealth]:
        entries = await info.context.run(lambda s: partner_health(s, utcnow()))
        rows = [PartnerHealth.of(h) for h in entries]
        if filter is not None:
            rows = [
                r
                for r in rows
                if (filter.partner_id is None or r.partner_id == filter.partner_id)
                and (filter.document_type is None or r.document_type == filter.document_type)
                and (not filter.only_unhealthy or r.unhealthy)
            ]
        return connection_of_list(rows, first, after)

    @strawberry.field(
        description="Classification proposals, newest first (status: pending, applied, "
        "approved, rejected, superseded); their changes are those on items in scope.",
        extensions=[can("segmentation")],
    )
    async def proposals(
        self,
        info: GraphInfo,
        status: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Proposal]:
        if status is not None and status not in PROPOSAL_STATUSES:
            raise GraphQLError(f"status must be one of {', '.join(PROPOSAL_STATUSES)}")
        query = select(ProposalRow)
        if status is not None:
            query = query.where(ProposalRow.status == status)
        return await _page(info, query, PROPOSAL_SORT, first, after, Proposal.of)

    @strawberry.field(
        description="The segmentation thresholds version in force.",
        extensions=[can("segmentation")],
    )
    async def thresholds(self, info: GraphInfo) -> ThresholdsVersion:
        from gateway.planning import current_thresholds

        version = await info.context.run(current_thresholds)
        return ThresholdsVersion(
            version=version.version,
            created_by=version.created_by,
            created_at=version.created_at,
            note=version.note,
            auto_apply_max_changes=version.auto_apply_max_changes,
            values=version.thresholds.as_dict(),  # type: ignore[arg-type]
        )
