"""Planner overrides and publishing the consensus forecast to a supplier as an 830.

**Override** (``override_forecast``): the override is stored (append-only, the newest per cell
is in force) and audited; if the latest forecast run has that cell, its consensus is
**updated in place** with ``planning_core.consensus_forecast`` (the override wins, the
constrained plan is min(consensus, commit), source ``override``), so reads and publications
see it at once. A cell outside the latest run's horizon is applied by the next recompute,
which always reads every stored override. Buffers are not changed by an override: they follow
at the next recompute.

**Publish** (``publish_forecast``): the latest run's consensus of every item the supplier
sources, summed over locations and multiplied by the supplier's share of the item, rounded up
to whole units, one weekly bucket per period (the first ``FIRM_WEEKS`` firm), becomes a
``PlanningSchedule`` rendered as an X12 830 and queued in the sync outbox — in the same
transaction as the publication record and its audit entry, so either all exist or none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session

from gateway.model import (
    ForecastBucket,
    ForecastKind,
    ForecastPeriod,
    Party,
    PartyRole,
    PlanningSchedule,
    PlanningScheduleLine,
)
from gateway.planning.errors import InvalidOverrideError, NoForecastRunError, NotFoundError
from gateway.store.audit import record
from gateway.store.planning import latest_run
from gateway.store.planning_tables import ForecastCellRow, OverrideRow, PublicationRow
from gateway.store.tables import ItemRow, ItemSourceRow, LocationRow, SupplierRow
from gateway.sync_x12 import enqueue_x12
from planning_core import consensus_forecast

__all__ = [
    "FIRM_WEEKS",
    "OverrideResult",
    "PublicationResult",
    "override_forecast",
    "publish_forecast",
]

FIRM_WEEKS = 4
BUYER_ID = "GATEWAY"


@dataclass(frozen=True)
class OverrideResult:
    """The stored override and what it did to the latest run (``run_id`` None: not in it)."""

    override_id: int
    item_id: str
    location_id: str
    period_start: dt.date
    quantity: float
    run_id: int | None
    consensus_before: float | None
    consensus: float | None


def _check_override(
    session: Session, item_id: str, location_id: str, quantity: float, reason: str
) -> None:
    if not np.isfinite(quantity) or quantity < 0:
        raise InvalidOverrideError(f"quantity must be a number >= 0, got {quantity}")
    if not reason.strip():
        raise InvalidOverrideError("an override needs a reason")
    if session.get(ItemRow, item_id) is None:
        raise NotFoundError(f"no item {item_id!r}")
    if session.get(LocationRow, location_id) is None:
        raise NotFoundError(f"no location {location_id!r}")


def override_forecast(
    session: Session,
    *,
    item_id: str,
    location_id: str,
    period_start: dt.date,
    quantity: float,
    reason: str,
    actor: str,
) -> OverrideResult:
    """Store a planner override, audit it and update the latest run's consensus for the cell."""
    _check_override(session, item_id, location_id, quantity, reason)
    row = OverrideRow(
        item_id=item_id,
        location_id=location_id,
        period_start=period_start,
        quantity=float(quantity),
        reason=reason.strip(),
        actor=actor,
    )
    session.add(row)
    session.flush()
    run = latest_run(session)
    cell = None
    if run is not None:
        cell = session.get(ForecastCellRow, (run.id, item_id, location_id, period_start))
    before = None if cell is None else cell.consensus
    if cell is not None:
        _recombine(cell, float(quantity))
    record(
        session,
        actor,
        "plan.forecast_overridden",
        "forecast_cell",
        f"{item_id}/{location_id}/{period_start.isoformat()}",
        {
            "override_id": row.id,
            "quantity": float(quantity),
            "reason": row.reason,
            "run_id": None if cell is None else run.id if run else None,
            "consensus_before": before,
            "consensus_after": None if cell is None else cell.consensus,
        },
    )
    return OverrideResult(
        row.id,
        item_id,
        location_id,
        period_start,
        float(quantity),
        None if cell is None or run is None else run.id,
        before,
        None if cell is None else cell.consensus,
    )


def _recombine(cell: ForecastCellRow, quantity: float) -> None:
    """The cell's consensus again, by the core's rule, with the new override."""
    frame = pd.DataFrame(
        {
            "item_id": [cell.item_id],
            "segment_id": [""],
            "period": [cell.period_start],
            "stat": [cell.stat],
            "commit": [cell.committed if cell.committed is not None else np.nan],
            "override": [quantity],
        }
    )
    with np.errstate(invalid="ignore"):  # min(consensus, NaN commit) where none was made
        combined = consensus_forecast(frame).iloc[0]
    cell.override = quantity
    cell.consensus = float(combined["consensus"])
    cell.constrained = float(combined["constrained"])
    cell.source = str(combined["source"])


