"""Outbound X12 awaiting or answered by a 997, for the acknowledgment findings."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gateway.store.sync_tables import OutboxRow
from quality import SentInterchange
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
