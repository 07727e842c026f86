"""Dead letters: find them, look inside, replay them (one or many), each replay audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.audit import record
from gateway.store.outbox import enqueue
from gateway.store.sync_tables import AttemptRow, OutboxRow
from sync import Status

Renumber = Callable[[Session, OutboxRow, bytes], tuple[bytes, str | None]]
"""Gives a replayed body fresh control numbers (X12); returns the body and its ISA13."""


@dataclass(frozen=True)
class Replayed:
    original: str
    replay: str
    control_number: str | None


def list_deliveries(
    session: Session,
    *,
    status: str | None = None,
    partner_id: str | None = None,
    document_type: str | None = None,
    limit: int = 100,
) -> Sequence[OutboxRow]:
    """Deliveries, newest first, filtered by status, partner and type."""
    query = select(OutboxRow).order_by(OutboxRow.created_at.desc(), OutboxRow.id).limit(limit)
    if status:
        query = query.where(OutboxRow.status == status)
    if partner_id:
        query = query.where(OutboxRow.partner_id == partner_id)
    if document_type:
        query = query.where(OutboxRow.document_type == document_type)
    return session.scalars(query).all()


def attempts_of(session: Session, delivery_id: str) -> Sequence[AttemptRow]:
    return session.scalars(
        select(AttemptRow).where(AttemptRow.delivery_id == delivery_id).order_by(AttemptRow.id)
    ).all()


def replay(
    session: Session,
    delivery_id: str,
    *,
    actor: str,
    renumber: Renumber | None = None,
    body: bytes | None = None,
) -> Replayed:
    """Queue a dead letter again as a new delivery linked to it; the original turns replayed.

    ``body`` replaces the content (a fixed message); ``renumber`` gives X12 fresh control
    numbers. The replay is written to the audit log in the same transaction.
    """
    row = session.get(OutboxRow, delivery_id, with_for_update=True)
    if row is None:
        raise LookupError(f"no delivery {delivery_id}")
    if row.status != Status.DEAD.value:
        raise ValueError(f"delivery {delivery_id} is {row.status}; only dead letters are replayed")
    content = body if body is not None else row.body
    control_number = row.control_number
    if renumber is not None:
        content, control_number = renumber(session, row, content)
    new_id = enqueue(
        session,
        partner_id=row.partner_id,
        document_type=row.document_type,
        body=content,
        content_type=row.content_type,
        control_number=control_number,
        replay_of=row.id,
        ack_window=dt.timedelta(seconds=row.ack_window_s) if row.ack_window_s else None,
    )
    row.status = Status.REPLAYED.value
    record(
        session,
        actor,
        "delivery.replayed",
        "delivery",
        row.id,
        {
            "replay": new_id,
            "partner_id": row.partner_id,
            "document_type": row.document_type,
            "dead_reason": row.dead_reason,
            "control_number": {"original": row.control_number, "replay": control_number},
            "body_changed": body is not None,
        },
    )
    return Replayed(row.id, new_id, control_number)


def replay_many(
    session: Session,
    *,
    actor: str,
    partner_id: str | None = None,
    document_type: str | None = None,
    limit: int = 500,
    renumber: Renumber | None = None,
) -> list[Replayed]:
    """Replay the dead letters matching the filters, oldest first."""
    query = (
        select(OutboxRow.id)
        .where(OutboxRow.status == Status.DEAD.value)
        .order_by(OutboxRow.created_at, OutboxRow.id)
        .limit(limit)
    )
    if partner_id:
        query = query.where(OutboxRow.partner_id == partner_id)
    if document_type:
        query = query.where(OutboxRow.document_type == document_type)
    return [
        replay(session, delivery_id, actor=actor, renumber=renumber)
        for delivery_id in session.scalars(query).all()
    ]
