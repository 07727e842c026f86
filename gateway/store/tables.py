"""SQLAlchemy 2 typed mappings: master data, documents and their lines, inbox, audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can find them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend keeps.

    SQLite stores no offset, so values are written as naive UTC and read back as aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment: dt.datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


Id = String(80)
Amount = Numeric(18, 6)
# SQLite has no BIGINT autoincrement: an INTEGER PRIMARY KEY is its rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


# --- master data ----------------------------------------------------------------------------


class SegmentRow(Base):
    __tablename__ = "segments"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    service_level_target: Mapped[float]
    planning_policy: Mapped[dict[str, Any]]


class SupplierRow(Base):
    __tablename__ = "suppliers"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    edi_capable: Mapped[bool] = mapped_column(default=False)
    segments: Mapped[list[SupplierSegmentRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SupplierSegmentRow.segment_id"
    )


class SupplierSegmentRow(Base):
    __tablename__ = "supplier_segments"
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), primary_key=True)
    segment_id: Mapped[str] = mapped_column(ForeignKey("segments.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))


class ItemRow(Base):
    __tablename__ = "items"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")
    family: Mapped[str] = mapped_column(String(80), default="")
    segment_id: Mapped[str] = mapped_column(ForeignKey("segments.id"), index=True)
    lifecycle_stage: Mapped[str] = mapped_column(String(20))
    uom: Mapped[str] = mapped_column(String(8))
    lead_time_days: Mapped[int]
    unit_cost: Mapped[Decimal | None] = mapped_column(Amount)
    unit_price: Mapped[Decimal | None] = mapped_column(Amount)
    upc: Mapped[str | None] = mapped_column(String(20))
    critical: Mapped[bool] = mapped_column(default=False)
    sources: Mapped[list[ItemSourceRow]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(ItemSourceRow.is_primary.desc(), ItemSourceRow.supplier_id)",
    )


class ItemSourceRow(Base):
    __tablename__ = "item_sources"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    supplier_id: Mapped[str] = mapped_column(
        ForeignKey("suppliers.id"), primary_key=True, index=True
    )
    vendor_item: Mapped[str | None] = mapped_column(Id)
    share: Mapped[float]
    lead_time_days: Mapped[int]
    is_primary: Mapped[bool]


class LocationRow(Base):
    __tablename__ = "locations"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))


class DemandRow(Base):
    __tablename__ = "demand_history"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Amount)


# --- inbox and audit ------------------------------------------------------------------------


class InboxRow(Base):
    """A raw inbound message, stored before anything acknowledges it."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        UniqueConstraint("partner_id", "dedupe_key"),
        Index("ix_inbox_status_received", "status", "received_at"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(Id, index=True)
    channel: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # What makes a re-send recognisable: an X12 sender + ISA13, an Idempotency-Key, or the hash.
    dedupe_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One entry of the append-only audit log (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject_type: Mapped[str] = mapped_column(String(80))
    subject_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
