"""``gateway worker --until-idle`` ends when nothing is due soon, rather than looping forever."""

from __future__ import annotations

import threading
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.outbox import claim, next_due_in, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.sync_worker import DeliveryWorker, WorkerConfig
from sync import RetryPolicy
from tests.integration.test_sync_worker import FAST, STAYS_OPEN, _queue, sink  # noqa: F401
from tests.sink import Sink

LONG_BACKOFF = replace(FAST, retry=RetryPolicy(initial_s=600, max_s=600, jitter_s=0))


def _run_until_idle(sessions: sessionmaker[Session], config: WorkerConfig) -> None:
    """Run ``--until-idle`` on a thread; fail (instead of hanging) if it does not return."""
    with DeliveryWorker(sessions, config) as worker:
        thread = threading.Thread(
            target=worker.run, args=(threading.Event(),), kwargs={"until_idle": True}
        )
        thread.start()
        thread.join(timeout=120)  # a guard against a hang, not a measurement
        assert not thread.is_alive(), "--until-idle did not stop"


def _rows(sessions: sessionmaker[Session]) -> list[OutboxRow]:
    with sessions() as session:
        return list(session.scalars(select(OutboxRow)))


def _channel(sessions: sessionmaker[Session], url: str) -> None:
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=url)


def test_stops_when_the_only_message_waits_on_a_long_backoff(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    partner, url = sink
    partner.modes["a"] = "500"
    _channel(sessions, f"{url}/a")
    _queue(sessions, 1)
    _run_until_idle(sessions, LONG_BACKOFF)
    (row,) = _rows(sessions)
    assert (row.status, row.attempts) == ("pending", 1)  # left for a later run
    assert partner.hits["a"] == 1


def test_stops_when_every_breaker_is_open(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    partner, url = sink
    partner.modes["a"] = "503"
    _channel(sessions, f"{url}/a")
    _queue(sessions, 6)
    _run_until_idle(sessions, STAYS_OPEN)
    rows = _rows(sessions)
    assert {r.status for r in rows} == {"pending"}
    # the breaker opened after 3 failures; the messages behind it spent no attempt
    assert partner.hits["a"] == 3
    assert sum(r.attempts for r in rows) == 3


def test_waits_for_a_short_backoff_and_delivers(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    partner, url = sink
    partner.modes["a"] = "flaky:2"
    _channel(sessions, f"{url}/a")
    _queue(sessions, 1)
    _run_until_idle(sessions, FAST)
    (row,) = _rows(sessions)
    assert (row.status, row.attempts) == ("delivered", 3)


def test_leaves_a_delivery_held_by_another_workers_lease(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    _, url = sink
    _channel(sessions, f"{url}/a")
    _queue(sessions, 1)
    assert len(claim(sessions, limit=1, lease_s=600)) == 1  # another (live) worker holds it
    due_in = next_due_in(sessions)
    assert due_in is not None and due_in > FAST.idle_wait_s
    _run_until_idle(sessions, FAST)
    (row,) = _rows(sessions)
    assert row.status == "in_flight"


def test_nothing_open_means_nothing_due(sessions: sessionmaker[Session]) -> None:
    assert next_due_in(sessions) is None
    _queue(sessions, 1)
    assert next_due_in(sessions) == 0.0
