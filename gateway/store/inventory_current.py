"""The newest inventory report per location and item, kept up to date as reports are stored.

Segment health needs, per item, the quantity on hand of the newest report at each location
(newest by as-of date, then by arrival). Ranking every report ever received on each question
grew with the history: on PostgreSQL the at-risk statement for a 120-item segment went from
27 ms to 449 ms as 9,000 reports of 20 of its items arrived. ``inventory_current`` keeps that
newest report's figure per (location, item), written in the same transaction as the report:
an insert, or an update only when the new report is newer (``ON CONFLICT ... DO UPDATE
WHERE``), so concurrent reports for one item end with the newest, whatever order they commit
in. Lines of one report for the same item are summed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.store.document_tables import InventoryCurrentRow

__all__ = ["Reported", "record_current"]

Key = tuple[str, str]  # location, item


class Reported(NamedTuple):
    """A stored inventory report: where, as of when, its row id, and (item, on hand) per line."""

    location_id: str
    as_of: dt.date
    document_id: int
    lines: list[tuple[str, Decimal]]


def record_current(session: Session, reports: Iterable[Reported]) -> None:
    """Make ``inventory_current`` reflect ``reports`` (stored: they have ids)."""
    newest: dict[Key, tuple[dt.date, int, Decimal]] = {}
    for report in reports:
        summed: dict[str, Decimal] = {}
        for item, on_hand in report.lines:
            summed[item] = summed.get(item, Decimal(0)) + Decimal(on_hand)
        for item, quantity in summed.items():
            key = (report.location_id, item)
            figure = (report.as_of, report.document_id, quantity)
            if key not in newest or figure[:2] > newest[key][:2]:
                newest[key] = figure
    if not newest:
        return
    rows = [
        {"location_id": loc, "item_id": item, "as_of": as_of, "document_id": doc, "quantity": qty}
        for (loc, item), (as_of, doc, qty) in sorted(newest.items())  # one lock order for all
    ]
    session.execute(_upsert(session.get_bind().dialect.name), rows)


def _upsert(dialect: str) -> Any:
    row = InventoryCurrentRow
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(row)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[row.location_id, row.item_id],
        set_={"as_of": new.as_of, "document_id": new.document_id, "quantity": new.quantity},
        where=tuple_(row.as_of, row.document_id) < tuple_(new.as_of, new.document_id),
    )
