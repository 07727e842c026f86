"""Consensus, FVA, exceptions, accuracy measures, allocation, exposure and disruptions."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.accuracy import bias, mape, mase, wape
from planning_core.collaboration import (
    consensus_forecast,
    forecast_exceptions,
    forecast_value_added,
)
from planning_core.risk import allocate_supply, simulate_disruption, single_source_exposure

FRAME = pd.DataFrame(
    {
        "item_id": ["a", "a", "b", "b"],
        "segment_id": ["S", "S", "S", "S"],
        "period": ["2026-01", "2026-02", "2026-01", "2026-02"],
        "stat": [100.0, 100.0, 50.0, 50.0],
        "commit": [80.0, np.nan, 50.0, 60.0],
        "override": [np.nan, 120.0, np.nan, np.nan],
        "actual": [90.0, 118.0, 50.0, 55.0],
        "naive": [70.0, 90.0, 40.0, 50.0],
    }
)


def test_accuracy_measures_by_hand() -> None:
    y, f = np.array([[10.0, 0.0, 20.0]]), np.array([[12.0, 1.0, 15.0]])
    assert wape(y, f)[0] == pytest.approx(8 / 30)
    assert mape(y, f)[0] == pytest.approx((0.2 + 0.25) / 2)
    assert bias(y, f)[0] == pytest.approx(-2 / 30)
    assert mase(y, f, np.array([[1.0, 3.0, 2.0, 4.0]]))[0] == pytest.approx((8 / 3) / (5 / 3))


def test_consensus_is_override_else_weighted_blend() -> None:
    result = consensus_forecast(FRAME, commit_weight={"S": 0.25})
    assert result["consensus"].tolist() == [95.0, 120.0, 50.0, 52.5]
    assert result["source"].tolist() == ["blend", "override", "blend", "blend"]
    assert result["constrained"].tolist() == [80.0, 120.0, 50.0, 52.5]


def test_forecast_value_added_and_target() -> None:
    table = forecast_value_added(consensus_forecast(FRAME), {"S": 0.9}).set_index("segment_id")
    actual = 313.0
    assert table.loc["S", "wape_naive"] == pytest.approx((20 + 28 + 10 + 5) / actual)
    assert table.loc["S", "wape_stat"] == pytest.approx((10 + 18 + 0 + 5) / actual)
    assert table.loc["S", "fva_stat"] > 0 and table.loc["S", "fva_consensus"] > 0
    assert bool(table.loc["S", "meets_target"]) == (table.loc["S", "accuracy"] >= 0.9)


def test_exceptions_when_variance_exceeds_the_segment_threshold() -> None:
    records = forecast_exceptions(FRAME, {"S": 0.15})
    kinds = {(r["item_id"], r["period"], r["kind"]) for r in records}
    assert kinds == {
        ("a", "2026-01", "commit_vs_consensus"),  # 80 vs 100: 20%
        ("a", "2026-02", "stat_vs_consensus"),  # 100 vs override 120: 16.7%
        ("b", "2026-02", "commit_vs_consensus"),  # 60 vs 50: 20%
    }


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0, 100), min_size=1, max_size=8),
    st.lists(st.integers(1, 3), min_size=8, max_size=8),
    st.floats(0, 500),
)
def test_allocation_respects_supply_priority_and_demand(
    need: list[float], ranks: list[int], supply: float
) -> None:
    demand = np.array(need)[:, None]
    priority = np.array(ranks[: len(need)])
    allocated = allocate_supply(demand, priority, supply)
    assert (allocated <= demand + 1e-9).all() and (allocated >= 0).all()
    assert allocated.sum() == pytest.approx(min(supply, demand.sum()), abs=1e-6)
    for level in np.unique(priority):  # a class is served only after all higher ones in full
        higher = priority < level
        if allocated[priority == level].sum() > 1e-9:
            np.testing.assert_allclose(allocated[higher], demand[higher])


def test_fair_share_within_a_priority() -> None:
    allocated = allocate_supply(np.array([[50.0], [30.0], [10.0]]), np.array([1, 2, 2]), 70.0)
    np.testing.assert_allclose(allocated[:, 0], [50.0, 15.0, 5.0])  # 20 shared 30:10


def test_single_source_exposure() -> None:
    sources = pd.DataFrame(
        {
            "item_id": ["i1", "i1", "i2", "i3"],
            "supplier_id": ["A", "B", "A", "C"],
            "segment_id": ["S"] * 4,
        }
    )
    table = single_source_exposure(sources, pd.Series({"i1": 10.0, "i2": 30.0, "i3": 60.0}))
    row = table.iloc[0]
    assert (row["items"], row["single_source_items"]) == (3, 2)
    assert row["volume_share"] == pytest.approx(0.9)
    assert row["suppliers"] == ["A", "C"]


def test_disruption_hurts_less_with_buffers() -> None:
    items = pd.DataFrame(
        {
            "item_id": ["i1", "i2", "i3"], "segment_id": ["S", "S", "T"],
            "supplier_id": ["A", "A", "B"], "demand_mean": [100.0] * 3, "demand_sd": [20.0] * 3,
            "lead_time_mean": [2.0] * 3, "lead_time_sd": [0.5] * 3, "service_level": [0.95] * 3,
        }
    )  # fmt: skip
    result = simulate_disruption(items, "A", kind="capacity", weeks=6, replications=20)
    s = result[result["segment_id"] == "S"].set_index("scenario")
    assert s.loc["with_buffers", "fill_rate"] > s.loc["without_buffers", "fill_rate"]
    assert s.loc["with_buffers", "affected_items"] == 2
    stretched = simulate_disruption(
        items, "A", kind="lead_time", lead_time_factor=3.0, replications=10
    )
    assert set(stretched["scenario"]) == {"with_buffers", "without_buffers"}
