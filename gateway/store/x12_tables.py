"""X12 bookkeeping: interchanges seen, acknowledgments sent, control numbers per partner."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, Id, UTCDateTime, utcnow


class InterchangeRow(Base):
    """An inbound interchange, remembered so that a re-send (same sender and ISA13) is
    recognised and not processed twice."""

    __tablename__ = "x12_interchanges"
    __table_args__ = (UniqueConstraint("sender", "control_number"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sender: Mapped[str] = mapped_column(String(40))  # ISA05:ISA06
    control_number: Mapped[str] = mapped_column(String(9))  # ISA13
    message_id: Mapped[str] = mapped_column(ForeignKey("inbox_messages.id"), index=True)
    accepted: Mapped[bool]
    sets: Mapped[int]
    accepted_sets: Mapped[int]
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AckRow(Base):
    """An acknowledgment (997 or TA1) we produced for an inbound message."""

    __tablename__ = "x12_acks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("inbox_messages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # 997 or TA1
    body: Mapped[str] = mapped_column(Text)


class ControlNumberRow(Base):
    """The next control numbers to use towards a partner (never taken from a clock)."""

    __tablename__ = "x12_control_numbers"
    partner_id: Mapped[str] = mapped_column(Id, primary_key=True)
    next_interchange: Mapped[int] = mapped_column(default=1)
    next_group: Mapped[int] = mapped_column(default=1)
