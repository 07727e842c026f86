"""Master data in and out of the store: segments, suppliers, items, locations, demand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from gateway.model import DemandObservation, Item, Location, Segment, Supplier
from gateway.store.tables import (
    DemandRow,
    ItemRow,
    ItemSourceRow,
    LocationRow,
    SegmentRow,
    SupplierRow,
    SupplierSegmentRow,
)


def save_segments(session: Session, segments: Iterable[Segment]) -> None:
    """Insert or replace segments."""
    for segment in segments:
        data = segment.model_dump(mode="json")
        session.merge(SegmentRow(**data))


def save_suppliers(session: Session, suppliers: Iterable[Supplier]) -> None:
    """Insert or replace suppliers with the segments they serve."""
    for supplier in suppliers:
        data = supplier.model_dump(mode="json", exclude={"segments"})
        row = SupplierRow(
            **data,
            segments=[
                SupplierSegmentRow(supplier_id=supplier.id, **link.model_dump(mode="json"))
                for link in supplier.segments
            ],
        )
        session.merge(row)


def save_items(session: Session, items: Iterable[Item]) -> None:
    """Insert or replace items with their sources."""
    for item in items:
        data = item.model_dump(exclude={"sources"})
        row = ItemRow(
            **data,
            sources=[
                ItemSourceRow(item_id=item.id, **source.model_dump()) for source in item.sources
            ],
        )
        session.merge(row)


def save_locations(session: Session, locations: Iterable[Location]) -> None:
    """Insert or replace locations."""
    for location in locations:
        session.merge(LocationRow(**location.model_dump(mode="json")))


def insert_demand(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk-insert demand history rows (item_id, location_id, period_start, quantity)."""
    if rows:
        session.execute(insert(DemandRow), list(rows))


def load_segments(session: Session) -> list[Segment]:
    """Every segment, by id."""
    rows = session.scalars(select(SegmentRow).order_by(SegmentRow.id))
    return [Segment.model_validate(_columns(row)) for row in rows]


def load_suppliers(session: Session) -> list[Supplier]:
    """Every supplier with its segments, by id."""
    rows = session.scalars(select(SupplierRow).order_by(SupplierRow.id))
    return [
        Supplier.model_validate(
            _columns(row) | {"segments": [_columns(link, "supplier_id") for link in row.segments]}
        )
        for row in rows
    ]


def load_items(session: Session, segment_ids: Sequence[str] | None = None) -> list[Item]:
    """Items with their sources, optionally only those of some segments."""
    query = select(ItemRow).order_by(ItemRow.id)
    if segment_ids is not None:
        query = query.where(ItemRow.segment_id.in_(segment_ids))
    return [
        Item.model_validate(
            _columns(row) | {"sources": [_columns(src, "item_id") for src in row.sources]}
        )
        for row in session.scalars(query)
    ]


def load_locations(session: Session) -> list[Location]:
    """Every location, by id."""
    rows = session.scalars(select(LocationRow).order_by(LocationRow.id))
    return [Location.model_validate(_columns(row)) for row in rows]


def load_demand(session: Session, item_ids: Sequence[str] | None = None) -> list[DemandObservation]:
    """Demand history, ordered by item, location and period."""
    query = select(DemandRow).order_by(
        DemandRow.item_id, DemandRow.location_id, DemandRow.period_start
    )
    if item_ids is not None:
        query = query.where(DemandRow.item_id.in_(item_ids))
    return [DemandObservation.model_validate(_columns(row)) for row in session.scalars(query)]


def _columns(row: Any, *skip: str) -> dict[str, Any]:
    return {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if column.key not in skip
    }
