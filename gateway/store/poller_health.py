"""The health of every inbound poller, read from its row and its runs of the last hour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from gateway.store.poller_tables import PollerRow, PollerRunRow

HOUR = dt.timedelta(hours=1)


@dataclass
class PollerHealth:
    """What an integration engineer asks of one poller."""

    partner_id: str
    name: str
    document_type: str
    url: str
    enabled: bool
    running: bool  # a worker holds it now
    next_due_at: dt.datetime
    last_run_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_failure_at: dt.datetime | None
    last_error: str | None
    last_failed_message_id: str | None
    consecutive_failures: int
    runs_total: int
    failures_total: int
    pages_total: int
    documents_total: int
    runs_last_hour: int = 0
    failures_last_hour: int = 0
    pages_last_hour: int = 0
    documents_last_hour: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key, value in out.items():
            if isinstance(value, dt.datetime):
                out[key] = value.isoformat()
        return out


def poller_health(session: Session, now: dt.datetime) -> list[PollerHealth]:
    """One entry per configured poller, ordered by partner and name."""
    entries: dict[tuple[str, str], PollerHealth] = {}
    for row in session.scalars(select(PollerRow).order_by(PollerRow.partner_id, PollerRow.name)):
        # read, not validated: the health view must show a poller whose stored config broke
        raw = row.config
        entries[(row.partner_id, row.name)] = PollerHealth(
            partner_id=row.partner_id,
            name=row.name,
            document_type=str(raw.get("document_type", "")),
            url=str(raw.get("base_url", "")).rstrip("/") + str(raw.get("path", "")),
            enabled=row.enabled,
            running=row.lease_until is not None and row.lease_until >= now,
            next_due_at=row.next_due_at,
            last_run_at=row.last_run_at,
            last_success_at=row.last_success_at,
            last_failure_at=row.last_failure_at,
            last_error=row.last_error,
            last_failed_message_id=row.last_message_id,
            consecutive_failures=row.consecutive_failures,
            runs_total=row.runs_total,
            failures_total=row.failures_total,
            pages_total=row.pages_total,
            documents_total=row.documents_total,
        )
    recent = session.execute(
        select(
            PollerRunRow.partner_id,
            PollerRunRow.name,
            func.count(),
            func.sum(case((PollerRunRow.ok.is_(False), 1), else_=0)),
            func.sum(PollerRunRow.pages),
            func.sum(PollerRunRow.documents),
        )
        .where(PollerRunRow.started_at >= now - HOUR)
        .group_by(PollerRunRow.partner_id, PollerRunRow.name)
    )
    for partner_id, name, runs, failures, pages, documents in recent:
        health = entries.get((partner_id, name))
        if health is None:  # runs of a poller removed since
            continue
        health.runs_last_hour = int(runs)
        health.failures_last_hour = int(failures or 0)
        health.pages_last_hour = int(pages or 0)
        health.documents_last_hour = int(documents or 0)
    return list(entries.values())
