"""Cursors, page windows and the policy input's validation, without a database."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from graphql import GraphQLError
from hypothesis import given
from hypothesis import strategies as st

from gateway.graphql.pagination import (
    connection_of_list,
    connection_of_ranked,
    decode_cursor,
    encode_cursor,
)
from gateway.graphql.policy import PlanningPolicyInput

values = st.one_of(st.text(max_size=30), st.integers(), st.dates().map(dt.date.isoformat))


@given(value=values, row_id=st.one_of(st.integers(), st.text(max_size=20)))
def test_a_cursor_gives_back_what_it_holds(value: object, row_id: object) -> None:
    assert decode_cursor(encode_cursor("s", value, row_id), "s") == (value, row_id)


def test_a_cursor_of_another_sort_or_garbage_is_refused() -> None:
    with pytest.raises(GraphQLError, match="made for sort a, not b"):
        decode_cursor(encode_cursor("a", 1, 2), "b")
    for junk in ("", "!!!", "bm9wZQ", encode_cursor("a", 1, 2)[:-3]):
        with pytest.raises(GraphQLError, match="cursor"):
            decode_cursor(junk, "a")


def test_pages_of_a_list_cover_it_once() -> None:
    nodes, seen, after = list(range(23)), [], None
    while True:
        page = connection_of_list(nodes, 5, after)
        seen += [edge.node for edge in page.edges]
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == nodes
    assert asyncio.run(page.total_count()) == 23  # type: ignore[misc]
    with pytest.raises(GraphQLError, match="first must be between 1 and 500"):
        connection_of_list(nodes, 0, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, "input"),
        ({"service_level_target": 0.0}, "input.serviceLevelTarget"),
        ({"forecast_methods": ["ses", "magic"]}, "input.forecastMethods"),
        ({"review_cycle_days": 400}, "input.reviewCycleDays"),
        ({"review_cycle_days": 7, "reason": "x" * 2001}, "input.reason"),
    ],
)
def test_policy_input_names_the_field_at_fault(change: dict[str, object], field: str) -> None:
    problem = PlanningPolicyInput(**change).problem()  # type: ignore[arg-type]
    assert problem is not None and problem.field == field


def test_a_sound_policy_input_has_no_problem() -> None:
    change = PlanningPolicyInput(service_level_target=0.95, forecast_methods=["ses", "croston"])
    assert change.problem() is None


def _by_shortfall(row: tuple[float, str]) -> tuple[float, str]:
    return row


@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.text("abc", max_size=4)),
        unique_by=lambda r: r[1],
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_ranked_pages_cover_the_list_once_worst_first(
    rows: list[tuple[float, str]], first: int
) -> None:
    ranked = sorted(rows, key=lambda r: (-r[0], r[1]))
    seen: list[tuple[float, str]] = []
    after = None
    while True:
        page = connection_of_ranked(ranked, first, after, "shortfall", _by_shortfall, tuple)
        seen += [edge.node for edge in page.edges]
        assert asyncio.run(page.total_count()) == len(ranked)
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == ranked


def test_a_ranked_cursor_continues_after_its_row_when_the_list_changed() -> None:
    rows = [(9.0, "a"), (5.0, "b"), (5.0, "c"), (1.0, "d")]
    page = connection_of_ranked(rows, 2, None, "shortfall", _by_shortfall, tuple)
    later = [(9.0, "a"), (7.0, "x"), (5.0, "c"), (1.0, "d")]  # b left, x came in above
    rest = connection_of_ranked(
        later, 5, page.page_info.end_cursor, "shortfall", _by_shortfall, tuple
    )
    assert [edge.node for edge in rest.edges] == [(5.0, "c"), (1.0, "d")]
    with pytest.raises(GraphQLError, match="made for sort position"):
        connection_of_ranked(
            rows, 2, encode_cursor("position", None, 3), "shortfall", _by_shortfall, tuple
        )
    with pytest.raises(GraphQLError, match="invalid cursor"):
        connection_of_ranked(
            rows, 2, encode_cursor("shortfall", "x", 3), "shortfall", _by_shortfall, tuple
        )
