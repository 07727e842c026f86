"""Reconciliation adds up; uplifts and launch curves behave as documented."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from planning_core.errors import InputShapeError
from planning_core.forecast import (
    aggregate_levels,
    apply_uplift,
    estimate_lift,
    launch_curve,
    launch_forecast,
    reconcile,
)


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 12), st.integers(1, 5)), elements=st.floats(0, 1e4)
    ),
    st.sampled_from(["bottom_up", "proportional", "wls"]),
    st.data(),
)
def test_reconciled_levels_add_up(bottom: np.ndarray, method: str, data: st.DataObject) -> None:
    n, h = bottom.shape
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    k = len(set(groups))
    target = data.draw(arrays(np.float64, (k, h), elements=st.floats(0, 1e4)))
    result, agg = reconcile(bottom, groups, method=method, aggregate_forecast=target)
    assert (result >= 0).all()
    for index, label in enumerate(agg.labels):
        members = [i for i, g in enumerate(groups) if g == label]
        np.testing.assert_allclose(result[members].sum(axis=0), agg.values[index], rtol=1e-9)
        if method == "proportional":
            np.testing.assert_allclose(agg.values[index], target[index], rtol=1e-9, atol=1e-9)
    levels = aggregate_levels(result, {"all": ["x"] * n})
    np.testing.assert_allclose(levels["all"].values[0], result.sum(axis=0))


def test_wls_structural_split_by_hand() -> None:
    # two members forecast 10 and 30, group forecast 60: d = 20, v = 1, 1, 2 -> each +20/4
    result, agg = reconcile(
        np.array([[10.0], [30.0]]), ["g", "g"], method="wls", aggregate_forecast=np.array([[60.0]])
    )
    np.testing.assert_allclose(result[:, 0], [15.0, 35.0])
    np.testing.assert_allclose(agg.values, [[50.0]])


def test_reconcile_needs_the_aggregate_forecast() -> None:
    with pytest.raises(InputShapeError):
        reconcile(np.ones((2, 3)), ["a", "b"], method="proportional")


def test_promotion_lift_and_uplift() -> None:
    demand = np.array([[10.0, 10.0, 25.0, 10.0, 25.0]])
    promoted = np.array([[False, False, True, False, True]])
    lift = estimate_lift(demand, promoted)
    assert lift[0] == pytest.approx(2.5)
    forecast = np.array([[10.0, 10.0]])
    np.testing.assert_allclose(apply_uplift(forecast, np.array([[1.0, lift[0]]])), [[10.0, 25.0]])


def test_like_item_launch_curve() -> None:
    like = np.array(
        [[np.nan, 2.0, 5.0, 10.0, 10.0, 10.0], [1.0, 2.5, 5.0, 5.0, 5.0, 5.0]]
    )  # ramps to 10 and to 5
    curve = launch_curve(like, 3, mature_periods=3)
    np.testing.assert_allclose(curve, [0.2, 0.5, 1.0])
    np.testing.assert_allclose(
        launch_forecast(curve, np.array([40.0]), 4), [[8.0, 20.0, 40.0, 40.0]]
    )


@pytest.mark.parametrize("method", ["bottom_up", "proportional", "wls"])
def test_forecast_levels_add_up(method: str) -> None:
    from planning_core.forecast import forecast_levels, group_history

    rng = np.random.default_rng(4)
    demand = rng.poisson(8.0, (6, 40)).astype(float)
    demand[0, :10] = np.nan  # a member that started later
    groups = ["f1", "f1", "f2", "f2", "f2", "f3"]
    bottom, agg, members = forecast_levels(demand, 4, groups, method=method)
    assert members.point.shape == bottom.shape == (6, 4)
    np.testing.assert_allclose(agg.values[0], bottom[:2].sum(axis=0))
    np.testing.assert_allclose(agg.values.sum(axis=0), bottom.sum(axis=0))
    labels, history = group_history(demand, groups)
    assert labels.tolist() == ["f1", "f2", "f3"]
    assert history[0, 0] == demand[1, 0]  # the later member does not blank the total
