"""Typed tables for the canonical documents: one header table and one line table per type.

Column names equal the canonical model's field names, so that one generic mapper
(``gateway.store.documents``) converts between rows and models for every type.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from gateway.store.tables import Amount, Base, BigId, Id, UTCDateTime, utcnow


class DocumentHeader:
    """Columns every document header has: provenance, envelope, references."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(10))
    partner_id: Mapped[str] = mapped_column(Id, index=True)
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    supplier_id: Mapped[str | None] = mapped_column(Id, index=True)
    envelope: Mapped[dict[str, Any] | None]
    references: Mapped[list[Any]]
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr
    def message_id(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("inbox_messages.id"), index=True)


class DocumentLine:
    """Columns every line has: its position on the document."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    position: Mapped[int] = mapped_column(Integer)


def _parent(table: str) -> Mapped[int]:
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


# --- purchase orders ------------------------------------------------------------------------


class PurchaseOrderRow(DocumentHeader, Base):
    __tablename__ = "purchase_orders"
    po_number: Mapped[str] = mapped_column(Id, index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    order_type: Mapped[str | None] = mapped_column(String(10))
    order_date: Mapped[dt.date] = mapped_column(Date, index=True)
    currency: Mapped[str | None] = mapped_column(String(3))
    parties: Mapped[list[Any]]
    lines: Mapped[list[PurchaseOrderLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="PurchaseOrderLineRow.position"
    )


class PurchaseOrderLineRow(DocumentLine, Base):
    __tablename__ = "purchase_order_lines"
    # by item, then due date: segment health reads an item's lines due in its window
    __table_args__ = (
        Index("ix_purchase_order_lines_item_requested", "buyer_item", "requested_date"),
    )
    document_id: Mapped[int] = _parent("purchase_orders")
    line_number: Mapped[str] = mapped_column(Id)
    quantity: Mapped[Decimal] = mapped_column(Amount)
    uom: Mapped[str] = mapped_column(String(8))
    unit_price: Mapped[Decimal | None] = mapped_column(Amount)
    buyer_item: Mapped[str | None] = mapped_column(Id)
    vendor_item: Mapped[str | None] = mapped_column(Id)
    upc: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(500))
    requested_date: Mapped[dt.date | None] = mapped_column(Date)


# --- purchase order acknowledgments (855) ---------------------------------------------------


class PurchaseOrderAcknowledgmentRow(DocumentHeader, Base):
    __tablename__ = "po_acknowledgments"
    po_number: Mapped[str] = mapped_column(Id, index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(24), index=True)
    order_date: Mapped[dt.date | None] = mapped_column(Date)
    acknowledgment_date: Mapped[dt.date] = mapped_column(Date, index=True)
    seller_order_number: Mapped[str | None] = mapped_column(Id)
    parties: Mapped[list[Any]]
    lines: Mapped[list[PurchaseOrderAcknowledgmentLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="PurchaseOrderAcknowledgmentLineRow.position"
    )


class PurchaseOrderAcknowledgmentLineRow(DocumentLine, Base):
    __tablename__ = "po_acknowledgment_lines"
    document_id: Mapped[int] = _parent("po_acknowledgments")
    line_number: Mapped[str] = mapped_column(Id)
    status: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[Decimal | None] = mapped_column(Amount)
    uom: Mapped[str | None] = mapped_column(String(8))
    unit_price: Mapped[Decimal | None] = mapped_column(Amount)
    scheduled_date: Mapped[dt.date | None] = mapped_column(Date)
    buyer_item: Mapped[str | None] = mapped_column(Id, index=True)
    vendor_item: Mapped[str | None] = mapped_column(Id)


# --- ship notices ---------------------------------------------------------------------------


class ShipNoticeRow(DocumentHeader, Base):
    __tablename__ = "ship_notices"
    shipment_id: Mapped[str] = mapped_column(Id, index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    ship_date: Mapped[dt.date] = mapped_column(Date, index=True)
    expected_delivery: Mapped[dt.date | None] = mapped_column(Date)
    carrier: Mapped[str | None] = mapped_column(String(80))
    bill_of_lading: Mapped[str | None] = mapped_column(String(80))
    parties: Mapped[list[Any]]
    lines: Mapped[list[ShipNoticeLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="ShipNoticeLineRow.position"
    )


class ShipNoticeLineRow(DocumentLine, Base):
    __tablename__ = "ship_notice_lines"
    document_id: Mapped[int] = _parent("ship_notices")
    po_number: Mapped[str | None] = mapped_column(Id, index=True)
    line_number: Mapped[str | None] = mapped_column(Id)
    buyer_item: Mapped[str | None] = mapped_column(Id, index=True)
    vendor_item: Mapped[str | None] = mapped_column(Id)
    upc: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Amount)
    uom: Mapped[str] = mapped_column(String(8))
    sscc: Mapped[str | None] = mapped_column(String(20))
    lot: Mapped[str | None] = mapped_column(String(80))


# --- planning schedules ---------------------------------------------------------------------


class PlanningScheduleRow(DocumentHeader, Base):
    __tablename__ = "planning_schedules"
    schedule_id: Mapped[str] = mapped_column(Id, index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    schedule_type: Mapped[str | None] = mapped_column(String(4))
    quantity_type: Mapped[str | None] = mapped_column(String(4))
    horizon_start: Mapped[dt.date] = mapped_column(Date)
    horizon_end: Mapped[dt.date] = mapped_column(Date)
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    parties: Mapped[list[Any]]
    lines: Mapped[list[PlanningScheduleLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlanningScheduleLineRow.position"
    )


class PlanningScheduleLineRow(DocumentLine, Base):
    __tablename__ = "planning_schedule_lines"
    document_id: Mapped[int] = _parent("planning_schedules")
    buyer_item: Mapped[str | None] = mapped_column(Id, index=True)
    vendor_item: Mapped[str | None] = mapped_column(Id)
    uom: Mapped[str] = mapped_column(String(8))
    cumulative_received: Mapped[Decimal | None] = mapped_column(Amount)
    forecasts: Mapped[list[ForecastBucketRow]] = relationship(
        cascade="all, delete-orphan", order_by="ForecastBucketRow.position"
    )


class ForecastBucketRow(DocumentLine, Base):
    __tablename__ = "planning_forecast_buckets"
    line_id: Mapped[int] = _parent("planning_schedule_lines")
    quantity: Mapped[Decimal] = mapped_column(Amount)
    kind: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(10))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)


# --- inventory, receipts, commitments -------------------------------------------------------


class InventoryPositionRow(DocumentHeader, Base):
    __tablename__ = "inventory_positions"
    report_id: Mapped[str] = mapped_column(Id, index=True)
    as_of: Mapped[dt.date] = mapped_column(Date, index=True)
    location_id: Mapped[str] = mapped_column(Id)
    reported_by: Mapped[str] = mapped_column(String(10))
    lines: Mapped[list[InventoryLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="InventoryLineRow.position"
    )


class InventoryLineRow(DocumentLine, Base):
    __tablename__ = "inventory_lines"
    document_id: Mapped[int] = _parent("inventory_positions")
    buyer_item: Mapped[str] = mapped_column(Id, index=True)
    vendor_item: Mapped[str | None] = mapped_column(Id)
    quantity_on_hand: Mapped[Decimal] = mapped_column(Amount)
    quantity_on_order: Mapped[Decimal | None] = mapped_column(Amount)
    uom: Mapped[str] = mapped_column(String(8))


class InventoryCurrentRow(Base):
    """Per location and item, the newest inventory report's quantity on hand (the newest by
    as-of date, then by arrival), kept by ``gateway.store.documents`` as reports are stored:
    segment health reads it instead of ranking every report ever received."""

    __tablename__ = "inventory_current"
    location_id: Mapped[str] = mapped_column(Id, primary_key=True)
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(BigId)
    quantity: Mapped[Decimal] = mapped_column(Amount)  # the report's lines for the item, summed


class ReceiptRow(DocumentHeader, Base):
    __tablename__ = "receipts"
    receipt_id: Mapped[str] = mapped_column(Id, index=True)
    received_date: Mapped[dt.date] = mapped_column(Date, index=True)
    location_id: Mapped[str] = mapped_column(Id)
    shipment_id: Mapped[str | None] = mapped_column(Id, index=True)
    lines: Mapped[list[ReceiptLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="ReceiptLineRow.position"
    )


class ReceiptLineRow(DocumentLine, Base):
    __tablename__ = "receipt_lines"
    document_id: Mapped[int] = _parent("receipts")
    po_number: Mapped[str | None] = mapped_column(Id, index=True)
    line_number: Mapped[str | None] = mapped_column(Id)
    buyer_item: Mapped[str] = mapped_column(Id, index=True)
    quantity_received: Mapped[Decimal] = mapped_column(Amount)
    quantity_rejected: Mapped[Decimal] = mapped_column(Amount)
    uom: Mapped[str] = mapped_column(String(8))


class CapacityCommitRow(DocumentHeader, Base):
    __tablename__ = "capacity_commits"
    commit_id: Mapped[str] = mapped_column(Id, index=True)
    issued_date: Mapped[dt.date] = mapped_column(Date)
    lines: Mapped[list[CapacityCommitLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="CapacityCommitLineRow.position"
    )


class ForecastCommitRow(DocumentHeader, Base):
    __tablename__ = "forecast_commits"
    commit_id: Mapped[str] = mapped_column(Id, index=True)
    schedule_id: Mapped[str | None] = mapped_column(Id)
    issued_date: Mapped[dt.date] = mapped_column(Date)
    lines: Mapped[list[ForecastCommitLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="ForecastCommitLineRow.position"
    )


class _CommitLine(DocumentLine):
    buyer_item: Mapped[str] = mapped_column(Id, index=True)
    vendor_item: Mapped[str | None] = mapped_column(Id)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[Decimal] = mapped_column(Amount)
    uom: Mapped[str] = mapped_column(String(8))


class CapacityCommitLineRow(_CommitLine, Base):
    __tablename__ = "capacity_commit_lines"
    document_id: Mapped[int] = _parent("capacity_commits")


class ForecastCommitLineRow(_CommitLine, Base):
    __tablename__ = "forecast_commit_lines"
    document_id: Mapped[int] = _parent("forecast_commits")
