"""Prometheus metrics of the HTTP layer itself, counted in this process.

Unlike the delivery, poller and quality metrics (read from the store, so every worker is
counted), these live in memory: a body timeout writes nothing to the store, by design, and a
remembered GraphQL answer is remembered by the process that computed it. With
``GATEWAY_WORKERS`` above one, each scrape reads the process that answered it.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from gateway.app.body_deadline import BodyTimeouts


class HttpCollector(Collector):
    """Request bodies given up at the idle timeout or the deadline."""

    def __init__(self, timeouts: BodyTimeouts) -> None:
        self._timeouts = timeouts

    def collect(self) -> Iterator[Metric]:
        counter = CounterMetricFamily(
            "gateway_http_body_timeouts",
            "Request bodies answered 408 because they arrived too slowly (this process)",
            labels=["limit"],
        )
        for limit, count in sorted(self._timeouts.counts.items()):
            counter.add_metric([limit], float(count))
        yield counter


class GraphqlAnswersCollector(Collector):
    """Segment-health questions answered from memory or computed (gateway.graphql.answers)."""

    def collect(self) -> Iterator[Metric]:
        from gateway.graphql.answers import OUTCOMES

        counter = CounterMetricFamily(
            "gateway_graphql_answers",
            "Read-only planning questions answered from memory or computed (this process)",
            labels=["outcome"],
        )
        for outcome, count in sorted(OUTCOMES.items()):
            counter.add_metric([outcome], float(count))
        yield counter
