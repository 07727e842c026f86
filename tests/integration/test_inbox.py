"""The inbox keeps every message, before processing and after a failure, and counts it once."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from gateway.app.inbound import parse_canonical
from gateway.store import get_message, process_message, store_message
from gateway.store.document_tables import PurchaseOrderRow
from gateway.store.inbox import ProcessingDeferred
from gateway.store.tables import AuditRow, InboxRow

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "canonical" / "purchase_order.json"


def _store(sessions: sessionmaker[Session], body: bytes, key: str | None = None) -> str:
    stored = store_message(
        sessions,
        partner_id="SUP001",
        channel="api",
        content_type="application/json",
        body=body,
        dedupe_key=key,
    )
    return stored.message_id


def test_message_is_committed_before_processing(sessions: sessionmaker[Session]) -> None:
    body = EXAMPLE.read_bytes()
    message_id = _store(sessions, body)
    row = get_message(sessions, message_id)  # read through a fresh session: it is committed
    assert row is not None and row.status == "received" and row.body == body
    assert row.sha256 == hashlib.sha256(body).hexdigest()


def test_failed_processing_keeps_the_raw_message_and_the_error(
    sessions: sessionmaker[Session],
) -> None:
    body = EXAMPLE.read_bytes()
    message_id = _store(sessions, body)

    def explode(session: Session, row: InboxRow) -> list[BaseModel]:
        documents = list(parse_canonical(session, row))
        raise RuntimeError(f"downstream failed after parsing {len(documents)} document")

    outcome = process_message(sessions, message_id, explode)
    assert outcome.status == "failed"
    row = get_message(sessions, message_id)
    assert row is not None and row.body == body and row.status == "failed"
    assert row.error == "downstream failed after parsing 1 document" and row.attempts == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 0
        audit = session.scalars(select(AuditRow).where(AuditRow.action == "inbox.failed")).all()
        assert [entry.subject_id for entry in audit] == [message_id]
    # Fixed downstream, the same message is retried and processed from what was stored.
    assert process_message(sessions, message_id, parse_canonical).status == "processed"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 1
        assert session.get(InboxRow, message_id).attempts == 2  # type: ignore[union-attr]


def test_partial_documents_are_rolled_back_on_failure(sessions: sessionmaker[Session]) -> None:
    message_id = _store(sessions, EXAMPLE.read_bytes())

    def half_good(session: Session, row: InboxRow) -> list[BaseModel]:
        good = list(parse_canonical(session, row))
        bad = good[0].model_copy(update={"provenance": None})
        return [*good, bad]

    assert process_message(sessions, message_id, half_good).status == "failed"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 0


def test_a_resent_message_is_recognised_and_counted_once(sessions: sessionmaker[Session]) -> None:
    body = EXAMPLE.read_bytes()
    first = store_message(
        sessions, partner_id="SUP001", channel="api", content_type="application/json", body=body
    )
    again = store_message(
        sessions, partner_id="SUP001", channel="api", content_type="application/json", body=body
    )
    assert again.duplicate and again.message_id == first.message_id
    other_partner = store_message(
        sessions, partner_id="SUP002", channel="api", content_type="application/json", body=body
    )
    assert not other_partner.duplicate
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxRow)) == 2


def test_same_idempotency_key_is_one_message_even_with_another_body(
    sessions: sessionmaker[Session],
) -> None:
    first = _store(sessions, b'{"a": 1}', key="idempotency:k1")
    second = _store(sessions, b'{"a": 2}', key="idempotency:k1")
    assert first == second


def test_concurrent_resends_store_one_message(sessions: sessionmaker[Session]) -> None:
    body = json.dumps({"n": 42}).encode()
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(lambda _: _store(sessions, body, key="isa:SUP001:000000042"), range(12)))
    assert len(ids) == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxRow)) == 1


def test_processing_twice_stores_documents_once(sessions: sessionmaker[Session]) -> None:
    message_id = _store(sessions, EXAMPLE.read_bytes())
    assert process_message(sessions, message_id, parse_canonical).status == "processed"
    assert process_message(sessions, message_id, parse_canonical).status == "processed"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 1


def test_unknown_message_is_a_lookup_error(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(LookupError, match="no inbox message"):
        process_message(sessions, "0" * 32, parse_canonical)


def test_an_interrupted_database_defers_the_message_and_processing_it_again_resumes(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    """The database breaks the processing transaction mid-handler, as a real one does.

    PostgreSQL: another connection terminates the session's backend (a restart, a failover, a
    dropped link). SQLite: another connection holds the write lock past the busy timeout.
    """
    message_id = _store(sessions, EXAMPLE.read_bytes())

    def cut_off(session: Session, row: InboxRow) -> list[BaseModel]:
        documents = list(parse_canonical(session, row))
        if engine.dialect.name == "postgresql":
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with engine.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            session.execute(text("SELECT 1"))  # the link is gone
            return documents
        assert engine.url.database is not None
        session.execute(text("PRAGMA busy_timeout=50"))
        blocker = sqlite3.connect(engine.url.database, isolation_level=None)
        try:
            blocker.execute("BEGIN IMMEDIATE")
            session.execute(
                text("UPDATE inbox SET attempts = attempts + 0 WHERE id = :id"), {"id": row.id}
            )
        finally:
            blocker.close()
        return documents

    with pytest.raises(ProcessingDeferred, match=f"message {message_id} is stored") as deferred:
        process_message(sessions, message_id, cut_off)
    assert deferred.value.message_id == message_id
    row = get_message(sessions, message_id)
    assert row is not None and row.status == "received"  # not failed: not the message's fault
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 0
        failed = session.scalars(select(AuditRow).where(AuditRow.action == "inbox.failed")).all()
        assert failed == []
    # Once the database answers again, the same message is processed from what was stored.
    assert process_message(sessions, message_id, parse_canonical).status == "processed"
    row = get_message(sessions, message_id)
    assert row is not None and row.status == "processed" and row.error is None
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrderRow)) == 1
