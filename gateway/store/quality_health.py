"""Aggregates for the quality metrics, one GROUP BY each, so a scrape stays cheap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.store.quality_tables import FindingRow, QualityPendingRow, QualityRunRow
from gateway.store.tables import AuditRow

UNRESOLVED = ("open", "acknowledged")
RAISED = ("finding.opened", "finding.reopened")
RESOLVED = ("finding.resolved",)


def open_findings(session: Session) -> list[tuple[str, str, str, str | None, int]]:
    """(state, severity, rule, segment_id, count) of findings still open or acknowledged."""
    columns = (FindingRow.state, FindingRow.severity, FindingRow.rule, FindingRow.segment_id)
    query = (
        select(*columns, func.count()).where(FindingRow.state.in_(UNRESOLVED)).group_by(*columns)
    )
    return [(st, sev, rule, seg, int(n)) for st, sev, rule, seg, n in session.execute(query)]


def finding_events(session: Session) -> list[tuple[str, str, str, int]]:
    """(action, severity, rule, count) of raise and resolve events in the audit log.

    The log is append-only, so these counts only grow: Prometheus counters that every
    process reports alike and that survive restarts.
    """
    query = (
        select(AuditRow.action, FindingRow.severity, FindingRow.rule, func.count())
        .join(FindingRow, FindingRow.fingerprint == AuditRow.subject_id)
        .where(AuditRow.action.in_(RAISED + RESOLVED), AuditRow.subject_type == "finding")
        .group_by(AuditRow.action, FindingRow.severity, FindingRow.rule)
    )
    return [(a, sev, rule, int(n)) for a, sev, rule, n in session.execute(query)]


@dataclass(frozen=True)
class StreamBacklog:
    pending: int  # waiting for a check (the set-aside ones not counted)
    oldest_processed_at: dt.datetime | None
    failed: int = 0  # set aside after their check raised (``gateway quality failed``)

    def lag_s(self, now: dt.datetime) -> float:
        """Age of the oldest processed message not yet checked (0 when none waits)."""
        if self.oldest_processed_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_processed_at).total_seconds())


def stream_backlog(session: Session) -> StreamBacklog:
    waiting = QualityPendingRow.failed_at.is_(None)
    pending, oldest, failed = session.execute(
        select(
            func.count().filter(waiting),
            func.min(QualityPendingRow.processed_at).filter(waiting),
            func.count().filter(QualityPendingRow.failed_at.is_not(None)),
        )
    ).one()
    return StreamBacklog(int(pending), _aware(oldest), int(failed))


def run_marks(session: Session) -> list[QualityRunRow]:
    """When each kind of check (stream, freshness, batch) last ran."""
    return list(session.scalars(select(QualityRunRow).order_by(QualityRunRow.name)))


def _aware(value: object) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
