"""Whole answers remembered for repeated planning questions (gateway.graphql.answers): served
from memory while their inputs are unchanged, recomputed when an input moves, per caller
scope, never with errors, and only for operations whose every field is covered."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import parse
from sqlalchemy import event, select, update

from gateway.graphql import answers, remembered
from gateway.graphql.schema import build_schema
from gateway.store.quality_tables import FindingRow
from tests.e2e.graphql_world import World, forget_remembered, graphql_world

HEALTH = """query($s: ID!) { segment(id: $s) { name atRisk(weeks: 4) {
  items(first: 500) { totalCount nodes { itemId onHand projected supplierId } }
  suppliers { id name scorecard(segmentId: $s) { period otif otifTrend rank } }
} } }"""


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world(plan=True) as built:
        yield built


class Statements:
    """The SQL statements the app's engine sends while active."""

    def __init__(self, world: World) -> None:
        self.engine, self.seen, self._lock = world.engine, list[str](), threading.Lock()

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        with self._lock:
            self.seen.append(statement)

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def touching(self, table: str) -> list[str]:
        return [s for s in self.seen if table in s]


def _health(world: World, segment: str, as_: str = "admin") -> tuple[Any, Statements]:
    with Statements(world) as statements:
        data = world.data(HEALTH, {"s": segment}, as_=as_)
    return data, statements


def _outcomes(world: World) -> dict[str, float]:
    """gateway_graphql_answers_total per outcome, from /metrics."""
    metrics = httpx.get(
        f"{world.url}/metrics",
        headers={"Authorization": f"Bearer {world.keys['integration']}"},
        timeout=60,
    ).text
    found = re.findall(r'^gateway_graphql_answers_total\{outcome="(\w+)"\} (\S+)$', metrics, re.M)
    return {outcome: float(value) for outcome, value in found}


def test_a_repeated_question_is_answered_from_memory(world: World) -> None:
    segment = world.planner_segments[0]
    forget_remembered()
    counted = _outcomes(world)
    first, cold = _health(world, segment)
    again, warm = _health(world, segment)
    assert first["segment"]["atRisk"]["items"]["nodes"], "the demo has items at risk"
    assert again == first
    for table in ("plan_scorecards", "suppliers", "segments", "plan_buffers"):
        assert cold.touching(table) and not warm.touching(table), table
    assert len(warm.seen) < len(cold.seen)
    now = _outcomes(world)
    assert now["computed"] == counted["computed"] + 1
    assert now["remembered"] == counted["remembered"] + 1


def test_an_ingested_report_moves_the_answer(world: World) -> None:
    """A new inventory report for an item at risk (far above its safety stock) takes it off
    the list at once: the report moved the inputs version."""
    segment = world.planner_segments[0]
    before, _ = _health(world, segment)
    risk = before["segment"]["atRisk"]["items"]["nodes"][0]
    location = world.data(
        f'{{ item(id: "{risk["itemId"]}") {{ forecasts(weeks: 1) {{ locationId }} }} }}'
    )["item"]["forecasts"][0]["locationId"]
    report = {
        "supplier_id": risk["supplierId"],
        "report_id": f"TEST-{risk['itemId']}",
        "as_of": "2026-11-21",
        "location_id": location,
        "reported_by": "supplier",
        "lines": [{"buyer_item": risk["itemId"], "quantity_on_hand": 1_000_000, "uom": "EA"}],
    }
    sent = httpx.post(
        f"{world.url}/api/v1/inventory-positions",
        json=report,
        headers={"Authorization": f"Bearer {world.keys['admin']}"},
        timeout=60,
    )
    assert sent.status_code == 202, sent.text
    after, statements = _health(world, segment)
    assert statements.touching("plan_buffers"), "executed again, not served from memory"
    ids = [r["itemId"] for r in after["segment"]["atRisk"]["items"]["nodes"]]
    assert risk["itemId"] not in ids
    assert after["segment"]["atRisk"]["items"]["totalCount"] == (
        before["segment"]["atRisk"]["items"]["totalCount"] - 1
    )


def test_each_caller_gets_the_answer_of_its_own_scope(world: World) -> None:
    outside = next(s for s in world.segments if s not in world.planner_segments)
    forget_remembered()
    admin, _ = _health(world, outside)
    assert admin["segment"] is not None
    planner, _ = _health(world, outside, as_="planner")
    assert planner["segment"] is None
    assert _health(world, outside)[0] == admin


def test_a_question_reading_anything_else_runs_every_time(world: World) -> None:
    """A finding count is not covered by the inputs version: a finding resolved behind the
    version's back still shows on the next ask."""
    segment = world.planner_segments[0]
    text = "query($s: ID!) { segment(id: $s) { openFindingCount atRisk { items { totalCount } } } }"
    forget_remembered()
    first = world.data(text, {"s": segment})["segment"]["openFindingCount"]
    assert first > 0, "the demo's quality run left open findings"
    with world.sessions.begin() as session:
        finding = session.scalars(
            select(FindingRow.id).where(
                FindingRow.segment_id == segment, FindingRow.state == "open"
            )
        ).first()
        session.execute(update(FindingRow).where(FindingRow.id == finding).values(state="resolved"))
    assert world.data(text, {"s": segment})["segment"]["openFindingCount"] == first - 1
    assert len(answers._answers) == 0


def test_an_answer_with_errors_is_not_kept(world: World) -> None:
    forget_remembered()
    text = '{ segment(id: "FAST") { atRisk(weeks: 99) { weeks } } }'
    for _ in range(2):
        payload = world.query(text).json()
        assert "weeks must be 1 to 26" in payload["errors"][0]["message"]
    assert len(answers._answers) == 0


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (HEALTH, True),
        ('{ segment(id: "A") { atRisk { items { edges { cursor node { itemId } } } } } }', True),
        ('{ segment(id: "A") { ...f } } fragment f on Segment { policy { serviceMeasure } }', True),
        ('{ segment(id: "A") { ...f } } fragment f on Segment { openFindingCount }', False),
        ('{ segment(id: "A") { atRisk { items { nodes { item { id } } } } } }', False),
        ('{ segment(id: "A") { atRisk { suppliers { openFindingCount } } } }', False),
        ("{ segments { nodes { id } } }", False),
        ("{ __typename }", False),
    ],
)
def test_which_questions_may_be_remembered(text: str, verdict: bool) -> None:
    schema = build_schema()
    assert answers.answerable(schema, text, parse(text)) is verdict


def test_every_field_named_as_remembered_is_in_the_schema() -> None:
    """A renamed field would silently stop being remembered (or worse, a new field of the
    same name could be): every name in READS must exist."""
    types = build_schema()._schema.type_map
    for type_name, fields in answers.READS.items():
        assert type_name in types, type_name
        if fields != answers.ALL:
            missing = set(fields) - set(types[type_name].fields)  # type: ignore[attr-defined]
            assert not missing, (type_name, missing)


def test_the_setting_turns_it_off() -> None:
    def remembers(schema: Any) -> bool:
        return answers.RememberedAnswers in schema.extensions

    assert remembers(build_schema(remember_answers=True))
    assert not remembers(build_schema(remember_answers=False))


def test_the_store_keeps_one_answer_per_question(world: World) -> None:
    from gateway.store.audit import record

    forget_remembered()
    segment = world.planner_segments[0]
    first, _ = _health(world, segment)
    for n in range(3):
        with world.sessions.begin() as session:  # a new audit row: a new inputs version
            record(session, "test", "test.touched", "database", "test", {"n": n})
        assert _health(world, segment)[0] == first
    assert len(answers._answers) == 1
    assert len(remembered._AT_RISK) == 1
