"""``inventory_current`` holds the newest inventory report per location and item (newest by
as-of date, then arrival; one report's lines for an item summed): kept as reports are stored,
one at a time or in bulk and in any order, and filled from history by migration 0016."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import Channel, InventoryLine, InventoryPosition, Provenance
from gateway.store import save_document, save_documents
from gateway.store.document_tables import (
    InventoryCurrentRow,
    InventoryLineRow,
    InventoryPositionRow,
)

DAY = dt.date(2026, 11, 1)
NOON = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
LOCATIONS = ("DC-1", "DC-2")
ITEMS = ("I-1", "I-2", "I-3", "I-4")
Figure = tuple[dt.date, int, Decimal]


def reports(seed: int, count: int) -> list[InventoryPosition]:
    """Reports in no particular order: as-of dates repeat (then arrival decides), and a report
    may list one item twice (its lines are summed)."""
    rnd = random.Random(seed)
    provenance = Provenance(channel=Channel.API, partner_id="SUP001")
    reports = []
    for n in range(count):
        items = rnd.choices(ITEMS, k=rnd.randint(1, 5))
        reports.append(
            InventoryPosition(
                report_id=f"R{seed}-{n}",
                as_of=DAY + dt.timedelta(days=rnd.randrange(6)),
                location_id=rnd.choice(LOCATIONS),
                supplier_id="SUP001",
                lines=[
                    InventoryLine(
                        buyer_item=i, quantity_on_hand=Decimal(rnd.randrange(50)), uom="EA"
                    )
                    for i in items
                ],
                provenance=provenance,
            )
        )
    return reports


def _expected(session: Session) -> dict[tuple[str, str], Figure]:
    """The newest figure per (location, item), worked out from every stored line."""
    summed: dict[tuple[str, str, int], Decimal] = {}
    dates: dict[int, dt.date] = {}
    query = select(
        InventoryPositionRow.id,
        InventoryPositionRow.as_of,
        InventoryPositionRow.location_id,
        InventoryLineRow.buyer_item,
        InventoryLineRow.quantity_on_hand,
    ).join(InventoryLineRow, InventoryLineRow.document_id == InventoryPositionRow.id)
    for doc, as_of, location, item, quantity in session.execute(query):
        dates[doc] = as_of
        key = (location, item, doc)
        summed[key] = summed.get(key, Decimal(0)) + quantity
    newest: dict[tuple[str, str], Figure] = {}
    for (location, item, doc), quantity in summed.items():
        figure = (dates[doc], doc, quantity)
        if (location, item) not in newest or figure[:2] > newest[(location, item)][:2]:
            newest[(location, item)] = figure
    return newest


def _current(session: Session) -> dict[tuple[str, str], Figure]:
    rows = session.scalars(select(InventoryCurrentRow))
    return {(r.location_id, r.item_id): (r.as_of, r.document_id, r.quantity) for r in rows}


def test_reports_stored_one_by_one_and_in_bulk_keep_the_newest(
    sessions: sessionmaker[Session],
) -> None:
    for report in reports(1, 25):
        with sessions.begin() as session:
            save_document(session, report)
    with sessions.begin() as session:
        save_documents(session, reports(2, 40))  # one flush: keys repeat within the batch
    for report in reports(3, 10):  # older and newer ones after the bulk
        with sessions.begin() as session:
            save_document(session, report)
    with sessions() as session:
        expected, current = _expected(session), _current(session)
    assert len(expected) == len(LOCATIONS) * len(ITEMS)
    assert current == expected


def insert_history(engine: Engine, reports: Sequence[InventoryPosition]) -> None:
    """Reports as a database before migration 0016 holds them: headers and lines only."""
    with engine.begin() as connection:
        for n, report in enumerate(reports, start=1):
            connection.execute(
                insert(InventoryPositionRow.__table__).values(
                    id=n, report_id=report.report_id, as_of=report.as_of,
                    location_id=report.location_id, reported_by="supplier", supplier_id="SUP001",
                    channel="api", partner_id="SUP001", references=[], stored_at=NOON,
                )
            )  # fmt: skip
            connection.execute(
                insert(InventoryLineRow.__table__),
                [
                    {"document_id": n, "position": p, "buyer_item": line.buyer_item,
                     "quantity_on_hand": line.quantity_on_hand, "uom": "EA"}
                    for p, line in enumerate(report.lines)
                ],
            )  # fmt: skip


def expected_and_current(engine: Engine) -> tuple[dict[Any, Figure], dict[Any, Figure]]:
    with Session(engine) as session:
        return _expected(session), _current(session)
