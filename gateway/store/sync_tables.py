"""Tables for outbound delivery: partner channels, the outbox, attempts and endpoint breakers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, Id, UTCDateTime, utcnow


class ChannelRow(Base):
    """Where a partner's documents of one type go: primary and secondary HTTP endpoints."""

    __tablename__ = "sync_channels"
    partner_id: Mapped[str] = mapped_column(Id, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)  # 850, json:po, *
    primary_url: Mapped[str] = mapped_column(String(500))
    secondary_url: Mapped[str | None] = mapped_column(String(500))
    timeout_s: Mapped[float] = mapped_column(default=10.0)
    max_attempts: Mapped[int] = mapped_column(default=8)
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboxRow(Base):
    """One message to deliver; its id is the delivery id the partner sees on every attempt."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_sync_outbox_partner_status", "partner_id", "status"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(Id)
    document_type: Mapped[str] = mapped_column(String(40))
    content_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # the claim: who holds the row and until when (a dead worker's lease runs out)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    endpoint: Mapped[str | None] = mapped_column(String(500))  # where it went last
    last_error: Mapped[str | None] = mapped_column(Text)
    dead_reason: Mapped[str | None] = mapped_column(Text)
    # X12: the interchange control number (ISA13) it carries; a replay gets a fresh one
    control_number: Mapped[str | None] = mapped_column(String(9))
    replay_of: Mapped[str | None] = mapped_column(ForeignKey("sync_outbox.id"), index=True)
    # X12 expecting a 997: the window, when it is due (set on delivery) and what came back
    ack_window_s: Mapped[float | None]
    ack_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ack_status: Mapped[str | None] = mapped_column(String(24))  # sync.AckStatus


class AttemptRow(Base):
    """One delivery attempt, for the health view (attempts and error rate over the last hour)."""

    __tablename__ = "sync_attempts"
    __table_args__ = (Index("ix_sync_attempts_partner_at", "partner_id", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(32), index=True)
    partner_id: Mapped[str] = mapped_column(Id)
    document_type: Mapped[str] = mapped_column(String(40))
    endpoint: Mapped[str] = mapped_column(String(500))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ok: Mapped[bool]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float] = mapped_column(default=0.0)


class EndpointRow(Base):
    """An endpoint's circuit breaker as last written by a worker (on every state change)."""

    __tablename__ = "sync_endpoints"
    url: Mapped[str] = mapped_column(String(500), primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="closed")
    failures: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
