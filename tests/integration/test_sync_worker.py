"""The outbox and worker against a real partner on loopback that fails on purpose."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.outbox import enqueue, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.sync_worker import DeliveryWorker, WorkerConfig
from sync import BreakerPolicy, RetryPolicy
from tests.sink import Sink
from tests.support import free_port, serve

FAST = WorkerConfig(
    batch=10,
    lease_s=30,
    poll_s=0.01,
    retry=RetryPolicy(initial_s=0.01, max_s=0.05, jitter_s=0.01),
    breaker=BreakerPolicy(failure_threshold=3, cooldown_s=0.3),
)
# The worker's cooldown decides when an open breaker is probed again: tests pick "never during
# the test" or "at once" rather than sleeping, so a slow machine cannot change the outcome.
STAYS_OPEN = replace(FAST, breaker=BreakerPolicy(failure_threshold=3, cooldown_s=3600))
HEALS_NOW = replace(FAST, breaker=BreakerPolicy(failure_threshold=3, cooldown_s=0))


@pytest.fixture
def sink() -> Iterator[tuple[Sink, str]]:
    partner = Sink(slow_s=1.0)
    with serve(partner.app) as url:  # type: ignore[arg-type]
        yield partner, url


def _queue(sessions: sessionmaker[Session], n: int, partner: str = "SUP1") -> list[str]:
    with sessions.begin() as session:
        return [
            enqueue(
                session,
                partner_id=partner,
                document_type="850",
                body=f"message {i}".encode(),
                content_type="application/edi-x12",
            )
            for i in range(n)
        ]


def _drain(
    sessions: sessionmaker[Session], config: WorkerConfig = FAST, seconds: float = 20
) -> None:
    with DeliveryWorker(sessions, config) as worker:
        _drain_with(sessions, worker, seconds)


def _drain_with(sessions: sessionmaker[Session], worker: DeliveryWorker, seconds: float) -> None:
    """Run the worker until every delivery is delivered or dead (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        worker.run_once()
        with sessions() as session:
            open_ = session.scalars(
                select(OutboxRow.id).where(OutboxRow.status.in_(("pending", "in_flight")))
            ).first()
        if open_ is None:
            return
        time.sleep(0.01)
    raise AssertionError("deliveries still open after the deadline")


def _statuses(sessions: sessionmaker[Session]) -> dict[str, OutboxRow]:
    with sessions() as session:
        return {row.id: row for row in session.scalars(select(OutboxRow))}


def test_delivers_each_message_once_with_a_stable_id(
    sessions: sessionmaker[Session], sink: tuple[Sink, str]
) -> None:
    partner, url = sink
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/a")
    ids = _queue(sessions, 25)
    _drain(sessions)
    rows = _statuses(sessions)
    assert {rows[i].status for i in ids} == {"delivered"}
    assert set(partner.accepted) == set(ids)
    assert all(partner.requests[i] == 1 for i in ids)
    assert partner.bad_headers == 0
    assert partner.bodies[ids[3]] == b"message 3"


def test_transient_errors_are_retried_with_the_same_id(
    sessions: sessionmaker[Session], sink: tuple[Sink, str]
) -> None:
    partner, url = sink
    partner.modes["a"] = "flaky:2"
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="850", primary_url=f"{url}/a")
    (only,) = _queue(sessions, 1)
    _drain(sessions)
    row = _statuses(sessions)[only]
    assert row.status == "delivered" and row.attempts == 3
    assert partner.requests[only] == 3 and partner.accepted[only] == ["a"]


@pytest.mark.parametrize("mode", ["400", "404", "422"])
def test_a_permanent_error_dead_letters_at_once(
    sessions: sessionmaker[Session], sink: tuple[Sink, str], mode: str
) -> None:
    partner, url = sink
    partner.modes["a"] = mode
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/a")
    (only,) = _queue(sessions, 1)
    _drain(sessions)
    row = _statuses(sessions)[only]
    assert row.status == "dead" and row.attempts == 1
    assert row.dead_reason is not None and f"HTTP {mode}" in row.dead_reason
    assert "permanent" in row.dead_reason


@pytest.mark.parametrize("mode", ["500", "429", "refused", "timeout"])
def test_transient_errors_dead_letter_after_max_attempts(
    sessions: sessionmaker[Session], sink: tuple[Sink, str], mode: str
) -> None:
    partner, url = sink
    target = f"http://127.0.0.1:{free_port()}/nobody" if mode == "refused" else f"{url}/a"
    partner.modes["a"] = "slow" if mode == "timeout" else mode
    with sessions.begin() as session:
        set_channel(
            session,
            partner_id="SUP1",
            document_type="*",
            primary_url=target,
            max_attempts=3,
            timeout_s=0.2,
        )
    (only,) = _queue(sessions, 1)
    config = WorkerConfig(
        batch=10, poll_s=0.01, retry=FAST.retry, breaker=BreakerPolicy(10, cooldown_s=0.1)
    )
    _drain(sessions, config)
    row = _statuses(sessions)[only]
    assert row.status == "dead" and row.attempts == 3
    assert row.dead_reason is not None and row.dead_reason.startswith("gave up after 3 attempts")


def test_no_channel_is_a_dead_letter_with_the_reason(sessions: sessionmaker[Session]) -> None:
    (only,) = _queue(sessions, 1, partner="NOBODY")
    _drain(sessions)
    row = _statuses(sessions)[only]
    assert row.status == "dead" and row.attempts == 0
    assert "no enabled channel for partner NOBODY" in (row.dead_reason or "")


def test_failover_to_the_secondary_and_failback_when_the_primary_heals(
    sessions: sessionmaker[Session], sink: tuple[Sink, str]
) -> None:
    partner, url = sink
    partner.modes["primary"] = "503"
    with sessions.begin() as session:
        set_channel(
            session,
            partner_id="SUP1",
            document_type="*",
            primary_url=f"{url}/primary",
            secondary_url=f"{url}/secondary",
            max_attempts=10,
        )
    first = _queue(sessions, 10)
    _drain(sessions, STAYS_OPEN)
    assert partner.hits["primary"] == 3  # the breaker opened after three failures
    assert all(partner.accepted[i] == ["secondary"] for i in first)

    partner.modes["primary"] = "ok"  # healed; its breaker is half-open once the cooldown passed
    second = _queue(sessions, 10)
    _drain(sessions, HEALS_NOW)
    assert all(partner.accepted[i] == ["primary"] for i in second)
    assert all(_statuses(sessions)[i].status == "delivered" for i in first + second)


def test_a_primary_that_refuses_connections_fails_over(
    sessions: sessionmaker[Session], sink: tuple[Sink, str]
) -> None:
    partner, url = sink
    down = f"http://127.0.0.1:{free_port()}/primary"  # nothing listens there
    with sessions.begin() as session:
        set_channel(
            session,
            partner_id="SUP1",
            document_type="*",
            primary_url=down,
            secondary_url=f"{url}/secondary",
            max_attempts=10,
        )
    ids = _queue(sessions, 6)
    _drain(sessions, STAYS_OPEN)
    rows = _statuses(sessions)
    assert all(rows[i].status == "delivered" for i in ids)
    assert all(partner.accepted[i] == ["secondary"] for i in ids)
    assert sum(rows[i].attempts for i in ids) == 6 + 3  # three refusals opened the breaker
