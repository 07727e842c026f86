"""Messages whose streaming check raised: counted, set aside after a few tries, retried.

A message whose documents make a rule raise would otherwise stay at the head of the queue
and fail every check that claims it. The checker isolates it (see
``gateway.quality_stream``), counts the try on its queue row, and after ``max_attempts``
sets it aside: the row stays (nothing is dropped), out of the claim order, with its last
error, an audit event ``quality.check_failed`` and the ``gateway_quality_stream_failed``
gauge, until ``gateway quality retry`` puts it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway.store.audit import record
from gateway.store.quality_tables import QualityPendingRow

CHECK_FAILED = "quality.check_failed"
CHECK_RETRIED = "quality.check_retried"
SUBJECT = "inbox_message"
_ERROR_CHARS = 2000  # enough for a type, a message and a line or two of context


@dataclass(frozen=True)
class FailedMessage:
    """A queued message set aside after its check raised ``attempts`` times."""

    message_id: str
    processed_at: dt.datetime
    failed_at: dt.datetime
    attempts: int
    last_error: str


def record_failures(
    session: Session,
    errors: Mapping[str, str],
    now: dt.datetime,
    *,
    max_attempts: int,
    actor: str,
) -> list[str]:
    """Count one failed check for each message in ``errors`` (id -> error text); the ids
    that reached ``max_attempts`` and were set aside (each audited ``quality.check_failed``)."""
    set_aside: list[str] = []
    for message_id, error in sorted(errors.items()):
        row = session.get(QualityPendingRow, message_id)
        if row is None or row.failed_at is not None:
            continue  # checked (or set aside) by another worker meanwhile
        row.attempts += 1
        row.last_error = error[:_ERROR_CHARS]
        if row.attempts >= max_attempts:
            row.failed_at = now
            set_aside.append(message_id)
            detail = {"error": row.last_error, "attempts": row.attempts}
            record(session, actor, CHECK_FAILED, SUBJECT, message_id, detail)
    session.flush()
    return set_aside


def failed_messages(session: Session) -> list[FailedMessage]:
    """The set-aside messages, oldest failure first."""
    query = (
        select(QualityPendingRow)
        .where(QualityPendingRow.failed_at.is_not(None))
        .order_by(QualityPendingRow.failed_at, QualityPendingRow.message_id)
    )
    return [
        FailedMessage(
            row.message_id,
            row.processed_at,
            row.failed_at or row.processed_at,
            row.attempts,
            row.last_error or "",
        )
        for row in session.scalars(query)
    ]


def count_failed(session: Session) -> int:
    query = select(func.count()).where(QualityPendingRow.failed_at.is_not(None))
    return int(session.scalar(query) or 0)


def retry_failed(session: Session, message_ids: Collection[str] | None, *, actor: str) -> list[str]:
    """Put set-aside messages back in the queue (all when ``message_ids`` is None) with
    their tries reset; the ids put back, each audited ``quality.check_retried``."""
    query = select(QualityPendingRow.message_id).where(QualityPendingRow.failed_at.is_not(None))
    if message_ids is not None:
        query = query.where(QualityPendingRow.message_id.in_(sorted(message_ids)))
    ids = list(session.scalars(query.order_by(QualityPendingRow.message_id)))
    if ids:
        session.execute(
            update(QualityPendingRow)
            .where(QualityPendingRow.message_id.in_(ids))
            .values(failed_at=None, attempts=0)
            .execution_options(synchronize_session=False)
        )
    for message_id in ids:
        record(session, actor, CHECK_RETRIED, SUBJECT, message_id, {})
    return ids
