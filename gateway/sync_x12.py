"""Outbound X12 in the outbox: render with the partner's next control numbers, renumber a replay.

A replayed interchange is a new interchange to the partner's translator, which drops one whose
ISA13 it has seen: it needs fresh control numbers (MuleSoft's replay does not do this).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.edi import EnvelopeParams, render_document
from gateway.model import PlanningSchedule, PurchaseOrder, ShipNotice
from gateway.store.control_numbers import partner_counter
from gateway.store.outbox import enqueue
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import utcnow
from sync import read_997

X12_MEDIA = "application/edi-x12"
DEFAULT_ACK_WINDOW = dt.timedelta(hours=48)
_SET_IDS = {PurchaseOrder: "850", ShipNotice: "856", PlanningSchedule: "830"}


def next_control_number(session: Session, partner_id: str) -> int:
    """Take the partner's next interchange control number (shared with our 997s to it)."""
    row = partner_counter(session, partner_id)
    number = max(row.next_interchange, row.next_group)
    row.next_interchange = row.next_group = number + 1
    return number


def enqueue_x12(
    session: Session,
    document: PurchaseOrder | ShipNotice | PlanningSchedule,
    *,
    partner_id: str,
    sender_id: str,
    receiver_id: str,
    version: str = "004010",
    ack_window: dt.timedelta | None = DEFAULT_ACK_WINDOW,
) -> str:
    """Render ``document`` as an interchange to ``partner_id`` and queue it; the delivery id.

    With an ``ack_window`` the interchange asks for a 997 and is overdue without one that long
    after its delivery (48 hours by default, as integration platforms commonly alert).
    """
    number = next_control_number(session, partner_id)
    params = EnvelopeParams(
        sender_id=sender_id,
        receiver_id=receiver_id,
        interchange_control_number=number,
        group_control_number=number,
        version=version,
        timestamp=utcnow().replace(tzinfo=None),
        ack_requested=ack_window is not None,
    )
    text = render_document(document, params)
    return enqueue(
        session,
        partner_id=partner_id,
        document_type=_SET_IDS[type(document)],
        body=text.encode("ascii"),
        content_type=X12_MEDIA,
        control_number=f"{number:09d}",
        ack_window=ack_window,
    )


def renumber_interchange(body: bytes, number: int) -> bytes:
    """The interchange with ISA13/IEA02 = ``number`` and its groups numbered from ``number``.

    The ISA is fixed width: its 4th character is the element separator and its 106th the
    segment terminator (X12.5), so the rest of the envelope is found without a parser.
    """
    text = body.decode("ascii")
    start = text.find("ISA")
    if start < 0 or len(text) < start + 106:
        raise ValueError("not an X12 interchange: no ISA segment")
    element, terminator = text[start + 3], text[start + 105]
    group = number
    segments = text.split(terminator)
    for index, segment in enumerate(segments):
        stripped = segment.lstrip()
        fields = stripped.split(element)
        tag = fields[0]
        if tag in ("ISA", "IEA") and len(fields) > (13 if tag == "ISA" else 2):
            fields[13 if tag == "ISA" else 2] = f"{number:09d}"
        elif tag == "GS" and len(fields) > 6:
            fields[6] = str(group)
        elif tag == "GE" and len(fields) > 2:
            fields[2] = str(group)
            group += 1
        else:
            continue
        segments[index] = segment[: len(segment) - len(stripped)] + element.join(fields)
    return terminator.join(segments).encode("ascii")


def renumber_for_replay(session: Session, row: OutboxRow, body: bytes) -> tuple[bytes, str | None]:
    """The ``Renumber`` for replays: X12 bodies get the partner's next control numbers."""
    if row.content_type != X12_MEDIA and row.control_number is None:
        return body, None
    number = next_control_number(session, row.partner_id)
    return renumber_interchange(body, number), f"{number:09d}"


def record_997(session: Session, partner_id: str, body: bytes) -> list[str]:
    """Match a 997 received from ``partner_id`` to the interchanges we sent it.

    AK102 is our GS06, which ``enqueue_x12`` and replays set equal to the ISA13 we keep as the
    delivery's control number. Returns the delivery ids whose acknowledgment status changed.
    Call it from inbound X12 processing when a 997 arrives. An ACK_OVERDUE finding about a
    matched interchange is resolved in the same transaction.
    """
    from gateway.store.sent_interchanges import resolve_overdue  # pandas: only for a 997

    matched: list[str] = []
    now = utcnow()
    for answer in read_997(body.decode("ascii", errors="replace")):
        rows = session.scalars(
            select(OutboxRow).where(
                OutboxRow.partner_id == partner_id,
                OutboxRow.control_number == f"{answer.group_control_number:09d}",
                OutboxRow.ack_status.is_not(None),
            )
        ).all()
        for row in rows:
            row.ack_status = answer.status.value
            matched.append(row.id)
            if row.control_number is not None:
                resolve_overdue(session, partner_id, row.control_number, row.ack_status, now)
    return matched
