# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field and mutation decorators as returning Any)
"""Documents in the graph: purchase orders, ship notices, planning schedules (with the lines
the caller may see), quality findings and partner sync health."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.context import GraphInfo
from gateway.graphql.inputs import FindingSeverity, FindingState, OrderStatus
from gateway.graphql.master import Item, Segment, Supplier
from gateway.graphql.pagination import DEFAULT_PAGE, Connection, connection_of_list
from gateway.graphql.permissions import can


async def _item(info: GraphInfo, item_id: str | None) -> Item | None:
    if item_id is None:
        return None
    row = await info.context.loaders.item().load(item_id)
    return None if row is None else Item.of(row)


async def _supplier(info: GraphInfo, supplier_id: str | None) -> Supplier | None:
    if supplier_id is None:
        return None
    row = await info.context.loaders.supplier().load(supplier_id)
    return None if row is None else Supplier.of(row)


@strawberry.type
class PurchaseOrderLine:
    line_number: str
    quantity: Decimal
    uom: str
    unit_price: Decimal | None
    buyer_item: str | None
    vendor_item: str | None
    requested_date: dt.date | None
    po_number: str
    received_quantity: Decimal = strawberry.field(
        description="Good quantity received against this order and item (received - rejected)."
    )
    _order_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: Any) -> PurchaseOrderLine:
        """From a row of ``fetch.po_lines_of_*``: line columns, po_number and received."""
        return cls(
            line_number=row.line_number,
            quantity=row.quantity,
            uom=row.uom,
            unit_price=row.unit_price,
            buyer_item=row.buyer_item,
            vendor_item=row.vendor_item,
            requested_date=row.requested_date,
            po_number=row.po_number,
            received_quantity=Decimal(str(row.received)),
            _order_id=row.document_id,
        )

    @strawberry.field(description="Quantity still to receive (never below zero).")
    def open_quantity(self) -> Decimal:
        return max(self.quantity - self.received_quantity, Decimal(0))

    @strawberry.field
    async def item(self, info: GraphInfo) -> Item | None:
        return await _item(info, self.buyer_item)

    @strawberry.field
    async def purchase_order(self, info: GraphInfo) -> PurchaseOrder | None:
        row = await info.context.loaders.order().load(self._order_id)
        return None if row is None else PurchaseOrder.of(row)


@strawberry.type
class PurchaseOrder:
    id: strawberry.ID
    po_number: str
    purpose: str
    order_type: str | None
    order_date: dt.date
    currency: str | None
    supplier_id: strawberry.ID | None
    partner_id: str
    channel: str
    received_at: dt.datetime | None

    @classmethod
    def of(cls, row: Any) -> PurchaseOrder:
        return cls(
            id=strawberry.ID(str(row.id)),
            po_number=row.po_number,
            purpose=row.purpose,
            order_type=row.order_type,
            order_date=row.order_date,
            currency=row.currency,
            supplier_id=None if row.supplier_id is None else strawberry.ID(row.supplier_id),
            partner_id=row.partner_id,
            channel=row.channel,
            received_at=row.received_at,
        )

    async def _lines(self, info: GraphInfo) -> list[PurchaseOrderLine]:
        rows = await info.context.loaders.order_lines().load(int(self.id))
        return [PurchaseOrderLine.of(x) for x in rows]

    @strawberry.field(description="The lines the caller may see (its segments' items).")
    async def lines(self, info: GraphInfo) -> list[PurchaseOrderLine]:
        return await self._lines(info)

    @strawberry.field(description="OPEN while a visible line has quantity not received.")
    async def status(self, info: GraphInfo) -> OrderStatus:
        lines = await self._lines(info)
        still = any(line.open_quantity() > 0 for line in lines)
        return OrderStatus.OPEN if still else OrderStatus.CLOSED

    @strawberry.field
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        return await _supplier(info, self.supplier_id)

    @strawberry.field(
        description="Ship notices with a line against this order.",
        extensions=[can("ship_notice")],
    )
    async def ship_notices(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[ShipNotice]:
        rows = await info.context.loaders.notices_of_order().load(self.po_number)
        return connection_of_list(rows, first, after, ShipNotice.of)


@strawberry.type
class ShipNoticeLine:
    po_number: str | None
    line_number: str | None
    buyer_item: str | None
    vendor_item: str | None
    quantity: Decimal
    uom: str
    sscc: str | None
    lot: str | None

    @classmethod
    def of(cls, row: Any) -> ShipNoticeLine:
        return cls(
            po_number=row.po_number,
            line_number=row.line_number,
            buyer_item=row.buyer_item,
            vendor_item=row.vendor_item,
            quantity=row.quantity,
            uom=row.uom,
            sscc=row.sscc,
            lot=row.lot,
        )

    @strawberry.field
    async def item(self, info: GraphInfo) -> Item | None:
        return await _item(info, self.buyer_item)


@strawberry.type
class ShipNotice:
    id: strawberry.ID
    shipment_id: str
    purpose: str
    ship_date: dt.date
    expected_delivery: dt.date | None
    carrier: str | None
    bill_of_lading: str | None
    supplier_id: strawberry.ID | None

    @classmethod
    def of(cls, row: Any) -> ShipNotice:
        return cls(
            id=strawberry.ID(str(row.id)),
            shipment_id=row.shipment_id,
            purpose=row.purpose,
            ship_date=row.ship_date,
            expected_delivery=row.expected_delivery,
            carrier=row.carrier,
            bill_of_lading=row.bill_of_lading,
            supplier_id=None if row.supplier_id is None else strawberry.ID(row.supplier_id),
        )

    @strawberry.field(description="The lines the caller may see.")
    async def lines(self, info: GraphInfo) -> list[ShipNoticeLine]:
        rows = await info.context.loaders.notice_lines().load(int(self.id))
        return [ShipNoticeLine.of(r) for r in rows]

    @strawberry.field
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        return await _supplier(info, self.supplier_id)

    @strawberry.field(description="Findings about this shipment.", extensions=[can("finding")])
    async def findings(
        self, info: GraphInfo, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Finding]:
        rows = await info.context.loaders.notice_findings().load(self.shipment_id)
        return connection_of_list(rows, first, after, Finding.of)


@strawberry.type
class ForecastBucket:
    quantity: Decimal
    kind: str = strawberry.field(description="firm or planning.")
    period: str
    start: dt.date
    end: dt.date | None


@strawberry.type
class PlanningScheduleLine:
    buyer_item: str | None
    vendor_item: str | None
    uom: str
    _line_id: strawberry.Private[int]

    @strawberry.field
    async def item(self, info: GraphInfo) -> Item | None:
        return await _item(info, self.buyer_item)

    @strawberry.field
    async def forecasts(self, info: GraphInfo) -> list[ForecastBucket]:
        rows = await info.context.loaders.buckets().load(self._line_id)
        return [
            ForecastBucket(
                quantity=r.quantity, kind=r.kind, period=r.period, start=r.start, end=r.end
            )
            for r in rows
        ]


@strawberry.type
class PlanningSchedule:
    id: strawberry.ID
    schedule_id: str
    purpose: str
    horizon_start: dt.date
    horizon_end: dt.date
    issue_date: dt.date | None
    supplier_id: strawberry.ID | None

    @classmethod
    def of(cls, row: Any) -> PlanningSchedule:
        return cls(
            id=strawberry.ID(str(row.id)),
            schedule_id=row.schedule_id,
            purpose=row.purpose,
            horizon_start=row.horizon_start,
            horizon_end=row.horizon_end,
            issue_date=row.issue_date,
            supplier_id=None if row.supplier_id is None else strawberry.ID(row.supplier_id),
        )

    @strawberry.field(description="The lines the caller may see.")
    async def lines(self, info: GraphInfo) -> list[PlanningScheduleLine]:
        rows = await info.context.loaders.schedule_lines().load(int(self.id))
        return [
            PlanningScheduleLine(
                buyer_item=r.buyer_item, vendor_item=r.vendor_item, uom=r.uom, _line_id=r.id
            )
            for r in rows
        ]

    @strawberry.field
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        return await _supplier(info, self.supplier_id)


@strawberry.type(description="A data-quality finding (rule, subject, lifecycle).")
class Finding:
    id: strawberry.ID
    fingerprint: str
    rule: str
    severity: FindingSeverity  # type: ignore[valid-type]
    state: FindingState  # type: ignore[valid-type]
    segment_id: strawberry.ID | None
    supplier_id: strawberry.ID | None
    doc_type: str
    doc_key: str
    line: str | None
    message: str
    values: JSON
    seen_count: int
    owner: str | None
    escalation_level: int
    resolution_note: str | None
    waiver_reason: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    changed_at: dt.datetime | None
    waiver_expires: dt.datetime | None

    @classmethod
    def of(cls, row: Any) -> Finding:
        names = ("fingerprint", "rule", "doc_type", "doc_key", "line", "message", "values")
        times = ("seen_count", "owner", "escalation_level", "resolution_note", "waiver_reason")
        more = ("first_seen", "last_seen", "changed_at", "waiver_expires")
        return cls(
            id=strawberry.ID(str(row.id)),
            severity=FindingSeverity(row.severity),
            state=FindingState(row.state),
            segment_id=row.segment_id,
            supplier_id=row.supplier_id,
            **{name: getattr(row, name) for name in (*names, *times, *more)},
        )

    @strawberry.field
    async def segment(self, info: GraphInfo) -> Segment | None:
        if self.segment_id is None:
            return None
        row = await info.context.loaders.segment().load(str(self.segment_id))
        return None if row is None else Segment.of(row)

    @strawberry.field
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        return await _supplier(info, self.supplier_id)


@strawberry.type
class EndpointBreaker:
    url: str
    state: str = strawberry.field(description="closed, open or half_open.")


@strawberry.type(description="Delivery health of one partner and document type.")
class PartnerHealth:
    partner_id: strawberry.ID
    document_type: str
    primary_url: str | None
    secondary_url: str | None
    active_endpoint: str | None
    breakers: list[EndpointBreaker]
    queue_depth: int
    oldest_pending_age_seconds: float | None
    delivered: int
    dead_letters: int
    last_success_at: dt.datetime | None
    last_failure_at: dt.datetime | None
    last_error: str | None
    attempts_last_hour: int
    failures_last_hour: int
    error_rate_last_hour: float | None
    overdue_acks: int
    problem_acks: int

    @classmethod
    def of(cls, h: Any) -> PartnerHealth:
        fields = dict(h.__dict__)
        fields["breakers"] = [EndpointBreaker(url=u, state=s) for u, s in h.breakers.items()]
        fields["oldest_pending_age_seconds"] = fields.pop("oldest_pending_age_s")
        fields["error_rate_last_hour"] = h.error_rate_last_hour
        return cls(**fields)

    @property
    def unhealthy(self) -> bool:
        return bool(
            self.dead_letters
            or self.queue_depth
            or self.failures_last_hour
            or self.overdue_acks
            or self.problem_acks
            or any(b.state != "closed" for b in self.breakers)
        )

    @strawberry.field(description="The supplier this partner is, when the caller may see it.")
    async def supplier(self, info: GraphInfo) -> Supplier | None:
        return await _supplier(info, str(self.partner_id))
