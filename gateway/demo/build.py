"""Generate the demo supply chain (pure, deterministic per seed) and load it into a store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from gateway.demo.access import demo_grants, demo_principals, showcase_supplier
from gateway.demo.catalog import Catalog, build_catalog
from gateway.demo.collaboration import Collaboration, simulate_collaboration
from gateway.demo.demand import DemandMatrix, simulate_demand
from gateway.demo.flows import Flows, simulate_flows
from gateway.store.access import IssuedKey, add_rules, create_key, ensure_principal
from gateway.store.audit import record
from gateway.store.documents import save_documents
from gateway.store.master import (
    insert_demand,
    save_items,
    save_locations,
    save_segments,
    save_suppliers,
)

Progress = Callable[[str, int], None]
"""Told each step's name and how many records it wrote."""


@dataclass(frozen=True)
class DemoData:
    seed: int
    as_of: dt.date
    weeks: list[dt.date]
    catalog: Catalog
    demand: DemandMatrix
    flows: Flows
    collaboration: Collaboration

    def documents(self) -> list[tuple[str, Sequence[BaseModel]]]:
        """Every document, grouped by kind, in loading order."""
        return [
            ("purchase orders", self.flows.purchase_orders),
            ("ship notices", self.flows.ship_notices),
            ("receipts", self.flows.receipts),
            ("inventory positions", self.collaboration.inventory),
            ("planning schedules", self.collaboration.schedules),
            ("forecast commits", self.collaboration.forecast_commits),
            ("capacity commits", self.collaboration.capacity_commits),
        ]

    def counts(self) -> dict[str, int]:
        counts = {
            "segments": len(self.catalog.segments),
            "suppliers": len(self.catalog.suppliers),
            "items": len(self.catalog.items),
            "locations": len(self.catalog.locations),
            "demand rows": int(self.demand.quantity.size),
        }
        counts.update({name: len(docs) for name, docs in self.documents()})
        return counts


def monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def generate_demo(
    seed: int,
    *,
    as_of: dt.date | None = None,
    items: int = 500,
    suppliers: int = 40,
    weeks: int = 130,
) -> DemoData:
    """Draw the whole demo from one seeded generator: the same seed and as-of give the same data.

    ``as_of`` (default: today) is the last day of history; weekly demand ends on the Monday of
    its week and starts ``weeks`` weeks before.
    """
    if items < 12 or suppliers < 6 or weeks < 60:
        raise ValueError("the demo needs at least 12 items, 6 suppliers and 60 weeks")
    as_of = as_of or dt.date.today()
    last = monday_on_or_before(as_of)
    calendar = [last - dt.timedelta(weeks=weeks - 1 - w) for w in range(weeks)]
    rng = np.random.default_rng(seed)
    catalog = build_catalog(rng, items, suppliers)
    demand = simulate_demand(rng, catalog, weeks)
    flows = simulate_flows(rng, catalog, demand, calendar, as_of)
    collaboration = simulate_collaboration(rng, catalog, demand, calendar)
    return DemoData(seed, as_of, calendar, catalog, demand, flows, collaboration)


def load_demo(
    sessions: sessionmaker[Session], data: DemoData, progress: Progress
) -> list[IssuedKey]:
    """Write the demo into the store, one transaction per step, reporting each step.

    Returns one fresh API key per kind of principal, to try each view (shown once).
    """
    catalog = data.catalog
    with sessions.begin() as session:
        save_segments(session, catalog.segments)
        save_locations(session, catalog.locations)
        save_suppliers(session, catalog.suppliers)
        save_items(session, catalog.items)
    progress("master data", len(catalog.items) + len(catalog.suppliers))
    with sessions.begin() as session:
        insert_demand(session, _demand_rows(data))
    progress("demand history", int(data.demand.quantity.size))
    for name, documents in data.documents():
        with sessions.begin() as session:
            save_documents(session, documents)
        progress(name, len(documents))
    keys = _grant_access(sessions, data.catalog)
    progress("access", len(keys))
    with sessions.begin() as session:
        detail: dict[str, Any] = {"seed": data.seed, "as_of": data.as_of.isoformat()}
        record(session, "gateway demo", "demo.built", "database", "demo", detail | data.counts())
    return keys


def _grant_access(sessions: sessionmaker[Session], catalog: Catalog) -> list[IssuedKey]:
    actor = "gateway demo"
    showcase = f"supplier:{showcase_supplier(catalog)}"
    keys = []
    with sessions.begin() as session:
        for principal in demo_principals(catalog):
            ensure_principal(
                session,
                principal.id,
                principal.kind,
                supplier_id=principal.supplier_id,
                display_name=principal.display_name,
                actor=actor,
            )
        session.flush()
        add_rules(session, demo_grants(catalog), actor=actor)
        for principal_id in (showcase, "planner:demo", "integration:demo", "admin:demo"):
            keys.append(create_key(session, principal_id, name="demo", actor=actor))
    return keys


def _demand_rows(data: DemoData) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    weeks = data.weeks
    for (item_id, location_id), series in zip(
        data.demand.series, data.demand.quantity, strict=True
    ):
        rows.extend(
            {
                "item_id": item_id,
                "location_id": location_id,
                "period_start": week,
                "quantity": Decimal(int(q)),
            }
            for week, q in zip(weeks, series.tolist(), strict=True)
        )
    return rows
