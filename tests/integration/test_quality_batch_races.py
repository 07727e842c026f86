"""The batch re-check against concurrent writers of findings: a streaming check creating the
same fingerprint, a person moving a finding between the batch's read and its write."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from gateway.quality_run import run_quality
from gateway.quality_stream import StreamChecker
from gateway.store.findings import (
    audit_events,
    findings_by_fingerprint,
    insert_new,
    load_all_findings,
    tracked,
    update_unless_changed,
)
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import AuditRow, utcnow
from quality import FindingState, TrackedFinding, apply_action
from tests.integration.test_quality_stream import _doc, ingest

LATER = dt.timedelta(minutes=5)


def _finding(sessions: sessionmaker[Session], rule: str) -> TrackedFinding:
    with sessions() as session:
        [row] = session.scalars(select(FindingRow).where(FindingRow.rule == rule))
        return tracked(row)


def _events(sessions: sessionmaker[Session], action: str) -> list[AuditRow]:
    with sessions() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


def _acknowledge(sessions: sessionmaker[Session], fingerprint: str) -> None:
    """What POST /findings/{fp}/acknowledge does, in a session of its own."""
    with sessions.begin() as session:
        [before] = findings_by_fingerprint(session, [fingerprint], lock=True)
        moved = apply_action(before, "acknowledge", "buyer-1", utcnow())
        assert update_unless_changed(session, before, moved.finding)
        audit_events(session, [moved.event])


def test_a_streaming_insert_between_the_batch_read_and_write_is_refreshed(
    sessions: sessionmaker[Session],
) -> None:
    ingest(sessions, _doc("ship_notice"))  # queued, not checked yet

    def stream_meanwhile(name: str) -> None:
        if name == "reconciling":  # the batch has read the findings (none) and judged
            assert StreamChecker(sessions).check_once().created == 2

    # ASN_UNKNOWN_PO and ASN_NOT_RECEIVED: refreshed what the stream created, not refused.
    run = run_quality(sessions, utcnow() + LATER, step=stream_meanwhile)
    assert (run.created, run.updated) == (0, 2)
    finding = _finding(sessions, "ASN_UNKNOWN_PO")
    assert (finding.state, finding.seen_count) == (FindingState.OPEN, 2)
    assert len(_events(sessions, "finding.opened")) == 2


def test_an_acknowledgement_between_the_batch_read_and_write_survives(
    sessions: sessionmaker[Session],
) -> None:
    ingest(sessions, _doc("ship_notice"))
    run_quality(sessions, utcnow())
    fingerprint = _finding(sessions, "ASN_UNKNOWN_PO").fingerprint

    def acknowledge_meanwhile(name: str) -> None:
        if name == "reconciling":  # the batch read the finding open
            _acknowledge(sessions, fingerprint)

    run = run_quality(sessions, utcnow() + LATER, step=acknowledge_meanwhile)
    assert run.updated == 2  # this one (on its second round) and ASN_NOT_RECEIVED
    finding = _finding(sessions, "ASN_UNKNOWN_PO")
    assert (finding.state, finding.seen_count) == (FindingState.ACKNOWLEDGED, 2)
    assert [e.actor for e in _events(sessions, "finding.acknowledged")] == ["buyer-1"]


def test_a_batch_resolving_an_acknowledged_finding_audits_it_from_acknowledged(
    sessions: sessionmaker[Session],
) -> None:
    ingest(sessions, _doc("ship_notice"))
    run_quality(sessions, utcnow())
    fingerprint = _finding(sessions, "ASN_UNKNOWN_PO").fingerprint
    ingest(sessions, _doc("purchase_order"))  # the next batch no longer sees the problem

    def acknowledge_meanwhile(name: str) -> None:
        if name == "reconciling":
            _acknowledge(sessions, fingerprint)

    run_quality(sessions, utcnow() + LATER, step=acknowledge_meanwhile)
    assert _finding(sessions, "ASN_UNKNOWN_PO").state == FindingState.RESOLVED
    [resolved] = [e for e in _events(sessions, "finding.resolved") if e.subject_id == fingerprint]
    assert resolved.detail["from"] == "acknowledged"  # judged from what was stored


def test_a_duplicate_fingerprint_race_interleaved_by_hand(
    sessions: sessionmaker[Session],
) -> None:
    """Two sessions: the batch reads no finding, the stream creates it and commits, then the
    batch inserts the same fingerprint: skipped (to refresh), not a unique violation."""
    ingest(sessions, _doc("ship_notice"))
    StreamChecker(sessions).check_once()
    created = _finding(sessions, "ASN_UNKNOWN_PO")
    with sessions.begin() as stream:
        stream.execute(delete(FindingRow))

    with sessions() as batch:
        assert load_all_findings(batch) == []  # 1. the batch reads: nothing stored
        with sessions.begin() as stream:  # 2. the stream creates the finding and commits
            assert insert_new(stream, [created]) == set()
        # What a plain insert did: the batch failed on the duplicate fingerprint.
        with pytest.raises(IntegrityError), batch.begin_nested():
            batch.add(FindingRow(**_plain(created)))
        assert insert_new(batch, [created]) == {created.fingerprint}  # 3. skipped instead
        again = findings_by_fingerprint(batch, [created.fingerprint], lock=True)
        assert [t.fingerprint for t in again] == [created.fingerprint]  # 4. to refresh
        batch.commit()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 1


def test_a_change_made_after_the_read_is_not_overwritten(sessions: sessionmaker[Session]) -> None:
    ingest(sessions, _doc("ship_notice"))
    StreamChecker(sessions).check_once()
    before = _finding(sessions, "ASN_UNKNOWN_PO")
    _acknowledge(sessions, before.fingerprint)  # someone moves it after our read
    stale = apply_action(before, "resolve", "buyer-2", utcnow(), reason="fixed upstream")
    with sessions.begin() as session:
        assert not update_unless_changed(session, before, stale.finding)
    assert _finding(sessions, "ASN_UNKNOWN_PO").state == FindingState.ACKNOWLEDGED


def _plain(finding: TrackedFinding) -> dict[str, object]:
    from gateway.store.findings import _row_values

    return _row_values(finding)


def test_on_postgresql_a_batch_insert_waits_for_the_streams_and_then_skips(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    """The stream's insert is not committed yet when the batch inserts the same fingerprint:
    PostgreSQL holds the batch on the unique index until the stream commits, then skips."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: the batch waits for the write lock")
    ingest(sessions, _doc("ship_notice"))
    StreamChecker(sessions).check_once()
    created = _finding(sessions, "ASN_UNKNOWN_PO")
    with sessions.begin() as session:
        session.execute(delete(FindingRow))
    skipped: list[set[str]] = []
    stream = sessions()
    stream.begin()
    insert_new(stream, [created])  # 1. the stream inserts, not committed
    batch_pid: list[int] = []

    def batch() -> None:
        with sessions.begin() as session:
            batch_pid.append(int(session.scalar(text("SELECT pg_backend_pid()")) or 0))
            skipped.append(insert_new(session, [created]))  # 2. waits on the stream's row

    thread = threading.Thread(target=batch)
    thread.start()
    _wait_until_blocked(sessions, batch_pid)
    stream.commit()  # 3. the stream commits: the batch's insert goes on and skips the row
    stream.close()
    thread.join(60)
    assert skipped == [{created.fingerprint}]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 1


def _wait_until_blocked(sessions: sessionmaker[Session], pids: list[int]) -> None:
    """Until the batch's backend waits on a lock (pg_stat_activity), seen from another
    connection: an ordering, not a timing."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    with sessions() as observer:
        for _ in range(600):
            waiting = pids and observer.execute(query, {"pid": pids[0]}).scalar()
            observer.rollback()  # pg_stat_activity is a snapshot per transaction
            if waiting == "Lock":
                return
            threading.Event().wait(0.05)
    raise AssertionError("the batch never waited on the stream's insert")
