"""Findings of the data-quality monitors, one row per fingerprint (the natural key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, String, Text
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
