"""Prometheus metrics for data quality, collected from the store when Prometheus scrapes."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.quality_health import (
    RAISED,
    finding_events,
    open_findings,
    run_marks,
    stream_backlog,
)
from gateway.store.quality_tables import QualityRunRow
from gateway.store.tables import utcnow

_NO_SEGMENT = ""  # findings about no segment (a stale ERP feed)


class QualityCollector(Collector):
    """Open findings, raise and resolve counters, streaming lag, when each check last ran."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        now = utcnow()
        with self._sessions() as session:
            unresolved = open_findings(session)
            events = finding_events(session)
            backlog = stream_backlog(session)
            marks = run_marks(session)
        findings = GaugeMetricFamily(
            "gateway_quality_open_findings",
            "Findings open or acknowledged (not resolved or waived)",
            labels=["state", "severity", "rule", "segment"],
        )
        for state, severity, rule, segment, count in unresolved:
            findings.add_metric([state, severity, rule, segment or _NO_SEGMENT], count)
        yield findings
        raised = CounterMetricFamily(
            "gateway_quality_findings_raised",
            "Findings opened or reopened (from the audit log)",
            labels=["severity", "rule"],
        )
        resolved = CounterMetricFamily(
            "gateway_quality_findings_resolved",
            "Findings resolved, by the monitor or by a person (from the audit log)",
            labels=["severity", "rule"],
        )
        totals: dict[tuple[bool, str, str], int] = {}
        for action, severity, rule, count in events:
            key = (action in RAISED, severity, rule)
            totals[key] = totals.get(key, 0) + count
        for (is_raise, severity, rule), count in sorted(totals.items()):
            (raised if is_raise else resolved).add_metric([severity, rule], count)
        yield raised
        yield resolved
        yield GaugeMetricFamily(
            "gateway_quality_stream_lag_seconds",
            "Age of the oldest processed message the streaming check has not judged (0: none)",
            value=backlog.lag_s(now),
        )
        yield GaugeMetricFamily(
            "gateway_quality_stream_pending",
            "Processed messages queued for the streaming check",
            value=backlog.pending,
        )
        yield GaugeMetricFamily(
            "gateway_quality_stream_failed",
            "Messages set aside after their streaming check raised (gateway quality retry)",
            value=backlog.failed,
        )
        yield from _run_families(marks)


def _run_families(marks: list[QualityRunRow]) -> Iterator[Metric]:
    last = GaugeMetricFamily(
        "gateway_quality_last_run_timestamp_seconds",
        "When a check (batch, stream, freshness) last ran (Unix time)",
        labels=["check"],
    )
    duration = GaugeMetricFamily(
        "gateway_quality_last_run_duration_seconds",
        "How long the last run of a check took",
        labels=["check"],
    )
    for mark in marks:
        last.add_metric([mark.name], mark.last_run_at.timestamp())
        duration.add_metric([mark.name], mark.last_duration_s)
    yield last
    yield duration
