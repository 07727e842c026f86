"""The outbox in the store: enqueue with the change, claims, X12 control numbers, the thread."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import process_interchanges
from gateway.model import PurchaseOrder
from gateway.store.breakers import save_breaker
from gateway.store.outbox import claim, enqueue, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import AuditRow, utcnow
from gateway.sync_worker import DeliveryWorker, start_worker
from gateway.sync_x12 import enqueue_x12
from sync import Breaker, BreakerState
from tests.integration.test_sync_worker import FAST, STAYS_OPEN, _queue, sink  # noqa: F401
from tests.sink import Sink

DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def test_a_message_exists_exactly_when_its_transaction_commits(
    sessions: sessionmaker[Session],
) -> None:
    with pytest.raises(RuntimeError), sessions.begin() as session:
        enqueue(session, partner_id="P", document_type="850", body=b"x", content_type="text/plain")
        session.add(AuditRow(at=utcnow(), actor="t", action="t", subject_type="t", subject_id="1"))
        raise RuntimeError("the change failed")
    assert _count(sessions) == 0
    with sessions.begin() as session:
        enqueue(session, partner_id="P", document_type="850", body=b"x", content_type="text/plain")
    assert _count(sessions) == 1


def test_a_claim_is_held_until_its_lease_runs_out(sessions: sessionmaker[Session]) -> None:
    _queue(sessions, 3)
    now = utcnow()
    first = claim(sessions, limit=2, lease_s=60, now=now)
    assert len(first) == 2
    second = claim(sessions, limit=10, lease_s=60, now=now)
    assert len(second) == 1 and {c.id for c in first}.isdisjoint(c.id for c in second)
    assert claim(sessions, limit=10, lease_s=60, now=now) == []
    later = claim(sessions, limit=10, lease_s=60, now=now + dt.timedelta(seconds=61))
    assert {c.id for c in later} == {c.id for c in first + second}  # presumed dead: taken over


def test_open_breakers_hold_deliveries_without_spending_attempts(
    sessions: sessionmaker[Session],
) -> None:
    now = utcnow()
    with sessions.begin() as session:
        set_channel(
            session,
            partner_id="SUP1",
            document_type="*",
            primary_url="http://127.0.0.1:9/a",
            secondary_url="http://127.0.0.1:9/b",
        )
        for url in ("http://127.0.0.1:9/a", "http://127.0.0.1:9/b"):
            save_breaker(session, url, Breaker(BreakerState.OPEN, 3, now), now)
    (only,) = _queue(sessions, 1)
    with DeliveryWorker(sessions, STAYS_OPEN) as worker:
        assert worker.run_once() == 1
    with sessions() as session:
        row = session.get_one(OutboxRow, only)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at > now and row.last_error == "every endpoint's breaker is open"


def test_outbound_x12_takes_the_partners_next_control_numbers(
    sessions: sessionmaker[Session],
) -> None:
    order = PurchaseOrder.model_validate(
        json.loads((DATA / "purchase_order.json").read_text(encoding="utf-8"))
    )
    with sessions.begin() as session:
        ids = [
            enqueue_x12(session, order, partner_id="SUP1", sender_id="BUYER", receiver_id="SUP1")
            for _ in range(2)
        ]
    with sessions() as session:
        rows = [session.get_one(OutboxRow, i) for i in ids]
    assert [r.control_number for r in rows] == ["000000001", "000000002"]
    (result,) = process_interchanges(rows[1].body)
    assert result.accepted and result.key[1] == "000000002"
    assert [d.po_number for d in result.documents] == [order.po_number]  # type: ignore[attr-defined]


def test_the_in_process_worker_starts_and_stops(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    partner, url = sink
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/a")
    ids = _queue(sessions, 5)
    running = start_worker(sessions, FAST)
    try:
        deadline = time.monotonic() + 20
        while set(partner.accepted) != set(ids):
            assert time.monotonic() < deadline and running.alive
            time.sleep(0.02)
    finally:
        running.stop()
    assert not running.alive
