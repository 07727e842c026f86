"""Receiving X12: store raw first, then validate, normalise, acknowledge, remember.

Shared by ``POST /api/v1/x12`` and ``gateway edi ingest``. The adapter (``adapters.edi``) is
pure; this module gives it what only the store knows: the interchanges already seen, and the
next control numbers for the partner's acknowledgments, and keeps what it returns (documents,
997/TA1, the interchange ids) in the message's processing transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import (
    AckOptions,
    EdiError,
    InterchangeResult,
    iter_envelope,
    iter_segments,
    process_interchanges,
)
from adapters.edi.envelope import InterchangeHeader
from gateway.model import Channel, Provenance
from gateway.store.control_numbers import partner_counter
from gateway.store.inbox import RECEIVED, Outcome, Stored, process_message, store_message
from gateway.store.tables import InboxRow
from gateway.store.x12_tables import AckRow, InterchangeRow
from gateway.sync_x12 import record_997

Authorize = Callable[[Sequence[BaseModel]], None]
"""Raises if the sender may not send these documents (see gateway.app.inbound)."""


@dataclass
class Receipt:
    """What receiving one X12 message did, for the HTTP answer and the CLI report."""

    stored: Stored
    outcome: Outcome | None = None
    interchanges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Every interchange and every transaction set in it was accepted."""
        return bool(self.interchanges) and all(
            i["accepted"] and i["accepted_sets"] == i["sets"] for i in self.interchanges
        )


def receive_x12(
    sessions: sessionmaker[Session],
    body: bytes,
    *,
    partner_id: str,
    authorize: Authorize | None = None,
) -> Receipt:
    """Store an X12 message, then process it once; a re-sent interchange is recognised."""
    stored = store_message(
        sessions,
        partner_id=partner_id,
        channel=Channel.X12.value,
        content_type="application/edi-x12",
        body=body,
        dedupe_key=_interchange_key(body),
    )
    receipt = Receipt(stored)
    # A re-send of an interchange stored but never processed (a crash between the two
    # commits) is processed now, like the drop folder's resume.
    if stored.duplicate and not (stored.same_body and stored.status == RECEIVED):
        receipt.interchanges = summaries(sessions, stored.message_id)
        return receipt
    handler = _Handler(authorize)
    receipt.outcome = process_message(sessions, stored.message_id, handler)
    receipt.interchanges = summaries(sessions, stored.message_id)
    return receipt


def interchange_sender(body: bytes) -> tuple[str, str, str] | None:
    """(ISA05, ISA06, ISA13) of the first interchange, read by the adapter; None without an ISA."""
    try:
        first = next(iter_envelope(iter_segments(body[:4096])), None)
    except EdiError:
        return None
    if not isinstance(first, InterchangeHeader):
        return None
    return first.sender_qualifier.strip(), first.sender_id.strip(), first.control_number


def _interchange_key(body: bytes) -> str | None:
    """``x12:<ISA05:ISA06>:<ISA13>`` of the first interchange, or None if there is no ISA."""
    sender = interchange_sender(body)
    return None if sender is None else f"x12:{sender[0]}:{sender[1]}:{sender[2]}"


class _SeenInterchanges:
    """The store's memory of interchanges, asked one key at a time by the adapter."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        sender: str = key[0]
        control_number: str = key[1]
        query = exists().where(
            InterchangeRow.sender == sender, InterchangeRow.control_number == control_number
        )
        return bool(self._session.scalar(select(query)))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _Handler:
    def __init__(self, authorize: Authorize | None) -> None:
        self._authorize = authorize

    def __call__(self, session: Session, row: InboxRow) -> Sequence[BaseModel]:
        numbers = partner_counter(session, row.partner_id)
        ack = AckOptions(
            interchange_control_number=numbers.next_interchange,
            group_control_number=numbers.next_group,
        )
        results = process_interchanges(row.body, seen=_SeenInterchanges(session), ack=ack)
        documents: list[BaseModel] = []
        for result in results:
            documents += self._keep(session, row, result)
            if result.ack_control_numbers:
                numbers.next_interchange = max(result.ack_control_numbers) + 1
                numbers.next_group = numbers.next_interchange
        if not results:
            raise ValueError("no X12 interchange in the message")
        if any(s.set_id == "997" and s.accepted for r in results for s in r.sets):
            # A partner acknowledging what we sent: match it to our outbound interchanges.
            record_997(session, row.partner_id, row.body)
        if self._authorize is not None:
            self._authorize(documents)
        return documents

    def _keep(self, session: Session, row: InboxRow, result: InterchangeResult) -> list[Any]:
        if result.duplicate:
            return []
        sender, control_number = result.key
        accepted_sets = sum(1 for s in result.sets if s.accepted)
        session.add(
            InterchangeRow(
                sender=sender,
                control_number=control_number,
                message_id=row.id,
                accepted=result.accepted,
                sets=len(result.sets),
                accepted_sets=accepted_sets,
            )
        )
        for kind, text in (("TA1", result.ta1), ("997", result.ack_997)):
            if text:
                session.add(AckRow(message_id=row.id, kind=kind, body=text))
        provenance = Provenance(
            channel=Channel.X12,
            partner_id=row.partner_id,
            message_id=row.id,
            received_at=row.received_at,
        )
        documents = []
        for document in result.documents:
            document.provenance = provenance
            documents.append(document)
        return documents


def summaries(sessions: sessionmaker[Session], message_id: str) -> list[dict[str, Any]]:
    """The interchanges stored for a message, as the API reports them."""
    with sessions() as session:
        rows = session.scalars(
            select(InterchangeRow)
            .where(InterchangeRow.message_id == message_id)
            .order_by(InterchangeRow.id)
        ).all()
        return [
            {
                "sender": r.sender,
                "control_number": r.control_number,
                "accepted": r.accepted,
                "sets": r.sets,
                "accepted_sets": r.accepted_sets,
            }
            for r in rows
        ]


def acknowledgments(session: Session, message_id: str) -> list[AckRow]:
    """The TA1 and 997 produced for a message, in the order they are sent."""
    return list(
        session.scalars(select(AckRow).where(AckRow.message_id == message_id).order_by(AckRow.id))
    )
