"""The smallest canonical documents and master data the rule tests need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from gateway.model import (
    AcknowledgmentType,
    CapacityCommit,
    Channel,
    CommitLine,
    Envelope,
    ForecastBucket,
    ForecastCommit,
    ForecastKind,
    ForecastPeriod,
    InventoryLine,
    InventoryPosition,
    Item,
    ItemSource,
    LifecycleStage,
    LineItemStatus,
    Location,
    PlanningPolicy,
    PlanningSchedule,
    PlanningScheduleLine,
    Provenance,
    PurchaseOrder,
    PurchaseOrderAcknowledgment,
    PurchaseOrderAcknowledgmentLine,
    PurchaseOrderLine,
    Purpose,
    Receipt,
    ReceiptLine,
    Segment,
    ShipNotice,
    ShipNoticeLine,
    Supplier,
    SupplierSegment,
    SupplierTier,
)
from quality import Finding, MasterFrames, QualityConfig, build_frames, master_frames, run_rules
from quality.rules import RULES

DAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 20, 12, 0)


def segments() -> list[Segment]:
    return [
        Segment(
            id="FAST",
            name="Fast",
            service_level_target=0.98,
            planning_policy=PlanningPolicy(forecast_variance_threshold=0.15),
        ),
        Segment(
            id="SPARE",
            name="Spare",
            service_level_target=0.9,
            planning_policy=PlanningPolicy(forecast_variance_threshold=0.5),
        ),
    ]


def item(item_id: str, segment: str = "FAST", supplier: str = "SUP1") -> Item:
    return Item(
        id=item_id,
        segment_id=segment,
        lifecycle_stage=LifecycleStage.MATURITY,
        lead_time_days=14,
        sources=[ItemSource(supplier_id=supplier, lead_time_days=14)],
    )


def master() -> MasterFrames:
    suppliers = [
        Supplier(
            id="SUP1",
            name="One",
            tier=SupplierTier.STRATEGIC,
            segments=[SupplierSegment(segment_id="FAST")],
        ),
        Supplier(
            id="SUP2",
            name="Two",
            tier=SupplierTier.APPROVED,
            segments=[SupplierSegment(segment_id="SPARE")],
        ),
    ]
    items = [item("A"), item("B"), item("C"), item("S", "SPARE", "SUP2")]
    locations = [Location(id="DC1", name="DC one")]
    return master_frames(segments(), suppliers, items, locations)


def po(
    number: str = "PO1",
    lines: Sequence[tuple[str, str, float]] = (("1", "A", 100),),
    *,
    supplier: str = "SUP1",
    requested: dt.date = DAY,
    purpose: Purpose = Purpose.ORIGINAL,
    price: float = 2.5,
    uom: str = "EA",
    order_date: dt.date = DAY - dt.timedelta(days=14),
) -> PurchaseOrder:
    return PurchaseOrder(
        po_number=number,
        purpose=purpose,
        order_date=order_date,
        supplier_id=supplier,
        lines=[
            PurchaseOrderLine(
                line_number=n,
                buyer_item=i,
                quantity=Decimal(str(q)),
                uom=uom,
                unit_price=Decimal(str(price)),
                requested_date=requested,
            )
            for n, i, q in lines
        ],
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


AckLine = tuple[str, str, float | None, float | None, dt.date | None]
"""line number, status, acknowledged quantity, unit price, scheduled date"""


def ack(
    number: str = "PO1",
    lines: Sequence[AckLine] = (("1", "accepted", None, None, None),),
    *,
    status: str = "accepted",
    supplier: str = "SUP1",
    purpose: Purpose = Purpose.ORIGINAL,
    uom: str | None = None,
) -> PurchaseOrderAcknowledgment:
    def decimal(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return PurchaseOrderAcknowledgment(
        po_number=number,
        purpose=purpose,
        status=AcknowledgmentType(status),
        acknowledgment_date=DAY - dt.timedelta(days=12),
        supplier_id=supplier,
        lines=[
            PurchaseOrderAcknowledgmentLine(
                line_number=n,
                status=LineItemStatus(s),
                quantity=decimal(q),
                uom=uom,
                unit_price=decimal(p),
                scheduled_date=d,
            )
            for n, s, q, p, d in lines
        ],
        provenance=Provenance(channel=Channel.API, partner_id=supplier),
    )


def asn(
    shipment: str = "SH1",
    lines: Sequence[tuple[str | None, str | None, str, float]] = (("PO1", "1", "A", 100),),
    *,
    supplier: str = "SUP1",
    ship: dt.date = DAY - dt.timedelta(days=2),
    expected: dt.date | None = DAY,
    uom: str = "EA",
    envelope: Envelope | None = None,
    purpose: Purpose = Purpose.ORIGINAL,
) -> ShipNotice:
    return ShipNotice(
        shipment_id=shipment,
        purpose=purpose,
        ship_date=ship,
        expected_delivery=expected,
        supplier_id=supplier,
        envelope=envelope,
        lines=[
            ShipNoticeLine(
                po_number=p, line_number=n, buyer_item=i, quantity=Decimal(str(q)), uom=uom
            )
            for p, n, i, q in lines
        ],
        provenance=Provenance(channel=Channel.API, partner_id=supplier),
    )


def receipt(
    number: str = "RC1",
    shipment: str | None = "SH1",
    lines: Sequence[tuple[str, str, str, float, float]] = (("PO1", "1", "A", 100, 0),),
    *,
    received: dt.date = DAY,
    location: str = "DC1",
) -> Receipt:
    return Receipt(
        receipt_id=number,
        received_date=received,
        location_id=location,
        shipment_id=shipment,
        lines=[
            ReceiptLine(
                po_number=p,
                line_number=n,
                buyer_item=i,
                quantity_received=Decimal(str(q)),
                quantity_rejected=Decimal(str(r)),
                uom="EA",
            )
            for p, n, i, q, r in lines
        ],
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def inventory(
    report: str,
    on_hand: dict[str, float],
    *,
    by: str = "internal",
    supplier: str | None = None,
    as_of: dt.date = DAY,
    location: str = "DC1",
) -> InventoryPosition:
    partner = supplier if by == "supplier" and supplier else "ERP"
    return InventoryPosition(
        report_id=report,
        as_of=as_of,
        location_id=location,
        reported_by=by,  # type: ignore[arg-type]
        supplier_id=supplier,
        lines=[
            InventoryLine(buyer_item=i, quantity_on_hand=Decimal(str(q)), uom="EA")
            for i, q in on_hand.items()
        ],
        provenance=Provenance(channel=Channel.API, partner_id=partner),
    )


def schedule(
    schedule_id: str = "FC1",
    weekly: dict[str, float] | None = None,
    *,
    supplier: str = "SUP1",
    weeks: int = 4,
    start: dt.date = DAY,
) -> PlanningSchedule:
    weekly = weekly if weekly is not None else {"A": 100}
    return PlanningSchedule(
        schedule_id=schedule_id,
        horizon_start=start,
        horizon_end=start + dt.timedelta(weeks=weeks, days=-1),
        supplier_id=supplier,
        lines=[
            PlanningScheduleLine(
                buyer_item=i,
                uom="EA",
                forecasts=[
                    ForecastBucket(
                        quantity=Decimal(str(q)),
                        kind=ForecastKind.PLANNING,
                        period=ForecastPeriod.WEEKLY,
                        start=start + dt.timedelta(weeks=w),
                    )
                    for w in range(weeks)
                ],
            )
            for i, q in weekly.items()
        ],
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def _commit_lines(weekly: dict[str, float], weeks: int, start: dt.date) -> list[CommitLine]:
    return [
        CommitLine(
            buyer_item=i,
            period_start=start + dt.timedelta(weeks=w),
            quantity=Decimal(str(q)),
            uom="EA",
        )
        for i, q in weekly.items()
        for w in range(weeks)
    ]


def forecast_commit(
    commit_id: str = "FCC1",
    weekly: dict[str, float] | None = None,
    *,
    schedule_id: str | None = "FC1",
    supplier: str = "SUP1",
    weeks: int = 4,
    start: dt.date = DAY,
) -> ForecastCommit:
    return ForecastCommit(
        commit_id=commit_id,
        schedule_id=schedule_id,
        issued_date=start,
        supplier_id=supplier,
        lines=_commit_lines(weekly if weekly is not None else {"A": 100}, weeks, start),
        provenance=Provenance(channel=Channel.API, partner_id=supplier),
    )


def capacity_commit(
    commit_id: str = "CAP1",
    weekly: dict[str, float] | None = None,
    *,
    supplier: str = "SUP1",
    weeks: int = 4,
    start: dt.date = DAY,
) -> CapacityCommit:
    return CapacityCommit(
        commit_id=commit_id,
        issued_date=start,
        supplier_id=supplier,
        lines=_commit_lines(weekly if weekly is not None else {"A": 100}, weeks, start),
        provenance=Provenance(channel=Channel.API, partner_id=supplier),
    )


def envelope(control: int, sender: str = "SUP1") -> Envelope:
    return Envelope(
        sender_id=sender,
        receiver_id="BUYER",
        interchange_control_number=f"{control:09d}",
        group_control_number=str(control),
        transaction_set_control_number="0001",
        version="004010",
    )


def findings(
    docs: Sequence[BaseModel],
    code: str | Sequence[str],
    *,
    now: dt.datetime = NOW,
    config: QualityConfig | None = None,
    master_data: MasterFrames | None = None,
) -> list[Finding]:
    """What one rule (or several) finds in these documents."""
    config = config or QualityConfig.for_segments(segments())
    data = master_data if master_data is not None else master()
    codes = [code] if isinstance(code, str) else list(code)
    return run_rules(build_frames(docs), data, config, now, [RULES[c] for c in codes])


def one(docs: Sequence[BaseModel], code: str, **kwargs: Any) -> Finding:
    """The single finding one rule raises on these documents."""
    found = findings(docs, code, **kwargs)
    assert len(found) == 1, [f.message for f in found]
    return found[0]
