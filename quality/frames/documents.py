"""Canonical documents to frames: one row per document, per line, per forecast bucket.

Input order is arrival order (``doc_index``): the first of two identical keys is the
original, the later one the duplicate; the latest change or replacement is the one in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel

from gateway.model import (
    CapacityCommit,
    ForecastCommit,
    InventoryPosition,
    PartyRole,
    PlanningSchedule,
    PurchaseOrder,
    PurchaseOrderAcknowledgment,
    Purpose,
    Receipt,
    ShipNotice,
)

__all__ = [
    "document_key",
    "documents_frame",
    "lines_frames",
]

Row = tuple[Any, ...]

HEADER_COLUMNS = [
    "doc_index", "doc_type", "doc_key", "purpose", "supplier_id", "partner_id", "channel",
    "sender_id", "interchange_control_number", "group_control_number",
    "transaction_set_control_number", "doc_date", "received_at", "location_id", "line_count",
]  # fmt: skip

# Versions that legitimately repeat a key: they amend the document rather than re-send it.
AMENDING = frozenset({Purpose.CHANGE.value, Purpose.REPLACE.value, Purpose.CANCELLATION.value})


KEY_FIELDS = {
    "purchase_order": "po_number",
    "po_acknowledgment": "po_number",
    "ship_notice": "shipment_id",
    "receipt": "receipt_id",
    "inventory_position": "report_id",
    "planning_schedule": "schedule_id",
    "forecast_commit": "commit_id",
    "capacity_commit": "commit_id",
}


def document_key(doc: BaseModel) -> str:
    """The business key of a document: PO number, shipment id, receipt id, report id, ..."""
    return str(getattr(doc, KEY_FIELDS.get(str(getattr(doc, "type", "")), "id"), ""))


def _doc_date(doc: BaseModel) -> dt.date | None:
    if isinstance(doc, PurchaseOrderAcknowledgment):  # its order_date is the PO's
        return doc.acknowledgment_date
    for attribute in ("order_date", "ship_date", "received_date", "as_of", "issued_date"):
        value = getattr(doc, attribute, None)
        if value is not None:
            return value  # type: ignore[no-any-return]
    return getattr(doc, "issue_date", None) or getattr(doc, "horizon_start", None)


def _location(doc: BaseModel) -> str | None:
    if isinstance(doc, InventoryPosition | Receipt):
        return doc.location_id
    if isinstance(doc, PurchaseOrder):
        ship_to = [p.id for p in doc.parties if p.role is PartyRole.SHIP_TO and p.id]
        return ship_to[0] if ship_to else None
    return None


def _header(index: int, doc: BaseModel) -> Row:
    provenance = getattr(doc, "provenance", None)
    envelope = getattr(doc, "envelope", None)
    supplier_id = getattr(doc, "supplier_id", None)
    partner = provenance.partner_id if provenance else supplier_id
    purpose = getattr(doc, "purpose", None)
    return (
        index,
        str(getattr(doc, "type", "")),
        document_key(doc),
        str(purpose) if purpose is not None else Purpose.ORIGINAL.value,
        supplier_id,
        partner or "unknown",
        str(provenance.channel) if provenance else None,
        envelope.sender_id if envelope else None,
        envelope.interchange_control_number if envelope else None,
        envelope.group_control_number if envelope else None,
        envelope.transaction_set_control_number if envelope else None,
        _doc_date(doc),
        provenance.received_at if provenance else None,
        _location(doc),
        len(getattr(doc, "lines", [])),
    )


def documents_frame(docs: Sequence[BaseModel]) -> pd.DataFrame:
    """One row per document, with ``duplicate_of`` and ``in_force`` worked out.

    Columns: doc_index, doc_type, doc_key, purpose, supplier_id, partner_id, channel,
    sender_id, interchange/group/transaction_set_control_number, doc_date (datetime64),
    received_at (datetime64, UTC-naive), location_id, line_count, duplicate_of (doc_index of
    the original, or -1), in_force (the latest non-duplicate version of its key).
    """
    frame = pd.DataFrame([_header(i, d) for i, d in enumerate(docs)], columns=HEADER_COLUMNS)
    frame["doc_date"] = pd.to_datetime(frame["doc_date"])
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True).dt.tz_localize(None)
    frame["line_count"] = frame["line_count"].astype("int64")
    first = frame.groupby(["doc_type", "doc_key"])["doc_index"].transform("min")
    repeat = (frame["doc_index"] != first) & ~frame["purpose"].isin(AMENDING)
    frame["duplicate_of"] = first.where(repeat, -1).astype("int64")
    latest = frame[~repeat].groupby(["doc_type", "doc_key"])["doc_index"].max().rename("latest")
    frame = frame.join(latest, on=["doc_type", "doc_key"])
    frame["in_force"] = frame["doc_index"] == frame["latest"]
    return frame.drop(columns="latest")


def _po_rows(index: int, doc: PurchaseOrder) -> list[Row]:
    return [
        (index, doc.po_number, line.line_number, line.buyer_item, line.vendor_item, line.upc,
         float(line.quantity), line.uom,
         None if line.unit_price is None else float(line.unit_price), line.requested_date)
        for line in doc.lines
    ]  # fmt: skip


def _ack_rows(index: int, doc: PurchaseOrderAcknowledgment) -> list[Row]:
    if not doc.lines:  # an answer without detail (BAK02 AK / RJ) answers every line alike
        whole = "rejected" if doc.status.value == "rejected" else "accepted"
        return [(index, doc.po_number, doc.status.value, doc.acknowledgment_date, None, whole,
                 None, None, None, None, None)]  # fmt: skip
    return [
        (index, doc.po_number, doc.status.value, doc.acknowledgment_date, line.line_number,
         line.status.value, line.buyer_item, _float(line.quantity), line.uom,
         _float(line.unit_price), line.scheduled_date)
        for line in doc.lines
    ]  # fmt: skip


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _asn_rows(index: int, doc: ShipNotice) -> list[Row]:
    return [
        (index, doc.shipment_id, doc.ship_date, doc.expected_delivery, line.po_number,
         line.line_number, line.buyer_item, line.vendor_item, line.upc, float(line.quantity),
         line.uom)
        for line in doc.lines
    ]  # fmt: skip


def _receipt_rows(index: int, doc: Receipt) -> list[Row]:
    return [
        (index, doc.receipt_id, doc.received_date, doc.location_id, doc.shipment_id,
         line.po_number, line.line_number, line.buyer_item, float(line.quantity_received),
         float(line.quantity_rejected), line.uom)
        for line in doc.lines
    ]  # fmt: skip


def _inventory_rows(index: int, doc: InventoryPosition) -> list[Row]:
    return [
        (index, doc.report_id, doc.as_of, doc.location_id, doc.reported_by, line.buyer_item,
         line.vendor_item, float(line.quantity_on_hand),
         None if line.quantity_on_order is None else float(line.quantity_on_order), line.uom)
        for line in doc.lines
    ]  # fmt: skip


def _schedule_rows(index: int, doc: PlanningSchedule) -> list[Row]:
    return [
        (index, doc.schedule_id, line.buyer_item, line.vendor_item, line.uom,
         float(bucket.quantity), bucket.kind.value, bucket.period.value, bucket.start)
        for line in doc.lines
        for bucket in line.forecasts
    ]  # fmt: skip


def _commit_rows(index: int, doc: ForecastCommit | CapacityCommit) -> list[Row]:
    schedule_id = doc.schedule_id if isinstance(doc, ForecastCommit) else None
    return [
        (index, doc.type, doc.commit_id, schedule_id, line.buyer_item, line.vendor_item,
         line.period_start, line.period.value, float(line.quantity), line.uom)
        for line in doc.lines
    ]  # fmt: skip


LINE_FRAMES: dict[str, tuple[tuple[type[BaseModel], ...], Any, list[str], list[str]]] = {
    # name: (document types, row builder, columns, date columns)
    "po_lines": ((PurchaseOrder,), _po_rows, [
        "doc_index", "po_number", "line_number", "buyer_item", "vendor_item", "upc",
        "quantity", "uom", "unit_price", "requested_date"], ["requested_date"]),
    "ack_lines": ((PurchaseOrderAcknowledgment,), _ack_rows, [
        "doc_index", "po_number", "ack_status", "acknowledgment_date", "line_number",
        "status", "buyer_item", "quantity", "uom", "unit_price", "scheduled_date"],
        ["acknowledgment_date", "scheduled_date"]),
    "asn_lines": ((ShipNotice,), _asn_rows, [
        "doc_index", "shipment_id", "ship_date", "expected_delivery", "po_number",
        "line_number", "buyer_item", "vendor_item", "upc", "quantity", "uom"],
        ["ship_date", "expected_delivery"]),
    "receipt_lines": ((Receipt,), _receipt_rows, [
        "doc_index", "receipt_id", "received_date", "location_id", "shipment_id", "po_number",
        "line_number", "buyer_item", "quantity_received", "quantity_rejected", "uom"],
        ["received_date"]),
    "inventory_lines": ((InventoryPosition,), _inventory_rows, [
        "doc_index", "report_id", "as_of", "location_id", "reported_by", "buyer_item",
        "vendor_item", "on_hand", "on_order", "uom"], ["as_of"]),
    "schedule_buckets": ((PlanningSchedule,), _schedule_rows, [
        "doc_index", "schedule_id", "buyer_item", "vendor_item", "uom", "quantity", "kind",
        "period", "period_start"], ["period_start"]),
    "commit_lines": ((ForecastCommit, CapacityCommit), _commit_rows, [
        "doc_index", "doc_type", "commit_id", "schedule_id", "buyer_item", "vendor_item",
        "period_start", "period", "quantity", "uom"], ["period_start"]),
}  # fmt: skip


def lines_frames(docs: Sequence[BaseModel], headers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each line frame, with the header's supplier_id, partner_id and in_force joined on."""
    rows: dict[str, list[Row]] = {name: [] for name in LINE_FRAMES}
    for index, doc in enumerate(docs):
        for name, (types, build, _, _) in LINE_FRAMES.items():
            if isinstance(doc, types):
                rows[name].extend(build(index, doc))
    header = headers.set_index("doc_index")[["supplier_id", "partner_id", "in_force"]]
    frames: dict[str, pd.DataFrame] = {}
    for name, (_, _, columns, dates) in LINE_FRAMES.items():
        frame = pd.DataFrame(rows[name], columns=columns)
        frame["doc_index"] = frame["doc_index"].astype("int64")
        for column in dates:
            frame[column] = pd.to_datetime(frame[column])
        for column in (
            "quantity",
            "unit_price",
            "on_hand",
            "on_order",
            "quantity_received",
            "quantity_rejected",
        ):
            if column in frame:
                frame[column] = frame[column].astype("float64")
        frames[name] = frame.join(header, on="doc_index")
    return frames
