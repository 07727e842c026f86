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
