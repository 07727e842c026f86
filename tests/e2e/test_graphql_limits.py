"""The N+1 guard (SQL statements per request do not grow with the items), the abuse limits,
and the schema snapshot."""

from __future__ import annotations

import difflib
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from gateway.graphql.limits import MAX_ALIASES, MAX_DEPTH
from gateway.graphql.schema import SDL_PATH, sdl
from tests.e2e.graphql_world import World, forget_remembered, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world(items=80, plan=True) as built:
        yield built


class StatementCounter:
    """Counts every SQL statement the app's engine sends while active."""

    def __init__(self, world: World) -> None:
        self.engine, self.count, self._lock = world.engine, 0, threading.Lock()

    def _seen(self, *_: Any) -> None:
        with self._lock:
            self.count += 1

    def __enter__(self) -> StatementCounter:
        forget_remembered()  # count what a cold request sends
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


NESTED = """query($n: Int!) {
  items(first: $n) {
    nodes {
      id
      segment { id name itemCount openFindingCount }
      sources { share supplier { id name openFindingCount segments { segment { id } } } }
      purchaseOrderLines(first: 50) {
        totalCount
        nodes {
          quantity openQuantity
          purchaseOrder {
            poNumber status supplier { id }
            shipNotices(first: 5) {
              nodes { shipmentId lines { quantity } findings { totalCount } }
            }
          }
        }
      }
    }
  }
}"""


def _statements(world: World, n: int) -> int:
    world.data("{ me { kind } }")  # warm: the policy version and the Authorizer are loaded
    with StatementCounter(world) as counter:
        data = world.data(NESTED, {"n": n})
    assert len(data["items"]["nodes"]) == n
    assert any(i["purchaseOrderLines"]["totalCount"] for i in data["items"]["nodes"])
    return counter.count


def test_statements_do_not_grow_with_the_items(world: World) -> None:
    few, many = _statements(world, 15), _statements(world, 60)
    assert many == few, f"{few} statements for 15 items, {many} for 60"
    assert few < 30, few


def test_statements_of_the_segment_overview_do_not_grow(world: World) -> None:
    from gateway.graphql.examples import SEGMENT_OVERVIEW

    counts = {}
    world.data("{ me { kind } }")  # warm: the policy version and the Authorizer are loaded
    for segment in world.segments[:2]:
        with StatementCounter(world) as counter:
            data = world.data(SEGMENT_OVERVIEW, {"segment": segment})
        counts[data["segment"]["itemCount"]] = counter.count
    assert len(set(counts.values())) == 1, counts


PLANNING = """query($n: Int!) {
  items(first: $n) {
    nodes {
      id
      forecasts(weeks: 4) { method mase periods { consensus supplierCommit } }
      buffer { safetyStock locations { reorderPoint } }
      sources { supplier { id scorecard(months: 2) { otif rank otifTrend } } }
      segment {
        id atRisk(weeks: 4) { items { nodes { itemId } } suppliers { scorecard { otif } } }
      }
    }
  }
  proposals(first: 3) { nodes { id changes(first: 20) { nodes { itemId toClass } } } }
  thresholds { version }
}"""


def test_statements_of_planning_fields_do_not_grow(world: World) -> None:
    world.data("{ me { kind } }")
    counts = []
    for n in (15, 60):
        with StatementCounter(world) as counter:
            data = world.data(PLANNING, {"n": n})
        assert len(data["items"]["nodes"]) == n
        assert any(node["forecasts"] for node in data["items"]["nodes"])
        counts.append(counter.count)
    assert counts[0] == counts[1], f"{counts[0]} statements for 15 items, {counts[1]} for 60"


def _refused(world: World, text: str) -> str:
    response = world.query(text)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload.get("data") is None and payload["errors"], payload
    message: str = payload["errors"][0]["message"]
    return message


def test_a_depth_bomb_is_refused_before_it_runs(world: World) -> None:
    inner = "id"
    for _ in range(8):
        order = f"purchaseOrder {{ lines {{ item {{ {inner} }} }} }}"
        inner = f"purchaseOrderLines {{ nodes {{ {order} }} }}"
    bomb = f"{{ items {{ nodes {{ {inner} }} }} }}"
    with StatementCounter(world) as counter:
        message = _refused(world, bomb)
    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in message
    assert counter.count <= 3  # only the key check: no resolver ran


def test_a_hundred_aliases_are_refused(world: World) -> None:
    aliases = " ".join(f"a{i}: segments {{ totalCount }}" for i in range(100))
    message = _refused(world, f"{{ {aliases} }}")
    assert message == f"100 aliases found. Allowed: {MAX_ALIASES}"


def test_a_huge_document_is_refused_by_its_token_count(world: World) -> None:
    fields = " ".join("__typename" for _ in range(3000))
    message = _refused(world, f"{{ {fields} }}")
    assert "more than 2000 tokens" in message


def test_refused_queries_are_logged_in_a_line_not_as_server_errors(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    _refused(world, "{ noSuchField }")
    _refused(world, "{ " + " ".join(f"a{i}: segments {{ totalCount }}" for i in range(40)) + " }")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    refused = [r for r in caplog.records if r.getMessage().startswith("GraphQL request refused")]
    assert len(refused) == 2 and all(r.exc_info is None for r in refused)


def test_introspection_is_not_counted_as_depth(world: World) -> None:
    deep = "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
    assert world.data(deep)["__schema"]["types"]


def test_the_schema_matches_its_snapshot() -> None:
    """The SDL is checked in; a schema change shows as a diff. Regenerate on purpose with
    ``python -m gateway.graphql`` (or GATEWAY_UPDATE_GRAPHQL_SCHEMA=1 pytest ...)."""
    current = sdl()
    if os.environ.get("GATEWAY_UPDATE_GRAPHQL_SCHEMA") == "1":
        SDL_PATH.write_text(current, encoding="utf-8")
    stored = SDL_PATH.read_text(encoding="utf-8")
    if stored != current:
        diff = "".join(
            difflib.unified_diff(
                stored.splitlines(keepends=True),
                current.splitlines(keepends=True),
                "schema.graphql (checked in)",
                "schema (from the code)",
            )
        )
        pytest.fail(
            "The GraphQL schema changed. If on purpose, run `python -m gateway.graphql` and "
            f"commit gateway/graphql/schema.graphql.\n{diff}",
            pytrace=False,
        )
