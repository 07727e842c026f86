"""Interchanges we sent that expect a 997: the input of the acknowledgment rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["INTERCHANGE_COLUMNS", "SentInterchange", "interchanges_frame"]

INTERCHANGE_COLUMNS = [
    "partner_id", "document_type", "delivery_id", "control_number", "delivered_at",
    "ack_due_at", "ack_status",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class SentInterchange:
    """One delivered X12 interchange and what its 997 said so far (``ack_status``)."""

    partner_id: str
    document_type: str  # 850, 856, 830
    delivery_id: str
    control_number: str | None  # ISA13 (= our GS06, which AK102 names)
    delivered_at: dt.datetime | None
    ack_due_at: dt.datetime | None  # delivered_at + the window asked for at enqueue
    ack_status: str  # waiting, accepted, accepted_with_errors, partially_accepted, rejected


def _naive_utc(moment: dt.datetime | None) -> dt.datetime | None:
    # frames hold naive UTC, the way the document frames hold reception times
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def interchanges_frame(items: Sequence[SentInterchange]) -> pd.DataFrame:
    """One row per interchange; times as naive UTC timestamps."""
    rows = [
        (i.partner_id, i.document_type, i.delivery_id, i.control_number,
         _naive_utc(i.delivered_at), _naive_utc(i.ack_due_at), i.ack_status)
        for i in items
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=INTERCHANGE_COLUMNS)
    for column in ("delivered_at", "ack_due_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
