"""Prometheus metrics for inbound pollers, collected from the store when Prometheus scrapes.

The totals are counters kept on each poller's row (they only grow), so every worker process
is counted and a restart does not reset them; the rest are gauges of the current health.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.poller_health import PollerHealth, poller_health
from gateway.store.tables import utcnow

_LABELS = ["partner", "poller", "document_type"]
Value = Callable[[PollerHealth], float]


def _stamp(moment: dt.datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


class PollerCollector(Collector):
    """Runs, failures, pages and documents per poller; failures in a row, last success, due."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        with self._sessions() as session:
            entries = poller_health(session, utcnow())
        counters: dict[str, tuple[str, Value]] = {
            "runs": ("Poller runs", lambda h: h.runs_total),
            "failures": ("Poller runs that failed", lambda h: h.failures_total),
            "pages": ("Pages fetched and stored", lambda h: h.pages_total),
            "documents": ("Documents from fetched pages", lambda h: h.documents_total),
        }
        for name, (doc, value) in counters.items():
            counter = CounterMetricFamily(f"gateway_poller_{name}", doc, labels=_LABELS)
            for h in entries:
                counter.add_metric(_labels(h), float(value(h)))
            yield counter
        gauges: dict[str, tuple[str, Value]] = {
            "consecutive_failures": ("Failed runs in a row", lambda h: h.consecutive_failures),
            "last_success_timestamp_seconds": (
                "When a run last succeeded (Unix time, 0 if never)",
                lambda h: _stamp(h.last_success_at),
            ),
            "next_due_timestamp_seconds": (
                "When the poller is next due (Unix time)",
                lambda h: _stamp(h.next_due_at),
            ),
            "pages_last_hour": ("Pages fetched over the last hour", lambda h: h.pages_last_hour),
        }
        for name, (doc, value) in gauges.items():
            gauge = GaugeMetricFamily(f"gateway_poller_{name}", doc, labels=_LABELS)
            for h in entries:
                gauge.add_metric(_labels(h), float(value(h)))
            yield gauge


def _labels(h: PollerHealth) -> list[str]:
    return [h.partner_id, h.name, h.document_type]
