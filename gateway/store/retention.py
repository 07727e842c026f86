"""Retention: delete operational history older than a cut-off, in short batches.

Two histories grow with every run of the workers and are read only over recent windows:

- ``poller_runs``: one row per poller run (the health view counts the last hour; each
  poller's own row keeps its totals and last success or failure).
- ``sync_attempts``: one row per delivery attempt (the health view counts the last hour and
  shows each channel's last success and last failure; a dead letter shows its attempts).

What goes: rows older than the cut-off, except the attempts of a delivery that is still
pending, in flight or dead (its history is what an engineer reads before replaying it), and
the newest successful and the newest failed attempt of each partner and document type (the
health view's "last success" and "last failure" stay what they were). Nothing a message,
document, dedupe or acknowledgment depends on is touched: the inbox, documents, 997s,
delivered bodies, poller item hashes and the audit log stay.

Each batch is its own short transaction (rows picked by id, then deleted by id), so workers
and servers writing the same tables are not held up behind one long delete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from gateway.store.audit import record
from gateway.store.poller_tables import PollerRunRow
from gateway.store.sync_tables import AttemptRow, OutboxRow
from sync import Status

__all__ = ["HISTORIES", "History", "prune_histories"]

# a delivery in one of these states keeps every attempt
_OPEN = (Status.PENDING.value, Status.IN_FLIGHT.value, Status.DEAD.value)


@dataclass(frozen=True)
class History:
    """One table of history: its name, id column and what makes a row old enough to go."""

    table: str
    id_column: InstrumentedAttribute[int]
    # the condition for rows older than the cut-off, worked out once per run
    prunable: Callable[[Session, dt.datetime], ColumnElement[bool]]


def _old_poller_runs(_session: Session, before: dt.datetime) -> ColumnElement[bool]:
    return PollerRunRow.finished_at < before


def _old_attempts(session: Session, before: dt.datetime) -> ColumnElement[bool]:
    # Each channel's newest success and failure, read once per run (a few ids per partner),
    # not aggregated over the whole table again for every batch. Attempts made meanwhile
    # are newer than the cut-off, so they are not prunable either way.
    channel = (AttemptRow.partner_id, AttemptRow.document_type, AttemptRow.ok)
    newest = list(session.scalars(select(func.max(AttemptRow.id)).group_by(*channel)))
    still_open = exists().where(OutboxRow.id == AttemptRow.delivery_id, OutboxRow.status.in_(_OPEN))
    return and_(AttemptRow.at < before, ~still_open, AttemptRow.id.not_in(newest))


HISTORIES = (
    History("poller_runs", PollerRunRow.id, _old_poller_runs),
    History("sync_attempts", AttemptRow.id, _old_attempts),
)


def prune_histories(
    engine: Engine,
    *,
    before: dt.datetime,
    actor: str,
    dry_run: bool = False,
    batch: int = 5000,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Delete (or, with ``dry_run``, count) the rows of ``HISTORIES`` older than ``before``.

    Returns the rows per table. ``progress(table, rows)`` is called after each batch with the
    rows that batch deleted. The deletion is audited once, with the counts, when any row went.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    sessions = sessionmaker(engine)
    counts: dict[str, int] = {}
    for history in HISTORIES:
        with sessions() as session:
            condition = history.prunable(session, before)
        if dry_run:
            with sessions() as session:
                counts[history.table] = _count(session, history, condition)
            continue
        counts[history.table] = 0
        while True:
            with sessions.begin() as session:
                gone = _delete_batch(session, history, condition, batch)
            counts[history.table] += gone
            if progress is not None and gone:
                progress(history.table, gone)
            if gone < batch:
                break
    if not dry_run and any(counts.values()):
        with sessions.begin() as session:
            detail: dict[str, Any] = {"before": before.isoformat(), "rows": counts}
            record(session, actor, "retention.prune", "history", "operational", detail)
    return counts


def _count(session: Session, history: History, condition: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(history.id_column.class_).where(condition)
    return int(session.scalar(query) or 0)


def _delete_batch(
    session: Session, history: History, condition: ColumnElement[bool], batch: int
) -> int:
    """Delete up to ``batch`` of the oldest prunable rows; the number deleted."""
    column = history.id_column
    ids = list(session.scalars(select(column).where(condition).order_by(column).limit(batch)))
    if ids:
        session.execute(delete(column.class_).where(column.in_(ids)))
    return len(ids)
