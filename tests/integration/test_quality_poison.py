"""A message whose check raises: isolated from the others, set aside after a few tries,
visible (audit, metric, CLI) and put back by `gateway quality retry`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from gateway.app.quality_metrics import QualityCollector
from gateway.cli_quality import quality_app
from gateway.quality_stream import StreamChecker
from gateway.quality_worker import QualityWorker, QualityWorkerConfig
from gateway.store.quality_failures import failed_messages, retry_failed
from gateway.store.quality_tables import FindingRow, QualityPendingRow
from gateway.store.tables import AuditRow
from quality import check_documents
from quality.rules import RULES
from quality.rules.base import RuleContext
from tests.integration.test_quality_stream import _doc, ingest

POISON = "SH-POISON"


def _notice(shipment_id: str, po_number: str = "PO25000001") -> dict[str, Any]:
    notice = _doc("ship_notice", shipment_id=shipment_id)
    for line in notice["lines"]:
        line["po_number"] = po_number
    return notice


@pytest.fixture
def poisoned(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ASN_UNKNOWN_PO raises whenever the poison notice is among the documents it judges."""
    rule = RULES["ASN_UNKNOWN_PO"]

    def check(context: RuleContext) -> pd.DataFrame:
        if POISON in set(context.frames.asn_lines["shipment_id"]):
            raise ValueError("rule crashed on a poison notice")
        return rule.check(context)

    monkeypatch.setitem(RULES, "ASN_UNKNOWN_PO", replace(rule, check=check))
    yield


def _pending(sessions: sessionmaker[Session]) -> dict[str, QualityPendingRow]:
    with sessions() as session:
        return {row.message_id: row for row in session.scalars(select(QualityPendingRow))}


def _unknown_po(sessions: sessionmaker[Session]) -> set[str]:
    with sessions() as session:
        query = select(FindingRow.doc_key).where(FindingRow.rule == "ASN_UNKNOWN_PO")
        return set(session.scalars(query))


def _failed_gauge(sessions: sessionmaker[Session]) -> float:
    for family in QualityCollector(sessions).collect():
        if family.name == "gateway_quality_stream_failed":
            return float(family.samples[0].value)
    raise AssertionError("no gateway_quality_stream_failed metric")


def test_a_poison_message_does_not_block_the_others(
    sessions: sessionmaker[Session], poisoned: None
) -> None:
    poison = ingest(sessions, _notice(POISON, po_number="PO-POISON"))  # oldest: claimed first
    good = [ingest(sessions, _notice(f"SH-{n}")) for n in range(5)]
    check = StreamChecker(sessions, max_attempts=3).check_once()
    assert (check.messages, check.failed, check.set_aside) == (5, [poison], [])
    assert _unknown_po(sessions) == {f"SH-{n}" for n in range(5)}
    pending = _pending(sessions)
    assert set(pending) == {poison} and pending[poison].attempts == 1
    assert "rule crashed on a poison notice" in (pending[poison].last_error or "")
    assert not set(good) & set(pending)


def test_a_poison_message_is_set_aside_after_n_attempts_and_retried(
    sessions: sessionmaker[Session], poisoned: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    poison = ingest(sessions, _notice(POISON, po_number="PO-POISON"))
    checker = StreamChecker(sessions, max_attempts=3)
    assert [checker.check_once().set_aside for _ in range(3)] == [[], [], [poison]]
    row = _pending(sessions)[poison]
    assert row.attempts == 3 and row.failed_at is not None  # still there: not dropped
    ingest(sessions, _notice("SH-AFTER"))
    check = checker.check_once()  # set aside: it no longer comes first, nor at all
    assert (check.messages, check.failed) == (1, [])
    assert _unknown_po(sessions) == {"SH-AFTER"}
    with sessions() as session:
        [listed] = failed_messages(session)
        audit = session.scalars(select(AuditRow).where(AuditRow.action == "quality.check_failed"))
        [event] = list(audit)
    assert (listed.message_id, listed.attempts) == (poison, 3)
    assert (event.subject_id, event.detail["attempts"]) == (poison, 3)
    assert "rule crashed" in event.detail["error"]
    assert _failed_gauge(sessions) == 1.0

    monkeypatch.undo()  # the rule is fixed
    with sessions.begin() as session:
        assert retry_failed(session, [poison], actor="test") == [poison]
    assert _pending(sessions)[poison].attempts == 0
    assert checker.check_once().messages == 1
    assert POISON in _unknown_po(sessions) and not _pending(sessions)
    assert _failed_gauge(sessions) == 0.0


def test_the_worker_ends_idle_with_a_poison_message_set_aside(
    sessions: sessionmaker[Session], poisoned: None
) -> None:
    poison = ingest(sessions, _notice(POISON, po_number="PO-POISON"))
    ingest(sessions, _notice("SH-1"))
    worker = QualityWorker(sessions, QualityWorkerConfig(poll_s=0, max_attempts=2))
    worker.run(threading.Event(), until_idle=True)
    assert _unknown_po(sessions) == {"SH-1"}
    assert [m.message_id for m in _listed(sessions)] == [poison]


def _listed(sessions: sessionmaker[Session]) -> list[Any]:
    with sessions() as session:
        return list(failed_messages(session))


def test_the_cli_lists_and_retries_set_aside_messages(
    database_url: str,
    sessions: sessionmaker[Session],
    poisoned: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poison = ingest(sessions, _notice(POISON, po_number="PO-POISON"))
    StreamChecker(sessions, max_attempts=1).check_once()
    monkeypatch.setenv("GATEWAY_DATABASE_URL", database_url)
    runner = CliRunner()
    worked = runner.invoke(quality_app, ["worker", "--until-idle", "--poll", "0"])
    assert worked.exit_code == 0 and "1 message(s) set aside" in worked.output
    listed = runner.invoke(quality_app, ["failed"], terminal_width=200)
    assert listed.exit_code == 0 and poison in listed.output
    assert runner.invoke(quality_app, ["retry"]).exit_code == 2  # neither ids nor --all
    assert runner.invoke(quality_app, ["retry", "nope"]).exit_code == 1
    retried = runner.invoke(quality_app, ["retry", "--all"])
    assert retried.exit_code == 0 and poison in retried.output
    assert _pending(sessions)[poison].failed_at is None
    with sessions() as session:
        actions = set(session.scalars(select(AuditRow.action).where(AuditRow.actor == "cli")))
    assert actions == {"quality.check_retried"}


def test_a_message_that_raised_before_is_checked_alone_on_its_next_try(
    sessions: sessionmaker[Session], poisoned: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(sessions, _notice(POISON, po_number="PO-POISON"))
    for n in range(4):
        ingest(sessions, _notice(f"SH-{n}"))
    checker = StreamChecker(sessions, max_attempts=3)
    checker.check_once()  # bisects: whole batch, halves, quarters...
    for n in range(4, 8):
        ingest(sessions, _notice(f"SH-{n}"))
    calls: list[int] = []
    original = check_documents

    def counted(documents: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(documents))
        return original(documents, *args, **kwargs)

    monkeypatch.setattr("gateway.quality_stream.check_documents", counted)
    check = checker.check_once()
    assert (check.messages, len(check.failed)) == (4, 1)
    assert len(calls) == 2  # the new messages together, the suspect alone: no bisection
