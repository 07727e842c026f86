"""The demand signal shared with suppliers: their segments, their items, their share only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.demo.catalog import LOCATIONS
from gateway.model import Item, ItemSource, Segment, Supplier, SupplierSegment
from gateway.settings import Settings
from gateway.store.master import (
    insert_demand,
    save_items,
    save_locations,
    save_segments,
    save_suppliers,
)
from tests.support import bearer, issue_key, serve

WEEKLY = {"I-1": 100, "I-2": 50, "I-3": 10}


def _source(supplier: str, share: float) -> ItemSource:
    return ItemSource(
        supplier_id=supplier,
        share=share,
        lead_time_days=7,
        is_primary=share >= 0.5,
        vendor_item=f"{supplier}-X",
    )


@pytest.fixture
def url(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[str]:
    with sessions.begin() as session:
        save_segments(
            session,
            [
                Segment(id="FAST", name="Fast", service_level_target=0.98),
                Segment(id="SEAS", name="Seasonal", service_level_target=0.95),
            ],
        )
        save_locations(session, LOCATIONS[:1])
        save_suppliers(
            session,
            [
                Supplier(id="SUP001", name="One Corp", tier="strategic"),
                Supplier(
                    id="SUP002",
                    name="Two Corp",
                    tier="approved",
                    segments=[SupplierSegment(segment_id="FAST")],
                ),
            ],
        )
        save_items(
            session,
            [
                Item(
                    id="I-1",
                    segment_id="FAST",
                    lifecycle_stage="maturity",
                    lead_time_days=7,
                    unit_price=Decimal("9.99"),
                    sources=[_source("SUP001", 0.7), _source("SUP002", 0.3)],
                ),
                Item(
                    id="I-2",
                    segment_id="FAST",
                    lifecycle_stage="maturity",
                    lead_time_days=7,
                    sources=[_source("SUP002", 1.0)],
                ),
                Item(
                    id="I-3",
                    segment_id="SEAS",
                    lifecycle_stage="maturity",
                    lead_time_days=7,
                    sources=[_source("SUP001", 1.0)],
                ),
            ],
        )
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
        insert_demand(
            session,
            [
                {
                    "item_id": item,
                    "location_id": LOCATIONS[0].id,
                    "period_start": monday - dt.timedelta(weeks=w),
                    "quantity": Decimal(quantity),
                }
                for item, quantity in WEEKLY.items()
                for w in range(4)
            ],
        )
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as base:
        yield base


def _signal(url: str, token: str) -> httpx.Response:
    return httpx.get(f"{url}/api/v1/demand-signal", headers=bearer(token), params={"weeks": 8})


def _per_week(series: list[dict[str, object]], key: str) -> dict[str, set[float]]:
    return {str(s[key]): {w["quantity"] for w in s["weeks"]} for s in series}  # type: ignore[union-attr, index]


def test_an_advisory_supplier_sees_its_share_and_nobody_else(url: str, database_url: str) -> None:
    token = issue_key(
        database_url,
        "supplier:SUP001",
        "supplier",
        supplier_id="SUP001",
        grants=[
            ["g", "supplier:SUP001", "role:advisory", "FAST"],
            ["g", "supplier:SUP001", "role:advisory", "SEAS"],
        ],
    )
    response = _signal(url, token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scaled_to_supplier_share"] is True
    assert _per_week(body["segments"], "segment_id") == {"FAST": {150.0}, "SEAS": {10.0}}
    # I-1 is dual-sourced: SUP001 sees its 70 %, never the total that would reveal SUP002's.
    assert _per_week(body["items"], "item_id") == {"I-1": {70.0}, "I-3": {10.0}}
    text = response.text
    assert "SUP002" not in text and "Two Corp" not in text and "9.99" not in text


def test_an_execution_only_supplier_gets_no_demand_signal(url: str, database_url: str) -> None:
    token = issue_key(
        database_url,
        "supplier:SUP002",
        "supplier",
        supplier_id="SUP002",
        grants=[["g", "supplier:SUP002", "role:execution_only", "FAST"]],
    )
    assert _signal(url, token).status_code == 403


def test_a_planner_sees_whole_items_of_its_segments(url: str, database_url: str) -> None:
    token = issue_key(
        database_url,
        "planner:ann",
        "planner",
        grants=[["g", "planner:ann", "role:planner", "FAST"]],
    )
    body = _signal(url, token).json()
    assert body["scaled_to_supplier_share"] is False
    assert _per_week(body["segments"], "segment_id") == {"FAST": {150.0}}
    assert _per_week(body["items"], "item_id") == {"I-1": {100.0}, "I-2": {50.0}}
