"""Prometheus metrics for delivery, collected from the store when Prometheus scrapes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.sync_health import ChannelHealth, partner_health
from gateway.store.tables import utcnow

_LABELS = ["partner", "document_type"]
_STATES = ("closed", "open", "half_open")


class DeliveryCollector(Collector):
    """Queue depth, age, dead letters, attempts and breakers per partner channel."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        now = utcnow()
        with self._sessions() as session:
            entries = partner_health(session, now)
        gauges: dict[str, tuple[str, Callable[[ChannelHealth], float]]] = {
            "queue_depth": ("Deliveries pending or in flight", lambda h: h.queue_depth),
            "oldest_pending_seconds": (
                "Age of the oldest pending delivery",
                lambda h: h.oldest_pending_age_s or 0.0,
            ),
            "dead_letters": ("Dead letters waiting for a fix or replay", lambda h: h.dead_letters),
            "delivered": ("Deliveries delivered", lambda h: h.delivered),
            "attempts_last_hour": ("Attempts over the last hour", lambda h: h.attempts_last_hour),
            "failures_last_hour": (
                "Failed attempts over the last hour",
                lambda h: h.failures_last_hour,
            ),
            "overdue_acks": ("Delivered X12 whose 997 is overdue", lambda h: h.overdue_acks),
            "problem_acks": (
                "997s that rejected, partially accepted or noted errors",
                lambda h: h.problem_acks,
            ),
            "last_success_timestamp_seconds": (
                "When a delivery last succeeded (Unix time, 0 if never)",
                lambda h: h.last_success_at.timestamp() if h.last_success_at else 0.0,
            ),
        }
        for name, (doc, value) in gauges.items():
            family = GaugeMetricFamily(f"gateway_sync_{name}", doc, labels=_LABELS)
            for h in entries:
                family.add_metric([h.partner_id, h.document_type], float(value(h)))
            yield family
        breaker = GaugeMetricFamily(
            "gateway_sync_breaker_state",
            "1 for the current breaker state of an endpoint",
            labels=["endpoint", "state"],
        )
        seen: set[str] = set()
        for h in entries:
            for url, state in h.breakers.items():
                if url in seen:
                    continue
                seen.add(url)
                for candidate in _STATES:
                    breaker.add_metric([url, candidate], 1.0 if candidate == state else 0.0)
        yield breaker
