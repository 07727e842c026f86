"""The streaming check: queued with the documents, checked once, across restarts and workers."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.app.inbound import parse_canonical
from gateway.quality_policy import load_policy
from gateway.quality_run import run_quality
from gateway.quality_stream import StreamChecker
from gateway.quality_worker import QualityWorker, QualityWorkerConfig
from gateway.store import process_message, store_message
from gateway.store.document_tables import ShipNoticeRow
from gateway.store.engine import make_session_factory
from gateway.store.quality_tables import FindingRow, QualityPendingRow, QualityRunRow
from gateway.store.tables import AuditRow, utcnow
from quality import DEFAULT_CADENCE_DAYS
from tests.support import engine_for_tests

CANONICAL = Path(__file__).resolve().parents[1] / "data" / "canonical"


def _doc(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CANONICAL / f"{name}.json").read_text())
    data.update(changes)
    return data


def _over_shipped(shipment_id: str = "SH-OVER", extra: int = 1000) -> dict[str, Any]:
    notice = _doc("ship_notice", shipment_id=shipment_id)
    notice["lines"][0]["quantity"] += extra
    return notice


def ingest(sessions: sessionmaker[Session], data: dict[str, Any], partner: str = "SUP001") -> str:
    stored = store_message(
        sessions,
        partner_id=partner,
        channel="api",
        content_type="application/json",
        body=json.dumps(data).encode(),
    )
    outcome = process_message(sessions, stored.message_id, parse_canonical)
    assert outcome.status == "processed", outcome.error
    return stored.message_id


def _count(sessions: sessionmaker[Session], table: Any, *where: Any) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def _rules(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return {row.rule: row.state for row in session.scalars(select(FindingRow))}


def test_an_ingested_message_is_queued_and_checked_once(sessions: sessionmaker[Session]) -> None:
    ingest(sessions, _doc("purchase_order"))
    ingest(sessions, _over_shipped())
    assert _count(sessions, QualityPendingRow) == 2
    check = StreamChecker(sessions).check_once()
    assert (check.messages, check.documents) == (2, 2)
    assert _rules(sessions).get("ASN_OVER_SHIPMENT") == "open"
    assert _count(sessions, QualityPendingRow) == 0
    opened = _count(sessions, AuditRow, AuditRow.action == "finding.opened")
    # A restart: a new checker finds nothing left to check and raises nothing again.
    assert StreamChecker(sessions).check_once().messages == 0
    assert _count(sessions, AuditRow, AuditRow.action == "finding.opened") == opened
    with sessions() as session:
        mark = session.get_one(QualityRunRow, "stream")
        assert (mark.runs, mark.checked) == (1, 2)


def test_a_check_sees_the_stored_documents_a_new_one_relates_to(
    sessions: sessionmaker[Session],
) -> None:
    ingest(sessions, _doc("purchase_order"))
    StreamChecker(sessions).check_once()
    assert "ASN_OVER_SHIPMENT" not in _rules(sessions)
    ingest(sessions, _over_shipped())  # alone in its micro-batch: the PO comes from the store
    check = StreamChecker(sessions).check_once()
    assert (check.messages, check.related) == (1, 1)
    assert _rules(sessions)["ASN_OVER_SHIPMENT"] == "open"


def test_an_unknown_po_is_found_without_the_batch(sessions: sessionmaker[Session]) -> None:
    ingest(sessions, _doc("ship_notice"))
    StreamChecker(sessions).check_once()
    assert _rules(sessions)["ASN_UNKNOWN_PO"] == "open"
    ingest(sessions, _doc("purchase_order"))  # the PO arrives: the notice's finding stands
    StreamChecker(sessions).check_once()  # until the ship notice is checked again (batch)
    run_quality(sessions, utcnow())
    assert _rules(sessions)["ASN_UNKNOWN_PO"] == "resolved"


def test_a_crash_before_the_commit_leaves_the_message_queued(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(sessions, _doc("ship_notice"))

    def crash(*_args: object) -> None:
        raise RuntimeError("killed mid-check")

    monkeypatch.setattr("gateway.quality_stream.write_reconciliation", crash)
    with pytest.raises(RuntimeError):
        StreamChecker(sessions).check_once()
    monkeypatch.undo()
    assert _count(sessions, QualityPendingRow) == 1 and _count(sessions, FindingRow) == 0
    assert StreamChecker(sessions).check_once().messages == 1  # nothing was skipped
    assert _rules(sessions)["ASN_UNKNOWN_PO"] == "open"


def test_the_batch_run_takes_what_it_covered_off_the_queue(
    sessions: sessionmaker[Session],
) -> None:
    ingest(sessions, _doc("ship_notice"))
    run_quality(sessions, utcnow())
    assert _count(sessions, QualityPendingRow) == 0
    assert StreamChecker(sessions).check_once().messages == 0
    with sessions() as session:
        assert session.get_one(QualityRunRow, "batch").checked == 1


def test_unqueued_processing_is_left_to_the_batch(sessions: sessionmaker[Session]) -> None:
    stored = store_message(
        sessions, partner_id="SUP001", channel="api", content_type="application/json",
        body=json.dumps(_doc("ship_notice")).encode(),
    )  # fmt: skip
    process_message(sessions, stored.message_id, parse_canonical, check_quality=False)
    assert _count(sessions, QualityPendingRow) == 0


def _policy(tmp_path: Path, cadences: dict[str, float]) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"thresholds": {"partner_cadence_days": cadences}}))
    return path


def test_stale_feeds_are_raised_on_the_cadence_of_each_feed(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ingest(sessions, _doc("ship_notice"), partner="SUP001")
    ingest(sessions, _doc("ship_notice", shipment_id="SH-2"), partner="SUP002")
    with sessions.begin() as session:  # both arrived three days ago
        session.execute(update(ShipNoticeRow).values(received_at=utcnow() - dt.timedelta(days=3)))
    policy = _policy(tmp_path, {"SUP001/ship_notice": 1, "SUP003/inventory_position": 1})
    checker = StreamChecker(sessions, policy_file=policy)
    check = checker.check_freshness(every_s=600)
    assert check is not None and check.created == 2
    with sessions() as session:
        stale = {
            (r.doc_key, r.line)
            for r in session.scalars(select(FindingRow))
            if r.rule == "FEED_STALE"
        }
    # SUP001 ships daily by its policy; SUP002 on the default 14 days; SUP003 never sent.
    assert stale == {("SUP001", "ship_notice"), ("SUP003", "inventory_position")}
    assert checker.check_freshness(every_s=600) is None  # not due again yet
    # The feed comes back: the next due round resolves its finding.
    ingest(sessions, _doc("ship_notice", shipment_id="SH-3"), partner="SUP001")
    result = StreamChecker(sessions, policy_file=policy).check_freshness(every_s=0)
    assert result is not None and result.resolved == 1


def test_freshness_on_an_empty_store(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    """A fresh install: with no feed expected the round finds nothing (it raised on the
    empty store's untyped frame before, every round); a feed the policy expects is raised
    as never received."""
    check = StreamChecker(sessions).check_freshness(every_s=600)
    assert check is not None and check.created == 0
    policy = _policy(tmp_path, {"SUP003/inventory_position": 1})
    check = StreamChecker(sessions, policy_file=policy).check_freshness(every_s=0)
    assert check is not None and check.created == 1
    with sessions() as session:
        found = [(r.rule, r.doc_key, r.line) for r in session.scalars(select(FindingRow))]
    assert found == [("FEED_STALE", "SUP003", "inventory_position")]


def test_two_workers_on_postgresql_check_each_message_once(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks: several workers share the queue on PostgreSQL")
    ingest(sessions, _doc("purchase_order"))
    for n in range(60):
        ingest(sessions, _over_shipped(f"SH-{n:03d}", extra=n + 1))
    checked: list[int] = []
    engines: list[Engine] = [engine_for_tests(database_url) for _ in range(2)]

    def work(engine: Engine) -> None:
        checker = StreamChecker(make_session_factory(engine), batch=7)
        idle = 0
        while idle < 3:
            check = checker.check_once()
            checked.append(check.messages)
            idle = idle + 1 if check.messages == 0 and not check.retry else 0

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for engine in engines:
        engine.dispose()
    assert sum(checked) == 61  # each message once: none twice, none skipped
    assert _count(sessions, QualityPendingRow) == 0
    with sessions() as session:
        assert session.get_one(QualityRunRow, "stream").checked == 61
    # Cumulative shipments pass the order on each of the PO's three lines: one finding each.
    assert _count(sessions, FindingRow, FindingRow.rule == "ASN_OVER_SHIPMENT") == 3


def test_the_worker_lingers_for_a_micro_batch(sessions: sessionmaker[Session]) -> None:
    ingest(sessions, _doc("ship_notice"))
    config = QualityWorkerConfig(linger_s=3600, min_batch=2, freshness_every_s=3600)
    worker = QualityWorker(sessions, config)
    assert worker.run_once() == 1  # one message, young: it waits for company
    ingest(sessions, _doc("ship_notice", shipment_id="SH-2"))
    assert worker.run_once() == 0  # two make a batch
    assert _count(sessions, FindingRow, FindingRow.rule == "ASN_UNKNOWN_PO") == 2
    ingest(sessions, _doc("ship_notice", shipment_id="SH-3"))
    worker.run(threading.Event(), until_idle=True)  # until idle: no lingering
    assert _count(sessions, QualityPendingRow) == 0


def test_a_feed_cadence_in_the_policy_keeps_the_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"thresholds": {"cadence_days": {"ship_notice": 1}}}))
    config = load_policy(path, []).config
    assert config.cadence("SUP001", "ship_notice") == 1
    assert (
        config.cadence("SUP001", "inventory_position") == DEFAULT_CADENCE_DAYS["inventory_position"]
    )
