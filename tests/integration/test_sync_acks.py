"""Acknowledgment tracking: a sent interchange waits for its 997, is matched, or goes overdue."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from gateway.model import PurchaseOrder
from gateway.store.outbox import set_channel
from gateway.store.sync_health import partner_health
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import utcnow
from gateway.sync_x12 import enqueue_x12, record_997
from tests.integration.test_sync_worker import FAST, _drain, sink  # noqa: F401
from tests.sink import Sink
from tests.unit.sync.test_acks import ack_997

DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"


def test_sent_interchanges_are_matched_to_997s_or_go_overdue(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    _, url = sink
    order = PurchaseOrder.model_validate(
        json.loads((DATA / "purchase_order.json").read_text(encoding="utf-8"))
    )
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/edi")
        ids = [
            enqueue_x12(
                session,
                order,
                partner_id="SUP1",
                sender_id="BUYER",
                receiver_id="SUP1",
                ack_window=dt.timedelta(hours=1),
            )
            for _ in range(3)
        ]
    _drain(sessions)
    with sessions.begin() as session:
        matched = record_997(session, "SUP1", ack_997([(1, "A"), (2, "R")]).encode())
        assert matched == ids[:2]
    with sessions() as session:
        rows = [session.get_one(OutboxRow, i) for i in ids]
        assert [r.ack_status for r in rows] == ["accepted", "rejected", "waiting"]
        assert rows[2].ack_due_at is not None and rows[2].delivered_at is not None
        assert rows[2].ack_due_at - rows[2].delivered_at == dt.timedelta(hours=1)
        (now_health,) = [h for h in partner_health(session, utcnow()) if h.document_type == "850"]
        (later,) = [
            h
            for h in partner_health(session, utcnow() + dt.timedelta(hours=2))
            if h.document_type == "850"
        ]
    assert (now_health.overdue_acks, now_health.problem_acks) == (0, 1)
    assert (later.overdue_acks, later.problem_acks) == (1, 1)