@dataclass(frozen=True)
class PublicationResult:
    """The publication record and the outbox delivery carrying the 830."""

    publication_id: int
    delivery_id: str
    schedule_id: str
    run_id: int
    supplier_id: str
    lines: int


def _supplier_plan(session: Session, run_id: int, supplier_id: str) -> pd.DataFrame:
    """Per sourced item and week: the supplier's share of the consensus (whole units)."""
    result = session.execute(
        select(
            ForecastCellRow.item_id,
            ForecastCellRow.period_start,
            func.sum(ForecastCellRow.consensus).label("consensus"),
            cast(ItemSourceRow.share, Float).label("share"),
            ItemSourceRow.vendor_item,
            ItemRow.uom,
        )
        .join(ItemSourceRow, ItemSourceRow.item_id == ForecastCellRow.item_id)
        .join(ItemRow, ItemRow.id == ForecastCellRow.item_id)
        .where(ForecastCellRow.run_id == run_id, ItemSourceRow.supplier_id == supplier_id)
        .group_by(
            ForecastCellRow.item_id,
            ForecastCellRow.period_start,
            ItemSourceRow.share,
            ItemSourceRow.vendor_item,
            ItemRow.uom,
        )
        .order_by(ForecastCellRow.item_id, ForecastCellRow.period_start)
    )
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["quantity"] = np.ceil(frame["consensus"] * frame["share"] - 1e-9).clip(lower=0)
    return frame


def _schedule(
    plan: pd.DataFrame, schedule_id: str, supplier_id: str, issued: dt.date
) -> PlanningSchedule:
    lines = []
    for (item_id, vendor_item, uom), rows in plan.groupby(
        ["item_id", "vendor_item", "uom"], dropna=False, sort=True
    ):  # one 830 line per item: building the document, not computing
        starts = rows["period_start"].tolist()
        buckets = [
            ForecastBucket(
                quantity=Decimal(int(q)),
                start=start,
                period=ForecastPeriod.WEEKLY,
                kind=ForecastKind.FIRM if week < FIRM_WEEKS else ForecastKind.PLANNING,
            )
            for week, (start, q) in enumerate(zip(starts, rows["quantity"], strict=True))
        ]
        vendor = vendor_item if isinstance(vendor_item, str) else None
        lines.append(
            PlanningScheduleLine(
                buyer_item=str(item_id), vendor_item=vendor, uom=str(uom), forecasts=buckets
            )
        )
    first, last = min(plan["period_start"]), max(plan["period_start"])
    return PlanningSchedule(
        schedule_id=schedule_id,
        schedule_type="DL",
        quantity_type="A",
        horizon_start=first,
        horizon_end=last + dt.timedelta(days=6),
        issue_date=issued,
        supplier_id=supplier_id,
        parties=[
            Party(role=PartyRole.BUYER, id_qualifier="92", id=BUYER_ID),
            Party(role=PartyRole.VENDOR, id_qualifier="92", id=supplier_id),
        ],
        lines=lines,
    )


def publish_forecast(
    session: Session, supplier_id: str, actor: str, *, sender_id: str = BUYER_ID
) -> PublicationResult:
    """Queue the supplier's consensus forecast as an 830 and record the publication."""
    if session.get(SupplierRow, supplier_id) is None:
        raise NotFoundError(f"no supplier {supplier_id!r}")
    run = latest_run(session)
    if run is None:
        raise NoForecastRunError("no forecast run yet: run a recompute first")
    plan = _supplier_plan(session, run.id, supplier_id)
    if plan.empty:
        raise NotFoundError(f"supplier {supplier_id!r} sources no item forecast in run {run.id}")
    earlier = session.scalar(
        select(func.count())
        .select_from(PublicationRow)
        .where(PublicationRow.supplier_id == supplier_id, PublicationRow.run_id == run.id)
    )
    schedule_id = f"FC{run.as_of:%y%m%d}-{supplier_id}-{run.id}-{(earlier or 0) + 1}"
    schedule = _schedule(plan, schedule_id, supplier_id, run.as_of)
    delivery_id = enqueue_x12(
        session, schedule, partner_id=supplier_id, sender_id=sender_id, receiver_id=supplier_id
    )
    session.flush()  # the outbox row first: the publication refers to it
    row = PublicationRow(
        run_id=run.id,
        supplier_id=supplier_id,
        schedule_id=schedule_id,
        delivery_id=delivery_id,
        line_count=len(schedule.lines),
        actor=actor,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "plan.forecast_published",
        "supplier",
        supplier_id,
        {
            "publication_id": row.id,
            "run_id": run.id,
            "schedule_id": schedule_id,
            "delivery_id": delivery_id,
            "lines": len(schedule.lines),
        },
    )
    return PublicationResult(row.id, delivery_id, schedule_id, run.id, supplier_id, row.line_count)
