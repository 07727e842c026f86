"""The demo loads into the store completely: what was generated is what is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.demo import generate_demo, load_demo
from gateway.store import document_tables as docs
from gateway.store import tables


def test_demo_loads_every_record(sessions: sessionmaker[Session]) -> None:
    data = generate_demo(9, as_of=dt.date(2026, 11, 20), items=48, suppliers=8, weeks=70)
    steps: list[tuple[str, int]] = []
    keys = load_demo(sessions, data, lambda name, count: steps.append((name, count)))
    assert [k.principal_id.split(":")[0] for k in keys] == [
        "supplier",
        "planner",
        "integration",
        "admin",
    ]
    showcase = next(s for s in data.catalog.suppliers if f"supplier:{s.id}" == keys[0].principal_id)
    # The supplier key shows a new user the collaboration views, the demand signal included.
    assert {link.role.value for link in showcase.segments} & {"co_creation", "advisory"}
    counts = data.counts()
    expected = {
        tables.ItemRow: counts["items"],
        tables.SupplierRow: counts["suppliers"],
        tables.SegmentRow: counts["segments"],
        tables.DemandRow: counts["demand rows"],
        docs.PurchaseOrderRow: counts["purchase orders"],
        docs.ShipNoticeRow: counts["ship notices"],
        docs.ReceiptRow: counts["receipts"],
        docs.InventoryPositionRow: counts["inventory positions"],
        docs.PlanningScheduleRow: counts["planning schedules"],
        docs.ForecastCommitRow: counts["forecast commits"],
        docs.CapacityCommitRow: counts["capacity commits"],
    }
    with sessions() as session:
        for table, count in expected.items():
            assert session.scalar(select(func.count()).select_from(table)) == count, table
        lines = session.scalar(select(func.count()).select_from(docs.PurchaseOrderLineRow))
        assert lines == sum(len(po.lines) for po in data.flows.purchase_orders)
        built = session.scalars(
            select(tables.AuditRow).where(tables.AuditRow.action == "demo.built")
        ).one()
        assert built.detail["seed"] == 9
    assert [name for name, _ in steps][:2] == ["master data", "demand history"]
    assert len(steps) == len(data.documents()) + 3
