"""What is shared with suppliers and what they answer: inventory, forecasts, commitments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from gateway.demo.catalog import Catalog
from gateway.demo.demand import DemandMatrix
from gateway.demo.flows import BUYER
from gateway.model import (
    CapacityCommit,
    Channel,
    CommitLine,
    ForecastBucket,
    ForecastCommit,
    ForecastKind,
    ForecastPeriod,
    InventoryLine,
    InventoryPosition,
    Party,
    PartyRole,
    PlanningSchedule,
    PlanningScheduleLine,
    Provenance,
    SupplierTier,
)

SNAPSHOT_WEEKS = 8
HORIZON_WEEKS = 13
FIRM_WEEKS = 4


@dataclass
class Collaboration:
    inventory: list[InventoryPosition] = field(default_factory=list)
    schedules: list[PlanningSchedule] = field(default_factory=list)
    forecast_commits: list[ForecastCommit] = field(default_factory=list)
    capacity_commits: list[CapacityCommit] = field(default_factory=list)


def simulate_collaboration(
    rng: np.random.Generator,
    catalog: Catalog,
    demand: DemandMatrix,
    weeks: list[dt.date],
) -> Collaboration:
    """Weekly stock snapshots, this week's 830s to each supplier, and the suppliers' answers."""
    shared = Collaboration()
    shared.inventory = _inventory(rng, catalog, demand, weeks)
    next_monday = weeks[-1] + dt.timedelta(days=7)
    recent = demand.quantity[:, -HORIZON_WEEKS:].mean(axis=1)
    by_item: dict[str, float] = defaultdict(float)
    for (item_id, _), mean in zip(demand.series, recent, strict=True):
        by_item[item_id] += float(mean)
    for supplier in catalog.suppliers:
        schedule = _schedule(catalog, supplier.id, by_item, next_monday, weeks[-1])
        if schedule is None:
            continue
        shared.schedules.append(schedule)
        if supplier.tier in (SupplierTier.STRATEGIC, SupplierTier.PREFERRED):
            shared.forecast_commits.append(_forecast_commit(rng, schedule, weeks[-1]))
        if supplier.tier is SupplierTier.STRATEGIC:
            shared.capacity_commits.append(_capacity_commit(rng, schedule, weeks[-1]))
    return shared


def _inventory(
    rng: np.random.Generator, catalog: Catalog, demand: DemandMatrix, weeks: list[dt.date]
) -> list[InventoryPosition]:
    """Internal snapshots per location; strategic suppliers report the same stock (VMI), usually
    agreeing, sometimes not."""
    mean = demand.quantity.mean(axis=1) + 0.5
    cover = rng.uniform(1.0, 6.0, size=len(demand.series))
    drift = rng.normal(1.0, 0.15, size=(len(demand.series), SNAPSHOT_WEEKS)).clip(0.2, None)
    on_hand = np.round(mean[:, None] * cover[:, None] * drift).astype(int)
    vmi = _vmi_suppliers(catalog)
    positions: list[InventoryPosition] = []
    for snap, week in enumerate(weeks[-SNAPSHOT_WEEKS:]):
        per_location: dict[str, list[InventoryLine]] = defaultdict(list)
        reported: dict[tuple[str, str], list[InventoryLine]] = defaultdict(list)
        for row, (item_id, location_id) in enumerate(demand.series):
            line = InventoryLine(
                buyer_item=item_id, quantity_on_hand=Decimal(int(on_hand[row, snap])), uom="EA"
            )
            per_location[location_id].append(line)
            if item_id in vmi:
                skew = rng.uniform(0.5, 1.5) if rng.random() < 0.08 else 1.0
                reported[(vmi[item_id], location_id)].append(
                    line.model_copy(
                        update={
                            "quantity_on_hand": Decimal(round(float(line.quantity_on_hand) * skew))
                        }
                    )
                )
        for location_id, lines in sorted(per_location.items()):
            positions.append(
                InventoryPosition(
                    report_id=f"INV-{location_id}-{week:%Y%m%d}",
                    as_of=week,
                    location_id=location_id,
                    reported_by="internal",
                    lines=lines,
                    provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
                )
            )
        for (supplier_id, location_id), lines in sorted(reported.items()):
            positions.append(
                InventoryPosition(
                    report_id=f"VMI-{supplier_id}-{location_id}-{week:%Y%m%d}",
                    as_of=week,
                    location_id=location_id,
                    reported_by="supplier",
                    supplier_id=supplier_id,
                    lines=lines,
                    provenance=Provenance(channel=Channel.API, partner_id=supplier_id),
                )
            )
    return positions


def _vmi_suppliers(catalog: Catalog) -> dict[str, str]:
    strategic = {s.id for s in catalog.suppliers if s.tier is SupplierTier.STRATEGIC}
    return {
        item.id: source.supplier_id
        for item in catalog.items
        for source in item.sources
        if source.is_primary and source.supplier_id in strategic
    }


def _schedule(
    catalog: Catalog, supplier_id: str, by_item: dict[str, float], start: dt.date, issued: dt.date
) -> PlanningSchedule | None:
    lines = []
    for item in catalog.items:
        for source in item.sources:
            if source.supplier_id != supplier_id:
                continue
            weekly = by_item.get(item.id, 0.0) * source.share
            if weekly < 0.05:
                continue
            lines.append(
                PlanningScheduleLine(
                    buyer_item=item.id,
                    vendor_item=source.vendor_item,
                    uom=item.uom,
                    forecasts=[
                        ForecastBucket(
                            quantity=Decimal(int(np.ceil(weekly))),
                            kind=ForecastKind.FIRM if week < FIRM_WEEKS else ForecastKind.PLANNING,
                            period=ForecastPeriod.WEEKLY,
                            start=start + dt.timedelta(weeks=week),
                        )
                        for week in range(HORIZON_WEEKS)
                    ],
                )
            )
    if not lines:
        return None
    return PlanningSchedule(
        schedule_id=f"FC{issued:%Y%m%d}-{supplier_id}",
        schedule_type="DL",
        quantity_type="A",
        horizon_start=start,
        horizon_end=start + dt.timedelta(weeks=HORIZON_WEEKS) - dt.timedelta(days=1),
        issue_date=issued,
        supplier_id=supplier_id,
        parties=[
            Party(role=PartyRole.BUYER, id_qualifier="92", id=BUYER),
            Party(role=PartyRole.VENDOR, id_qualifier="92", id=supplier_id),
        ],
        lines=lines,
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def _commit_lines(
    rng: np.random.Generator, schedule: PlanningSchedule, low: float, high: float
) -> list[CommitLine]:
    return [
        CommitLine(
            buyer_item=line.buyer_item or "",
            vendor_item=line.vendor_item,
            period_start=bucket.start,
            period=bucket.period,
            uom=line.uom,
            quantity=Decimal(int(float(bucket.quantity) * rng.uniform(low, high))),
        )
        for line in schedule.lines
        for bucket in line.forecasts
    ]


def _forecast_commit(
    rng: np.random.Generator, schedule: PlanningSchedule, issued: dt.date
) -> ForecastCommit:
    # Most suppliers commit close to the forecast; some are capacity-bound and commit less.
    constrained = rng.random() < 0.25
    low, high = (0.6, 0.85) if constrained else (0.9, 1.05)
    supplier_id = schedule.supplier_id or ""
    return ForecastCommit(
        commit_id=f"FCC-{schedule.schedule_id}",
        schedule_id=schedule.schedule_id,
        issued_date=issued + dt.timedelta(days=int(rng.integers(1, 4))),
        supplier_id=supplier_id,
        lines=_commit_lines(rng, schedule, low, high),
        provenance=Provenance(channel=Channel.API, partner_id=supplier_id),
    )


def _capacity_commit(
    rng: np.random.Generator, schedule: PlanningSchedule, issued: dt.date
) -> CapacityCommit:
    supplier_id = schedule.supplier_id or ""
    return CapacityCommit(
        commit_id=f"CAP-{schedule.schedule_id}",
        issued_date=issued,
        supplier_id=supplier_id,
        lines=_commit_lines(rng, schedule, 1.0, 1.4),
        provenance=Provenance(channel=Channel.API, partner_id=supplier_id),
    )
