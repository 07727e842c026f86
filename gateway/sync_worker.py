"""The delivery worker: claim due deliveries, POST each to its channel's endpoint, record.

One worker is one loop on one thread. Run several processes on PostgreSQL to go faster
(``gateway worker``); on SQLite run one, in the serving process (``start_worker``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.background import BackgroundLoop
from gateway.logs import log_context
from gateway.store.breakers import load_breakers, save_breaker
from gateway.store.outbox import (
    Claimed,
    bury,
    channel_for,
    claim,
    finish,
    next_due_in,
    origins,
    release,
)
from gateway.store.sync_tables import ChannelRow
from gateway.store.tables import utcnow
from gateway.sync_folder import write_delivery
from sync import (
    AttemptResult,
    BadEndpoint,
    Breaker,
    BreakerPolicy,
    ChannelKind,
    Decision,
    RetryPolicy,
    Status,
    Verdict,
    choose_endpoint,
    decide,
    file_name,
    folder_path,
    kind_of,
    post_delivery,
)

log = logging.getLogger("gateway.sync")
Clock = Callable[[], dt.datetime]
Write = Callable[[Session], object]


@dataclass(frozen=True)
class WorkerConfig:
    batch: int = 20
    lease_s: float = 120.0  # longer than any channel timeout: a live worker keeps its claims
    poll_s: float = 1.0  # sleep when nothing is due
    # --until-idle waits for a delivery due within this many seconds, and exits otherwise
    idle_wait_s: float = 5.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    # the acknowledgment findings (overdue, rejected, partial 997s): every so often, or never
    ack_check_s: float | None = 300.0
    quality_policy: Path | None = None


class DeliveryWorker:
    """Delivers due outbox rows; breakers are shared with other workers through the store."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: WorkerConfig | None = None,
        *,
        client: httpx.Client | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._sessions = sessions
        self.config = config or WorkerConfig()
        self._client = client or httpx.Client()
        self._owns_client = client is None
        self._clock = clock
        self._breakers: dict[str, Breaker] = {}
        self._channels: dict[tuple[str, str], ChannelRow] = {}
        self._origins: dict[str, str] = {}  # replay → the first delivery of its chain
        self._next_ack_check = 0.0  # monotonic seconds: the first loop checks at once

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> DeliveryWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def run_once(self) -> int:
        """Claim one batch, attempt each delivery once, record the batch; the number claimed.

        The outcomes of a batch commit together: one transaction per batch instead of per
        message. A crash before that commit means the batch is sent again after its lease,
        under the same delivery ids, which partners drop as duplicates.
        """
        claimed = claim(self._sessions, limit=self.config.batch, lease_s=self.config.lease_s)
        if not claimed:
            return 0
        self._refresh(claimed)
        writes = [self._deliver_in_context(delivery) for delivery in claimed]
        # no autoflush: the attempt rows go in one multi-row INSERT at commit
        with self._sessions.begin() as session, session.no_autoflush:
            for write in writes:
                write(session)
        return len(claimed)

    def run(self, stop: threading.Event, *, until_idle: bool = False) -> None:
        """Work until ``stop`` is set (or, with ``until_idle``, until nothing is due soon)."""
        while not stop.is_set():
            self.check_acks_when_due()
            try:
                worked = self.run_once()
            except Exception:  # a database hiccup must not end the worker
                log.exception("delivery batch failed; retrying after the poll interval")
                worked = 0
            if worked:
                continue
            wait = self.config.poll_s
            if until_idle:
                due_in = next_due_in(self._sessions, self._clock())
                if due_in is None or due_in > self.config.idle_wait_s:
                    log.info("idle: nothing due within %ss, stopping", self.config.idle_wait_s)
                    return
                wait = min(max(due_in, 0.01), self.config.poll_s)
            stop.wait(wait)

    def check_acks_when_due(self) -> None:
        """Run the acknowledgment findings when ``ack_check_s`` has passed since the last."""
        every = self.config.ack_check_s
        if every is None or time.monotonic() < self._next_ack_check:
            return
        self._next_ack_check = time.monotonic() + every
        from gateway.quality_run import check_acknowledgments  # pandas: only when used

        try:
            run = check_acknowledgments(
                self._sessions, self._clock(), policy_file=self.config.quality_policy
            )
        except Exception:  # a bad policy file or a database hiccup must not stop deliveries
            log.exception("acknowledgment check failed; next try in %ss", every)
            return
        if run is not None and (run.created or run.resolved or run.reopened):
            log.info(
                "acknowledgment findings: %d open now, %d new, %d resolved, %d reopened",
                run.findings,
                run.created,
                run.resolved,
                run.reopened,
            )

    def _refresh(self, claimed: list[Claimed]) -> None:
        with self._sessions() as session:
            self._breakers = load_breakers(session)
            self._channels = {
                (c.partner_id, c.document_type): c for c in session.scalars(select(ChannelRow))
            }
            self._origins = origins(session, (d.id for d in claimed if d.replay_of))

    def _deliver_in_context(self, delivery: Claimed) -> Write:
        # every record about this delivery carries its ids (the JSON log's "context")
        with log_context(
            delivery_id=delivery.id,
            partner_id=delivery.partner_id,
            document_type=delivery.document_type,
            attempt=delivery.attempts + 1,
        ):
            return self._deliver(delivery)

    def _deliver(self, delivery: Claimed) -> Write:
        channel = channel_for(self._channels, delivery.partner_id, delivery.document_type)
        if channel is None or not channel.enabled:
            reason = (
                f"no enabled channel for partner {delivery.partner_id} "
                f"and document type {delivery.document_type}"
            )
            log.warning("dead letter %s: %s", delivery.id, reason)
            return lambda session: bury(session, delivery, reason=reason)
        policy = self.config.breaker
        secondary = channel.secondary_url
        choice = choose_endpoint(
            channel.primary_url,
            self._breakers.get(channel.primary_url, Breaker()),
            secondary,
            self._breakers.get(secondary) if secondary else None,
            self._clock(),
            policy,
        )
        if choice.url is None:
            not_before = choice.retry_at or self._clock()
            return lambda session: release(
                session, delivery, not_before=not_before, reason="every endpoint's breaker is open"
            )
        result = self._attempt(delivery, choice.url, channel.timeout_s)
        now = self._clock()
        before = self._breakers.get(choice.url, Breaker())
        # A 4xx is an answer: the endpoint is up, the message is what is wrong.
        after = (
            before.on_failure(now, policy)
            if result.verdict is Verdict.TRANSIENT
            else before.on_success()
        )
        self._breakers[choice.url] = after
        decision = decide(
            result, delivery.attempts + 1, channel.max_attempts, now, self.config.retry
        )
        if after.state != before.state:
            log.warning("breaker of %s is now %s", choice.url, after.current(now, policy).value)
        _log_attempt(delivery, choice.url, result, decision)
        url = choice.url

        def write(session: Session) -> None:
            if after != before:
                save_breaker(session, url, after, now)
            if not finish(
                session, delivery, endpoint=url, result=result, decision=decision, now=now
            ):
                log.warning(
                    "delivery %s: claim lost (lease ran out) before it finished",
                    delivery.id,
                    extra={"delivery_id": delivery.id, "partner_id": delivery.partner_id},
                )

        return write

    def _attempt(self, delivery: Claimed, url: str, timeout_s: float) -> AttemptResult:
        """POST to an HTTP endpoint, or write the file into a folder endpoint."""
        if kind_of(url) is ChannelKind.HTTP:
            return post_delivery(
                self._client,
                url,
                delivery.body,
                content_type=delivery.content_type,
                delivery_id=delivery.id,
                timeout_s=timeout_s,
            )
        # A replay keeps its chain's first delivery id in the name: the name is a folder
        # partner's only dedupe key, and a failed attempt may have left that file behind.
        stable_id = self._origins.get(delivery.id, delivery.id)
        try:
            name = file_name(stable_id, delivery.document_type, delivery.content_type)
            directory = folder_path(url)
        except BadEndpoint as error:
            return AttemptResult(None, str(error), 0.0, Verdict.PERMANENT)
        return write_delivery(directory, name, delivery.body)


