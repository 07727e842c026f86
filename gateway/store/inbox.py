"""The inbox: every inbound message is committed here, raw, before anything acknowledges it."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.audit import record
from gateway.store.documents import save_documents
from gateway.store.quality_tables import QualityPendingRow
from gateway.store.tables import InboxRow, utcnow

RECEIVED, PROCESSED, FAILED = "received", "processed", "failed"
log = logging.getLogger("gateway")

Handler = Callable[[Session, InboxRow], Sequence[BaseModel]]
"""Turns a stored message into canonical documents; raises to reject it.

It runs inside the processing transaction: what it writes with the session (bookkeeping such
as acknowledgments) commits or rolls back with the documents."""


@dataclass(frozen=True)
class Stored:
    """The answer to an inbound message: its id, and whether it was seen before.

    ``same_body`` is False when a message with the same dedupe key had other bytes: for an
    Idempotency-Key that is a client error (409), for an X12 ISA13 a re-send with changes.
    """

    message_id: str
    status: str
    duplicate: bool
    same_body: bool = True


def store_message(
    sessions: sessionmaker[Session],
    *,
    partner_id: str,
    channel: str,
    content_type: str,
    body: bytes,
    dedupe_key: str | None = None,
) -> Stored:
    """Commit a raw message durably; a re-send (same partner and dedupe key) is recognised.

    Without a dedupe key the body's sha256 is the key, so a byte-identical re-send is one message.
    """
    digest = hashlib.sha256(body).hexdigest()
    key = _storable_key(dedupe_key) if dedupe_key else f"sha256:{digest}"
    content_type = content_type[:_CONTENT_TYPE_LENGTH]
    row = InboxRow(
        id=uuid.uuid4().hex,
        partner_id=partner_id,
        channel=channel,
        content_type=content_type,
        body=body,
        size_bytes=len(body),
        sha256=digest,
        dedupe_key=key,
        received_at=utcnow(),
        status=RECEIVED,
        attempts=0,
    )
    try:
        with sessions.begin() as session:
            session.add(row)
    except IntegrityError:
        # The unique (partner, dedupe key) says it was seen before, possibly a moment ago by
        # another process: the stored one is the message. Inserting first keeps the common
        # case (a new message) to one statement.
        existing = _find(sessions, partner_id, key, digest)
        if existing is None:
            raise
        return existing
    return Stored(row.id, RECEIVED, duplicate=False)


class ProcessingDeferred(Exception):
    """Processing stopped for a reason outside the message: the database connection dropped, a
    deadlock, a serialization failure, a lock or statement timeout, a full disk.

    The message is not at fault, so it is not failed: it stays stored and ``received``, and
    processing it again (a re-send, a poller's next round, the drop folder's next scan)
    resumes it. Nothing it wrote stays.
    """

    def __init__(self, message_id: str, error: Exception) -> None:
        super().__init__(
            f"message {message_id} is stored, but processing was interrupted "
            f"({type(error).__name__}); send it again to resume"
        )
        self.message_id = message_id
        self.error = error


def is_transient(error: BaseException) -> bool:
    """Whether a database error says "try again" rather than "this message is wrong".

    OperationalError is the DB-API's class for errors outside the statement (connection,
    deadlock, serialization, lock timeout, disk); a value the database refuses is a DataError
    or IntegrityError instead, and stays the message's error.
    """
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | PoolTimeout)


@dataclass(frozen=True)
class Outcome:
    """What processing a message did: its status, the error if it failed, documents stored."""

    status: str
    error: Exception | None = None
    documents: int = 0


def process_message(
    sessions: sessionmaker[Session],
    message_id: str,
    handler: Handler,
    *,
    check_quality: bool = True,
) -> Outcome:
    """Run a handler over a stored message; store its documents in one transaction.

    On failure the documents are rolled back, the raw message stays, and the error is kept on
    the message so it can be fixed and retried. A processed message is never processed again.
    A transient database error (``is_transient``) is not the message's failure: it raises
    ``ProcessingDeferred`` and leaves the message ``received``, so processing it again resumes.
    With ``check_quality`` a message that gave documents is queued, in the same transaction,
    for the streaming data-quality check (``gateway.quality_stream``), which runs apart.
    """
    with sessions() as session:
        # Locked (PostgreSQL): a re-send resuming a stored message and its first request may
        # both get here; the second waits, then sees it processed.
        row = session.get(InboxRow, message_id, with_for_update=True)
        if row is None:
            raise LookupError(f"no inbox message {message_id}")
        if row.status == PROCESSED:
            return Outcome(PROCESSED)
        outcome: Outcome
        try:
            documents = handler(session, row)
            save_documents(session, documents)  # one INSERT per table and level of lines
            row.status, row.error = PROCESSED, None
            if check_quality and documents:
                session.add(QualityPendingRow(message_id=message_id, processed_at=utcnow()))
            outcome = Outcome(PROCESSED, documents=len(documents))
        except Exception as error:  # any handler error is the message's error, kept with it
            session.rollback()  # none of the message's documents stay
            if is_transient(error):
                session.close()
                _note_deferred(sessions, message_id, error)
                raise ProcessingDeferred(message_id, error) from error
            row = session.get_one(InboxRow, message_id)
            # The error may quote the sender's input: no NUL, which PostgreSQL text refuses.
            text = (str(error) or type(error).__name__).replace("\x00", "\\u0000")
            row.status, row.error = FAILED, text
            record(session, "gateway", "inbox.failed", "message", message_id, {"error": row.error})
            outcome = Outcome(FAILED, error=error)
        row.attempts += 1
        row.processed_at = utcnow()
        session.commit()
        return outcome


def _note_deferred(sessions: sessionmaker[Session], message_id: str, error: Exception) -> None:
    """Count the interrupted attempt on the message, if the database answers again."""
    log.warning(
        "message %s: processing interrupted by %s; it stays stored and resumes when sent again",
        message_id,
        type(error).__name__,
    )
    try:
        with sessions.begin() as session:
            row = session.get(InboxRow, message_id)
            if row is not None and row.status == RECEIVED:
                row.attempts += 1
                row.error = f"interrupted, will resume: {type(error).__name__}"
    except SQLAlchemyError:  # still down: the message is stored either way
        log.warning("message %s: could not count the interrupted attempt", message_id)


def get_message(sessions: sessionmaker[Session], message_id: str) -> InboxRow | None:
    """One inbox message, or None."""
    with sessions() as session:
        return session.get(InboxRow, message_id)


_KEY_LENGTH = InboxRow.__table__.c.dedupe_key.type.length  # type: ignore[attr-defined]
_CONTENT_TYPE_LENGTH = InboxRow.__table__.c.content_type.type.length  # type: ignore[attr-defined]


def _storable_key(key: str) -> str:
    """The key itself, or its hash when the column could not hold it (too long, or holding
    NUL, which PostgreSQL text refuses): the same key still finds the same message."""
    if len(key) <= _KEY_LENGTH and "\x00" not in key:
        return key
    return "key-sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _find(sessions: sessionmaker[Session], partner_id: str, key: str, digest: str) -> Stored | None:
    with sessions() as session:
        row = session.scalar(
            select(InboxRow).where(InboxRow.partner_id == partner_id, InboxRow.dedupe_key == key)
        )
        if row is None:
            return None
        return Stored(row.id, row.status, duplicate=True, same_body=row.sha256 == digest)
