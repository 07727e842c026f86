"""The supplier REST API over real HTTP: acknowledgments, filtered reads, schedules, scorecard.

The world is ``tests.e2e.supplier_world``: PO-A is SUP001's, PO-B SUP002's, one planning
schedule each, PO-A line 1 shipped 10 and received 8.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.quality_run import run_quality
from gateway.settings import Settings
from gateway.store.planning_tables import ForecastRunRow, ScorecardRow
from tests.e2e.supplier_world import PROBLEM, World, issue_keys, populate
from tests.support import serve


@pytest.fixture
def world(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[World]:
    populate(sessions)
    keys = issue_keys(database_url)
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield World(url, keys)


def _ack(po: str = "PO-A", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "po_number": po,
        "status": "accepted_with_changes",
        "acknowledgment_date": "2026-10-21",
        "lines": [
            {"line_number": "1", "status": "accepted"},
            {"line_number": "2", "status": "changed", "quantity": 8, "unit_price": 2.75,
             "scheduled_date": "2026-11-06"},
        ],
    }  # fmt: skip
    body.update(changes)
    return body


def test_a_supplier_acknowledges_its_po_once_per_key(world: World) -> None:
    first = world.post("sup1", "/api/v1/po-acknowledgments", _ack(), **{"Idempotency-Key": "a1"})
    assert first.status_code == 202, first.text
    again = world.post("sup1", "/api/v1/po-acknowledgments", _ack(), **{"Idempotency-Key": "a1"})
    assert again.json() == {**first.json(), "duplicate": True}
    other = world.post("sup1", "/api/v1/po-acknowledgments", _ack(status="rejected", lines=[]),
                       **{"Idempotency-Key": "a1"})  # fmt: skip
    assert other.status_code == 409 and other.headers["content-type"] == PROBLEM
    message = world.get("sup1", f"/api/v1/messages/{first.json()['message_id']}")
    assert message.json()["documents"]["po_acknowledgment"] == [1]
    tag = message.headers["etag"]
    unchanged = httpx.get(message.url, headers={**world.keys["sup1"], "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""


@pytest.mark.parametrize(
    ("who", "po", "field"),
    [
        ("sup1", "PO-B", "po_number"),  # another supplier's PO: the same answer as none at all
        ("sup1", "PO-NONE", "po_number"),
        ("sup2", "PO-A", "po_number"),
    ],
)
def test_an_acknowledgment_of_a_po_the_sender_cannot_see_is_422(
    world: World, who: str, po: str, field: str
) -> None:
    answer = world.post(who, "/api/v1/po-acknowledgments", _ack(po, lines=[]))
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["errors"][0]["field"] == field
    assert problem["errors"][0]["type"] == "reference.unknown_po"
    kept = world.get(who, f"/api/v1/messages/{problem['message_id']}").json()
    assert kept["status"] == "failed"  # stored raw all the same


def test_an_acknowledgment_names_the_bad_line_and_field(world: World) -> None:
    body = _ack(lines=[{"line_number": "1", "status": "accepted"},
                       {"line_number": "9", "status": "rejected"}])  # fmt: skip
    unknown = world.post("sup1", "/api/v1/po-acknowledgments", body)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "lines.1.line_number"
    vague = _ack(lines=[{"line_number": "2", "status": "changed"}])
    invalid = world.post("sup1", "/api/v1/po-acknowledgments", vague)
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "lines.0"
    anytype = world.post("sup1", "/api/v1/documents", {"type": "po_acknowledgment", **body})
    assert anytype.json()["errors"][0]["field"] == "po_acknowledgment.lines.1.line_number"
    readonly = world.post("sup1-readonly", "/api/v1/po-acknowledgments", _ack())
    assert readonly.status_code == 403
    planner = world.post("planner", "/api/v1/po-acknowledgments", _ack())
    assert planner.status_code == 403  # planners do not acknowledge for suppliers


def test_an_admin_acknowledgment_takes_the_po_supplier(world: World, database_url: str) -> None:
    answer = world.post("admin", "/api/v1/po-acknowledgments", _ack("PO-B", lines=[]))
    assert answer.status_code == 202, answer.text
    wrong = world.post("admin", "/api/v1/po-acknowledgments",
                       _ack("PO-B", lines=[], supplier_id="SUP001"))  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "supplier_id"
    rejected = world.get("sup2", "/api/v1/purchase-orders", status="accepted_with_changes")
    assert [o["po_number"] for o in rejected.json()["items"]] == ["PO-B"]


def test_the_quality_batch_compares_the_acknowledgment_with_the_po(
    world: World, sessions: sessionmaker[Session]
) -> None:
    assert world.post("sup1", "/api/v1/po-acknowledgments", _ack()).status_code == 202
    run = run_quality(sessions, dt.datetime(2026, 10, 22, tzinfo=dt.UTC))
    for rule in ("ACK_QUANTITY_CHANGED", "ACK_PRICE_CHANGED", "ACK_DATE_CHANGED"):
        assert run.by_rule[rule] == 1, run.by_rule
    mine = world.get("sup1", "/api/v1/findings", rule="ACK_PRICE_CHANGED").json()["items"]
    assert [(f["doc_key"], f["line"]) for f in mine] == [("PO-A", "2")]
    assert world.get("sup2", "/api/v1/findings", rule="ACK_PRICE_CHANGED").json()["items"] == []


def test_purchase_orders_filter_by_date_and_status(world: World) -> None:
    def numbers(who: str, **params: Any) -> list[str]:
        answer = world.get(who, "/api/v1/purchase-orders", **params)
        assert answer.status_code == 200, answer.text
        return [o["po_number"] for o in answer.json()["items"]]

    assert numbers("admin", date_from="2026-10-20") == ["PO-A"]
    assert numbers("admin", date_to="2026-10-20") == ["PO-B"]
    assert numbers("admin", status="unacknowledged") == ["PO-A", "PO-B"]
    assert world.post("sup1", "/api/v1/po-acknowledgments", _ack()).status_code == 202
    assert numbers("sup1", status="accepted_with_changes") == ["PO-A"]
    assert numbers("sup1", status="unacknowledged") == []
    assert numbers("admin", status="unacknowledged") == ["PO-B"]
    upside = world.get("admin", "/api/v1/purchase-orders", date_from="2026-11-02",
                       date_to="2026-11-01")  # fmt: skip
    assert upside.status_code == 422 and upside.json()["errors"][0]["field"] == "query.date_to"
    bad = world.get("admin", "/api/v1/purchase-orders", status="lost")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.status"
    assert world.get("sup1", "/api/v1/purchase-orders/PO-B").status_code == 404  # not 403


def test_a_supplier_reads_the_schedules_addressed_to_it(world: World) -> None:
    mine = world.get("sup1", "/api/v1/planning-schedules")
    assert mine.status_code == 200
    assert [s["schedule_id"] for s in mine.json()["items"]] == ["FC-1"]
    assert len(mine.json()["items"][0]["lines"][0]["forecasts"]) == 4
    again = httpx.get(
        mine.url, headers={**world.keys["sup1"], "If-None-Match": mine.headers["etag"]}
    )
    assert again.status_code == 304
    one = world.get("sup1", "/api/v1/planning-schedules/FC-1")
    assert one.status_code == 200 and one.json()["supplier_id"] == "SUP001"
    other = world.get("sup1", "/api/v1/planning-schedules/FC-2")
    assert other.status_code == 404 and other.headers["content-type"] == PROBLEM
    planner = world.get("planner", "/api/v1/planning-schedules").json()["items"]
    assert [s["schedule_id"] for s in planner] == ["FC-1"]  # only FAST items
    later = world.get("admin", "/api/v1/planning-schedules", date_from="2026-12-01")
    assert later.json()["items"] == []
    page = world.get("admin", "/api/v1/planning-schedules", limit=1).json()
    rest = world.get("admin", "/api/v1/planning-schedules", cursor=page["next_cursor"]).json()
    assert [s["schedule_id"] for s in page["items"] + rest["items"]] == ["FC-1", "FC-2"]


def test_a_supplier_reads_its_scorecard(world: World) -> None:
    card = world.get("sup1", "/api/v1/scorecard")
    assert card.status_code == 200, card.text
    body = card.json()
    assert body["source"] == "computed" and body["freq"] == "M"
    (period,) = body["periods"]
    assert (period["supplier_id"], period["segment_id"], period["period"]) == (
        "SUP001", "FAST", "2026-11-01")  # fmt: skip
    assert period["lines"] == 2 and period["otif"] == 0  # 8 of 10, and nothing of line 2
    assert period["fill_rate"] == pytest.approx(8 / 20) and period["asn_accuracy"] == 0
    assert period["rank"] is None  # suppliers see no peers
    other = world.get("sup1", "/api/v1/scorecard", supplier_id="SUP002").json()
    assert other["periods"] == body["periods"]  # its own, whatever it names
    assert world.get("sup2", "/api/v1/scorecard").json()["periods"][0]["supplier_id"] == "SUP002"
    planner = world.get("planner", "/api/v1/scorecard").json()["periods"]
    assert [p["supplier_id"] for p in planner] == ["SUP001"] and planner[0]["rank"] == 1
    wrong = world.get("sup1", "/api/v1/scorecard", freq="D")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "query.freq"


def _stored_card(
    run_id: int, supplier: str, segment: str, month: dt.date, otif: float, rank: int
) -> ScorecardRow:
    return ScorecardRow(
        run_id=run_id, supplier_id=supplier, segment_id=segment, period=month,
        lines=4, on_time=otif,
        in_full=1.0, otif=otif, fill_rate=1.0, asn_accuracy=None, quality=1.0,
        commit_reliability=0.75, score=otif, rank=rank, peer_count=2, tier="B", otif_trend=0.1,
    )  # fmt: skip


def test_the_stored_scorecard_is_the_newest_runs_in_scope(
    world: World, sessions: sessionmaker[Session]
) -> None:
    empty = world.get("sup1", "/api/v1/scorecard", source="stored").json()
    assert (empty["source"], empty["run_id"], empty["periods"]) == ("stored", None, [])
    october, november = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    with sessions.begin() as session:
        for run_id, otif in ((1, 0.1), (2, 0.5)):  # only the newest run is served
            session.add(ForecastRunRow(
                id=run_id, as_of=november, created_by="planner:test", status="complete",
                horizon=13, series_count=3, timings={},
            ))  # fmt: skip
            session.flush()
            session.add_all([
                _stored_card(run_id, "SUP001", "FAST", october, otif, 2),
                _stored_card(run_id, "SUP001", "FAST", november, otif + 0.25, 1),
                _stored_card(run_id, "SUP002", "SEAS", november, otif, 1),
            ])  # fmt: skip
    mine = world.get("sup1", "/api/v1/scorecard", source="stored", supplier_id="SUP002")
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert (body["source"], body["run_id"], body["freq"]) == ("stored", 2, "M")
    assert [(p["supplier_id"], p["period"], p["otif"]) for p in body["periods"]] == [
        ("SUP001", "2026-11-01", 0.75), ("SUP001", "2026-10-01", 0.5),
    ]  # fmt: skip
    assert body["periods"][0]["commit_reliability"] == 0.75
    assert all(p["rank"] is None and p["peer_count"] is None for p in body["periods"])
    window = world.get("sup1", "/api/v1/scorecard", source="stored", date_from="2026-11-15")
    assert [p["period"] for p in window.json()["periods"]] == ["2026-11-01"]
    planner = world.get("planner", "/api/v1/scorecard", source="stored").json()["periods"]
    assert {(p["supplier_id"], p["rank"]) for p in planner} == {("SUP001", 1), ("SUP001", 2)}
    weekly = world.get("sup1", "/api/v1/scorecard", source="stored", freq="W")
    assert weekly.status_code == 422 and "monthly" in weekly.json()["detail"]