def _log_attempt(delivery: Claimed, url: str, result: AttemptResult, decision: Decision) -> None:
    """One record per attempt: info when delivered, warning when it failed or is dead."""
    fields = {
        "endpoint": url,
        "status_code": result.status_code,
        "duration_ms": round(result.duration_ms, 1),
        "outcome": decision.status.value,
    }
    if decision.status is Status.DELIVERED:
        log.info("delivered %s to %s", delivery.id, url, extra=fields)
    elif decision.status is Status.DEAD:
        log.warning("dead letter %s: %s", delivery.id, decision.reason, extra=fields)
    else:
        retry_at = decision.next_attempt_at.isoformat() if decision.next_attempt_at else None
        log.warning(
            "attempt failed for %s: %s; next attempt at %s",
            delivery.id,
            result.error or f"HTTP {result.status_code}",
            retry_at,
            extra={**fields, "error": result.error, "next_attempt_at": retry_at},
        )


class RunningWorker(BackgroundLoop[DeliveryWorker]):
    """A delivery worker on a background thread; ``stop()`` ends it after the current delivery."""

    def __init__(self, worker: DeliveryWorker) -> None:
        super().__init__(worker, self._run, "gateway-delivery-worker")

    def _run(self, stop: threading.Event) -> None:
        try:
            self.worker.run(stop)
        finally:
            self.worker.close()


def start_worker(
    sessions: sessionmaker[Session], config: WorkerConfig | None = None
) -> RunningWorker:
    """Start one delivery worker on a daemon thread (``gateway serve`` runs one this way)."""
    return RunningWorker(DeliveryWorker(sessions, config)).start()
