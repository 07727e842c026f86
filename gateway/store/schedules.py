"""Scoped reads of planning schedules: a supplier sees the schedules addressed to it.

Like the purchase-order reads, every query takes the caller's Scope and applies it in SQL:
the supplier through the schedule's ``supplier_id``, segments through the lines' items (lines
of items outside the caller's segments are left out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import Session, selectinload

from access import Scope
from gateway.model import PlanningSchedule
from gateway.store.document_tables import PlanningScheduleLineRow, PlanningScheduleRow
from gateway.store.documents import document_from_row
from gateway.store.tables import ItemRow

__all__ = ["ScheduleFilters", "get_planning_schedule", "list_planning_schedules"]


@dataclass(frozen=True)
class ScheduleFilters:
    """Schedules whose horizon overlaps [date_from, date_to] (inclusive), of one purpose."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    purpose: str | None = None


def _visible_lines(scope: Scope) -> Any:
    if scope.segments is None:
        return True
    return PlanningScheduleLineRow.buyer_item.in_(
        select(ItemRow.id).where(ItemRow.segment_id.in_(sorted(scope.segments)))
    )


def _scoped(scope: Scope) -> Select[PlanningScheduleRow]:
    query = select(PlanningScheduleRow)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(PlanningScheduleRow.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        query = query.where(
            exists().where(
                PlanningScheduleLineRow.document_id == PlanningScheduleRow.id,
                _visible_lines(scope),
            )
        )
    return query


def _loader(scope: Scope) -> Any:
    lines = PlanningScheduleRow.lines
    if scope.segments is not None:
        lines = lines.and_(_visible_lines(scope))  # type: ignore[assignment]
    return selectinload(lines).selectinload(PlanningScheduleLineRow.forecasts)


def _filtered(
    query: Select[PlanningScheduleRow], filters: ScheduleFilters
) -> Select[PlanningScheduleRow]:
    if filters.date_from is not None:
        query = query.where(PlanningScheduleRow.horizon_end >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(PlanningScheduleRow.horizon_start <= filters.date_to)
    if filters.purpose is not None:
        query = query.where(PlanningScheduleRow.purpose == filters.purpose)
    return query


def list_planning_schedules(
    session: Session,
    scope: Scope,
    *,
    after_id: int = 0,
    limit: int = 50,
    filters: ScheduleFilters | None = None,
) -> tuple[list[PlanningSchedule], int]:
    """Schedules in scope by id after a cursor, and the last id (the next cursor)."""
    query = _filtered(_scoped(scope), filters or ScheduleFilters())
    query = query.where(PlanningScheduleRow.id > after_id).order_by(PlanningScheduleRow.id)
    rows = session.scalars(query.limit(limit).options(_loader(scope))).all()
    return [_as_schedule(row) for row in rows], (rows[-1].id if rows else after_id)


def get_planning_schedule(
    session: Session, scope: Scope, schedule_id: str
) -> PlanningSchedule | None:
    """One schedule in scope by id (the newest if re-sent or changed), else None."""
    query = (
        _scoped(scope)
        .where(PlanningScheduleRow.schedule_id == schedule_id)
        .order_by(PlanningScheduleRow.id.desc())
        .limit(1)
        .options(_loader(scope))
    )
    row = session.scalar(query)
    return None if row is None else _as_schedule(row)


def _as_schedule(row: PlanningScheduleRow) -> PlanningSchedule:
    schedule = document_from_row("planning_schedule", row)
    assert isinstance(schedule, PlanningSchedule)
    return schedule
