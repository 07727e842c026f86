"""Tables for inbound pull connectors: each poller's configuration and state, and its runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, Id, UTCDateTime, utcnow


class PollerRow(Base):
    """One partner's pull connector: its validated configuration, where it resumes, its health.

    ``config`` is a ``sync.PollerConfig`` as JSON (secrets only by reference). The claim
    columns keep two workers from polling the same partner at once; the counters only grow,
    for Prometheus.
    """

    __tablename__ = "pollers"
    __table_args__ = (Index("ix_pollers_enabled_due", "enabled", "next_due_at"),)
    partner_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    config: Mapped[dict[str, Any]]
    enabled: Mapped[bool] = mapped_column(default=True)
    next_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # where the next run starts (sync.PullState), written only after a page is stored
    cursor: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_message_id: Mapped[str | None] = mapped_column(String(32))  # the page that failed
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    runs_total: Mapped[int] = mapped_column(BigInteger, default=0)
    failures_total: Mapped[int] = mapped_column(BigInteger, default=0)
    pages_total: Mapped[int] = mapped_column(BigInteger, default=0)
    documents_total: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PollerRunRow(Base):
    """One run of a poller, for the health view (pages and documents over the last hour)."""

    __tablename__ = "poller_runs"
    __table_args__ = (Index("ix_poller_runs_partner_started", "partner_id", "started_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    partner_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ok: Mapped[bool]
    not_modified: Mapped[bool] = mapped_column(default=False)
    pages: Mapped[int] = mapped_column(default=0)
    documents: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str] = mapped_column(String(100), default="")  # host:pid that ran it


class PollerItemRow(Base):
    """An item a poller has turned into a document, by the hash of its JSON.

    A page fetched again with items added (a supplier appending to its last page) is a new
    page; the items it had before are not stored twice.
    """

    __tablename__ = "poller_items"
    partner_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(32))  # the page it first came in
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
