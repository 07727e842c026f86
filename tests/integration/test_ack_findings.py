"""Acknowledgment findings: overdue, rejected and partial 997s raise findings; a 997 resolves."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import PurchaseOrder
from gateway.quality_run import check_acknowledgments, run_quality
from gateway.store.outbox import set_channel
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import AuditRow, utcnow
from gateway.sync_worker import DeliveryWorker
from gateway.sync_x12 import enqueue_x12, record_997
from tests.integration.test_sync_worker import FAST, _drain, sink  # noqa: F401
from tests.sink import Sink
from tests.unit.sync.test_acks import ack_997

DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"
WINDOW = dt.timedelta(hours=1)


def _send(sessions: sessionmaker[Session], url: str, count: int) -> list[str]:
    order = PurchaseOrder.model_validate(
        json.loads((DATA / "purchase_order.json").read_text(encoding="utf-8"))
    )
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/edi")
        ids = [
            enqueue_x12(
                session, order, partner_id="SUP1", sender_id="BUYER", receiver_id="SUP1",
                ack_window=WINDOW,
            )
            for _ in range(count)
        ]  # fmt: skip
    _drain(sessions)
    return ids


def _findings(sessions: sessionmaker[Session]) -> dict[tuple[str, str], FindingRow]:
    with sessions() as session:
        return {(r.rule, r.doc_key): r for r in session.scalars(select(FindingRow))}


def test_overdue_then_resolved_by_the_997_and_rejections_found(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    _, url = sink
    _send(sessions, url, 3)  # control numbers 1, 2, 3
    later = utcnow() + 2 * WINDOW
    assert check_acknowledgments(sessions, utcnow()) is not None
    assert _findings(sessions) == {}  # nothing is due yet

    run = check_acknowledgments(sessions, later)
    assert run is not None and run.created == 3
    assert set(_findings(sessions)) == {("ACK_OVERDUE", f"SUP1/{n:09d}") for n in (1, 2, 3)}
    again = check_acknowledgments(sessions, later)  # the same problems: no new findings
    assert again is not None and (again.created, again.resolved) == (0, 0)

    with sessions.begin() as session:
        record_997(session, "SUP1", ack_997([(1, "A"), (2, "R"), (3, "P")]).encode())
    # the 997 resolves the overdue findings in its own transaction, before any check runs
    assert {k: r.state for k, r in _findings(sessions).items()} == {
        ("ACK_OVERDUE", f"SUP1/{n:09d}"): "resolved" for n in (1, 2, 3)
    }
    run = check_acknowledgments(sessions, later + dt.timedelta(minutes=5))
    assert run is not None and (run.created, run.resolved) == (2, 0)
    found = _findings(sessions)
    states = {key: row.state for key, row in found.items()}
    assert states == {
        ("ACK_OVERDUE", "SUP1/000000001"): "resolved",
        ("ACK_OVERDUE", "SUP1/000000002"): "resolved",
        ("ACK_OVERDUE", "SUP1/000000003"): "resolved",
        ("ACK_REJECTED", "SUP1/000000002"): "open",
        ("ACK_PARTIAL", "SUP1/000000003"): "open",
    }
    assert found[("ACK_PARTIAL", "SUP1/000000003")].values["ak901"] == "P"
    with sessions() as session:
        resolutions = session.scalars(
            select(AuditRow.detail).where(AuditRow.action == "finding.resolved")
        ).all()
    assert sorted(d["reason"] for d in resolutions) == [
        "997 received: accepted",
        "997 received: partially_accepted",
        "997 received: rejected",
    ]


def test_the_batch_run_and_the_worker_raise_the_same_findings(
    sessions: sessionmaker[Session],
    sink: tuple[Sink, str],  # noqa: F811
) -> None:
    _, url = sink
    _send(sessions, url, 1)
    with sessions.begin() as session:
        record_997(session, "SUP1", ack_997([(1, "R")]).encode())
    batch = run_quality(sessions, utcnow())
    assert batch.by_rule["ACK_REJECTED"] == 1
    (row,) = _findings(sessions).values()
    assert (row.rule, row.state, row.supplier_id) == ("ACK_REJECTED", "open", "SUP1")

    # the worker's scheduled check sees the same finding: nothing new, nothing resolved
    with DeliveryWorker(sessions, replace(FAST, ack_check_s=3600)) as worker:
        thread = threading.Thread(
            target=worker.run, args=(threading.Event(),), kwargs={"until_idle": True}
        )
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive()
    (after,) = _findings(sessions).values()
    assert (after.state, after.seen_count) == ("open", 2)
    # and the batch run keeps the worker's findings (it reads the same interchanges)
    assert run_quality(sessions, utcnow()).resolved == 0
