"""The documents every adapter produces, whatever channel they came through.

Field names are a contract shared by the EDI adapter, the REST API and the test tooling; the
X12 element each field usually comes from is noted beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.model.types import (
    AcknowledgmentType,
    Amount,
    Channel,
    Code,
    ForecastKind,
    ForecastPeriod,
    LineItemStatus,
    PartyRole,
    Purpose,
    Quantity,
    UnitOfMeasure,
)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Envelope(_Part):
    """The X12 envelope a document travelled in (absent for non-EDI channels)."""

    sender_id: str  # ISA06
    receiver_id: str  # ISA08
    interchange_control_number: str  # ISA13
    group_control_number: str  # GS06
    transaction_set_control_number: str  # ST02
    version: str  # GS08, e.g. 004010 or 005010


class Provenance(_Part):
    """Where a document came from: channel, sending partner and inbox message."""

    channel: Channel
    partner_id: Code
    message_id: str | None = None
    received_at: dt.datetime | None = None


class Party(_Part):
    """A named party on a document (an X12 N1 loop)."""

    role: PartyRole
    name: str | None = None  # N102
    id_qualifier: str | None = None  # N103
    id: str | None = None  # N104
    address: list[str] = Field(default_factory=list)  # N301/N302
    city: str | None = None  # N401
    region: str | None = None  # N402
    postal_code: str | None = None  # N403
    country: str | None = None  # N404


class Reference(_Part):
    """A qualified reference number (X12 REF)."""

    qualifier: str  # REF01
    value: str  # REF02


class _Document(_Part):
    envelope: Envelope | None = None
    provenance: Provenance | None = None
    supplier_id: Code | None = None
    references: list[Reference] = Field(default_factory=list)


# --- purchase order (850) -------------------------------------------------------------------


class PurchaseOrderLine(_Part):
    line_number: Code  # PO101
    quantity: Quantity  # PO102
    uom: UnitOfMeasure  # PO103
    unit_price: Amount | None = None  # PO104
    buyer_item: str | None = None  # PO1 qualifier BP / IN
    vendor_item: str | None = None  # PO1 qualifier VP
    upc: str | None = None  # PO1 qualifier UP
    description: str | None = None  # PID05
    requested_date: dt.date | None = None  # DTM*002 on the line


class PurchaseOrder(_Document):
    """A purchase order: what the buyer asks a supplier to ship (X12 850)."""

    type: Literal["purchase_order"] = "purchase_order"
    po_number: Code  # BEG03
    purpose: Purpose = Purpose.ORIGINAL  # BEG01
    order_type: str | None = None  # BEG02
    order_date: dt.date  # BEG05
    currency: str | None = Field(None, min_length=3, max_length=3)  # CUR02
    parties: list[Party] = Field(default_factory=list)
    lines: list[PurchaseOrderLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _line_numbers_unique(self) -> PurchaseOrder:
        _require_unique("line_number", [line.line_number for line in self.lines])
        return self


# --- purchase order acknowledgment (855) --------------------------------------------------


_ACK_EXAMPLE: dict[str, Any] = {
    "po_number": "PO25000001",
    "status": "accepted_with_changes",
    "acknowledgment_date": "2025-11-27",
    "lines": [
        {"line_number": "1", "status": "accepted"},
        {"line_number": "2", "status": "changed", "quantity": 200, "uom": "EA",
         "unit_price": 9.95, "scheduled_date": "2025-12-12"},
        {"line_number": "3", "status": "rejected"},
    ],
}  # fmt: skip


class PurchaseOrderAcknowledgmentLine(_Part):
    """The supplier's answer to one PO line: what it confirms, where it differs from the order.

    ``quantity``, ``unit_price`` and ``scheduled_date`` are what the supplier commits to; left
    out, they are as ordered. A ``changed`` line names at least one of them.
    """

    line_number: Code  # PO101, the PO line answered
    status: LineItemStatus  # ACK01: IA accepted, IR rejected, IC/IQ/IP/DR changed
    quantity: Quantity | None = None  # ACK02
    uom: UnitOfMeasure | None = None  # ACK03
    unit_price: Amount | None = None  # PO104 (CTP when priced separately)
    scheduled_date: dt.date | None = None  # ACK05 with ACK04 067/068 (current schedule)
    buyer_item: str | None = None  # PO1 qualifier BP / IN
    vendor_item: str | None = None  # PO1 qualifier VP

    @model_validator(mode="after")
    def _changed_names_the_change(self) -> PurchaseOrderAcknowledgmentLine:
        if self.status is LineItemStatus.CHANGED and (
            self.quantity is None and self.unit_price is None and self.scheduled_date is None
        ):
            raise ValueError("a changed line needs quantity, unit_price or scheduled_date")
        return self


class PurchaseOrderAcknowledgment(_Document):
    """A supplier's answer to a purchase order: accepted, changed or rejected (X12 855)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ACK_EXAMPLE]})

    type: Literal["po_acknowledgment"] = "po_acknowledgment"
    po_number: Code  # BAK03
    purpose: Purpose = Purpose.ORIGINAL  # BAK01
    status: AcknowledgmentType  # BAK02
    order_date: dt.date | None = None  # BAK04, the PO's date
    acknowledgment_date: dt.date  # BAK09
    seller_order_number: str | None = Field(None, max_length=80)  # BAK08
    parties: list[Party] = Field(default_factory=list)
    lines: list[PurchaseOrderAcknowledgmentLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _lines_agree_with_status(self) -> PurchaseOrderAcknowledgment:
        _require_unique("line_number", [line.line_number for line in self.lines])
        if self.status is AcknowledgmentType.ACCEPTED:
            for line in self.lines:
                if line.status is not LineItemStatus.ACCEPTED:
                    raise ValueError(
                        f"status is accepted but line {line.line_number} is {line.status.value}"
                        " (use accepted_with_changes)"
                    )
        return self


# --- ship notice (856) ----------------------------------------------------------------------


class ShipNoticeLine(_Part):
    po_number: str | None = None  # PRF01 of the order level
    line_number: str | None = None  # LIN01 / PO line it ships
    buyer_item: str | None = None  # LIN qualifier BP / IN
    vendor_item: str | None = None  # LIN qualifier VP
    upc: str | None = None  # LIN qualifier UP
    quantity: Quantity  # SN102
    uom: UnitOfMeasure  # SN103
    sscc: str | None = None  # MAN*GM of the enclosing pack
    lot: str | None = None  # LIN qualifier LT


class ShipNotice(_Document):
    """An advance ship notice: what a supplier has shipped, packed how (X12 856)."""

    type: Literal["ship_notice"] = "ship_notice"
    shipment_id: Code  # BSN02
    purpose: Purpose = Purpose.ORIGINAL  # BSN01
    ship_date: dt.date  # DTM*011 (else BSN03)
    expected_delivery: dt.date | None = None  # DTM*017
    carrier: str | None = None  # TD503 (SCAC)
    bill_of_lading: str | None = None  # REF*BM
    parties: list[Party] = Field(default_factory=list)
    lines: list[ShipNoticeLine] = Field(default_factory=list)


# --- planning schedule (830) ----------------------------------------------------------------


class ForecastBucket(_Part):
    quantity: Quantity  # FST01
    kind: ForecastKind  # FST02
    period: ForecastPeriod  # FST03
    start: dt.date  # FST04
    end: dt.date | None = None  # FST05


class PlanningScheduleLine(_Part):
    buyer_item: str | None = None  # LIN qualifier BP / IN
    vendor_item: str | None = None  # LIN qualifier VP
    uom: UnitOfMeasure  # UIT01
    cumulative_received: Quantity | None = None  # SHP*01 with a cumulative
    forecasts: list[ForecastBucket] = Field(default_factory=list)


class PlanningSchedule(_Document):
    """A forecast shared with a supplier: firm and planning quantities by period (X12 830)."""

    type: Literal["planning_schedule"] = "planning_schedule"
    schedule_id: Code  # BFR02 (reference) or BFR03 (release)
    purpose: Purpose = Purpose.ORIGINAL  # BFR01
    schedule_type: str | None = None  # BFR04: DL delivery-based, SH shipment-based
    quantity_type: str | None = None  # BFR05: A actual discrete, C cumulative
    horizon_start: dt.date  # BFR06
    horizon_end: dt.date  # BFR07
    issue_date: dt.date | None = None  # BFR08
    parties: list[Party] = Field(default_factory=list)
    lines: list[PlanningScheduleLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _horizon_ordered(self) -> PlanningSchedule:
        if self.horizon_end < self.horizon_start:
            raise ValueError("horizon_end is before horizon_start")
        return self


# --- inventory, receipts and supplier commitments -------------------------------------------


class InventoryLine(_Part):
    buyer_item: Code
    vendor_item: str | None = None
    quantity_on_hand: Amount  # may be negative in an ERP with backorders
    quantity_on_order: Quantity | None = None
    uom: UnitOfMeasure


class InventoryPosition(_Document):
    """Stock on hand at a location on a date: reported by a supplier or from the ERP."""

    type: Literal["inventory_position"] = "inventory_position"
    report_id: Code
    as_of: dt.date
    location_id: Code
    reported_by: Literal["supplier", "internal"] = "supplier"
    lines: list[InventoryLine] = Field(default_factory=list)


class ReceiptLine(_Part):
    po_number: str | None = None
    line_number: str | None = None
    buyer_item: Code
    quantity_received: Quantity
    quantity_rejected: Quantity = Decimal(0)
    uom: UnitOfMeasure


class Receipt(_Document):
    """Goods received at a location, from the ERP (answers a ship notice when there is one)."""

    type: Literal["receipt"] = "receipt"
    receipt_id: Code
    received_date: dt.date
    location_id: Code
    shipment_id: str | None = None
    lines: list[ReceiptLine] = Field(default_factory=list)


class CommitLine(_Part):
    buyer_item: Code
    vendor_item: str | None = None
    period_start: dt.date
    period: ForecastPeriod = ForecastPeriod.WEEKLY
    quantity: Quantity
    uom: UnitOfMeasure


class CapacityCommit(_Document):
    """A supplier's committed capacity per item and period."""

    type: Literal["capacity_commit"] = "capacity_commit"
    commit_id: Code
    issued_date: dt.date
    lines: list[CommitLine] = Field(default_factory=list)


class ForecastCommit(_Document):
    """A supplier's answer to a shared forecast: what it can supply per period."""

    type: Literal["forecast_commit"] = "forecast_commit"
    commit_id: Code
    schedule_id: str | None = None  # the PlanningSchedule it answers
    issued_date: dt.date
    lines: list[CommitLine] = Field(default_factory=list)


Document = Annotated[
    PurchaseOrder
    | PurchaseOrderAcknowledgment
    | ShipNotice
    | PlanningSchedule
    | InventoryPosition
    | Receipt
    | CapacityCommit
    | ForecastCommit,
    Field(discriminator="type"),
]
"""Any canonical document, discriminated by its ``type`` field."""

DOCUMENT_TYPES: dict[str, type[BaseModel]] = {
    "purchase_order": PurchaseOrder,
    "po_acknowledgment": PurchaseOrderAcknowledgment,
    "ship_notice": ShipNotice,
    "planning_schedule": PlanningSchedule,
    "inventory_position": InventoryPosition,
    "receipt": Receipt,
    "capacity_commit": CapacityCommit,
    "forecast_commit": ForecastCommit,
}


def _require_unique(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field} {value!r} appears more than once")
        seen.add(value)
