"""File feeds: each partner's column mappings, and the row report of each file received."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, Id, UTCDateTime, utcnow


class FeedMappingRow(Base):
    """How one partner's files of one document type read (adapters.api.feeds.FeedMapping)."""

    __tablename__ = "feed_mappings"
    partner_id: Mapped[str] = mapped_column(Id, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    mapping: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))


class FeedReportRow(Base):
    """What one received file gave: how it was read, rows kept and refused, and why."""

    __tablename__ = "feed_reports"
    message_id: Mapped[str] = mapped_column(ForeignKey("inbox_messages.id"), primary_key=True)
    file_name: Mapped[str | None] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(8))
    document_type: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # encoding, delimiter, sheet
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_accepted: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    documents: Mapped[int] = mapped_column(default=0)
    # [{"row", "column", "reason"}], the first MAX_PROBLEMS of them
    problems: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(String(2000))  # the file as a whole was refused
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
