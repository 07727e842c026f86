"""Findings of the data-quality monitors (one row per fingerprint), the streaming check's
queue of processed messages not yet checked, and when each kind of check last ran."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, Id, UTCDateTime


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_state_severity", "state", "severity"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(80), unique=True)
    rule: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[str] = mapped_column(String(12))
    segment_id: Mapped[str | None] = mapped_column(Id, index=True)
    supplier_id: Mapped[str | None] = mapped_column(Id, index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    doc_key: Mapped[str] = mapped_column(String(200))
    line: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(14))
    seen_count: Mapped[int]
    owner: Mapped[str | None] = mapped_column(String(120))
    escalation_level: Mapped[int] = mapped_column(default=0)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    waiver_expires: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class QualityPendingRow(Base):
    """A processed inbox message whose documents the streaming check has not judged yet.

    Written in the transaction that stores the message's documents and deleted in the one
    that writes its findings: the exact form of a watermark (see ``gateway.quality_stream``).
    """

    __tablename__ = "quality_pending"
    message_id: Mapped[str] = mapped_column(ForeignKey("inbox_messages.id"), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    # Checks of this message that raised; at ``max_attempts`` it is set aside (``failed_at``)
    # so that it no longer holds up the queue, until ``gateway quality retry`` puts it back.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class QualityRunRow(Base):
    """When a kind of check (``stream``, ``freshness``, ``batch``) last ran, and its totals."""

    __tablename__ = "quality_runs"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_duration_s: Mapped[float]
    runs: Mapped[int]
    checked: Mapped[int]  # messages (stream), feeds (freshness) or documents (batch), in all
