"""Outbound X12 awaiting or answered by a 997, for the acknowledgment findings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gateway.store.findings import audit_events, save_transition, tracked
from gateway.store.quality_tables import FindingRow
from gateway.store.sync_tables import OutboxRow
from quality import SYSTEM_ACTOR, SentInterchange, fingerprint_of, resolve
from quality.rules.acknowledgments import interchange_subject
from sync import AckStatus, Status

# Accepted answers raise nothing: leave them in the table.
_WATCHED = tuple(s.value for s in AckStatus if s is not AckStatus.ACCEPTED)
# Any fixed number: the key of the transaction-level advisory lock the checks take.
_LOCK_KEY = 0x67_77_61_63  # "gwac"


def load_sent_interchanges(session: Session) -> list[SentInterchange]:
    """Delivered interchanges whose 997 is awaited, or came back with a problem."""
    rows = session.execute(
        select(
            OutboxRow.partner_id,
            OutboxRow.document_type,
            OutboxRow.id,
            OutboxRow.control_number,
            OutboxRow.delivered_at,
            OutboxRow.ack_due_at,
            OutboxRow.ack_status,
        ).where(OutboxRow.status == Status.DELIVERED.value, OutboxRow.ack_status.in_(_WATCHED))
    )
    return [
        SentInterchange(partner, doc_type, delivery, number, sent_at, due, status or "")
        for partner, doc_type, delivery, number, sent_at, due, status in rows
    ]


def lock_findings(session: Session, *, wait: bool) -> bool:
    """Serialise the writers of findings on PostgreSQL until this transaction ends.

    Several ``gateway worker`` processes run the acknowledgment check on the same schedule;
    without the lock two of them would insert the same fingerprint. ``wait=False`` gives up at
    once (the other worker is doing the same job). SQLite serialises writers by itself.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        return True
    got = session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    return bool(got)


def resolve_overdue(
    session: Session, partner_id: str, control_number: str, status: str, now: dt.datetime
) -> bool:
    """The 997 for an interchange arrived: resolve its ACK_OVERDUE finding at once (audited)
    rather than at the next check. A rejection or partial answer is raised by that check,
    which applies the quality policy's owners and severities."""
    subject = interchange_subject(partner_id, control_number)
    row = session.scalar(
        select(FindingRow).where(FindingRow.fingerprint == fingerprint_of("ACK_OVERDUE", subject))
    )
    if row is None or tracked(row).is_terminal:
        return False
    move = resolve(tracked(row), SYSTEM_ACTOR, now, f"997 received: {status}")
    save_transition(session, row, move.finding)
    audit_events(session, [move.event])
    return True
