"""Automatic selection, quantiles and invariants of the forecast engine (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from planning_core.errors import InputValueError, PlanningError, UnknownMethodError
from planning_core.forecast import forecast_panel
from planning_core.forecast.auto import backtest_errors, trim_leading_zeros
from planning_core.forecast.fitting import fit_method
from planning_core.forecast.methods import METHODS, get_method

demand_matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(2, 40)),
    elements=st.floats(0, 1000, allow_nan=False),
)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 40), st.integers(1, 8))
def test_all_zero_demand_forecasts_zero(n: int, periods: int, horizon: int) -> None:
    result = forecast_panel(np.zeros((n, periods)), horizon, season_length=4)
    assert (result.point == 0).all()
    assert (result.quantiles == 0).all()


@settings(max_examples=40, deadline=None)
@given(demand_matrices, st.integers(1, 6))
def test_forecasts_never_negative_and_quantiles_ordered(y: np.ndarray, horizon: int) -> None:
    result = forecast_panel(y, horizon, season_length=4)
    assert np.isfinite(result.point).all()
    assert (result.point >= 0).all()
    assert (result.quantiles >= 0).all()
    assert (np.diff(result.quantiles, axis=1) >= 0).all()


@settings(max_examples=20, deadline=None)
@given(demand_matrices, st.randoms(use_true_random=False))
def test_results_follow_the_series_order(y: np.ndarray, rnd: object) -> None:
    order = np.random.default_rng(7).permutation(y.shape[0])
    base = forecast_panel(y, 3, season_length=4)
    shuffled = forecast_panel(y[order], 3, season_length=4)
    np.testing.assert_allclose(shuffled.point, base.point[order])
    assert shuffled.method.tolist() == base.method[order].tolist()


def test_selection_picks_seasonal_methods_for_weekly_seasonality() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(104)
    seasonal = 100 + 40 * np.sin(2 * np.pi * t / 52) + rng.normal(0, 3, (20, 104))
    result = forecast_panel(seasonal, 13, season_length=52)
    assert all(
        name in {"seasonal_naive", "holt_winters_additive", "holt_winters_multiplicative"}
        for name in result.method
    )


def test_allowed_methods_restrict_the_choice_per_series() -> None:
    y = np.tile(np.array([5.0, 7.0, 6.0, 8.0] * 10), (2, 1))
    allowed = np.array([[True, False], [False, True]])
    result = forecast_panel(y, 2, methods=("naive", "ses"), allowed=allowed)
    assert result.method.tolist() == ["naive", "ses"]


def test_intermittent_items_get_intervals_from_the_demand_mixture() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random((50, 80)) < 0.4) * rng.integers(1, 10, (50, 80))
    result = forecast_panel(y.astype(float), 4, methods=("croston", "sba", "tsb"))
    upper = result.quantiles[:, -1, :]
    assert (upper > 0).all()  # 90% quantile of a 40%-demand item: a size
    assert (result.quantiles[:, 0, :] == 0).all()  # 10% quantile is zero demand


def test_series_of_different_lengths() -> None:
    y = np.full((3, 30), np.nan)
    y[0] = 10.0
    y[1, 20:] = 4.0
    y[2, 29] = 2.0
    result = forecast_panel(y, 5, season_length=7)
    np.testing.assert_allclose(result.point[:, 0], [10.0, 4.0, 2.0])


def test_errors_carry_codes() -> None:
    with pytest.raises(UnknownMethodError) as info:
        forecast_panel(np.ones((1, 5)), 1, methods=("arima",))
    assert info.value.code == "planning.unknown_method"
    with pytest.raises(InputValueError):
        forecast_panel(-np.ones((1, 5)), 1)
    with pytest.raises(PlanningError, match="horizon"):
        forecast_panel(np.ones((1, 5)), 0)


def test_parallel_forecast_equals_the_single_process_one() -> None:
    from planning_core.forecast import parallel

    rng = np.random.default_rng(5)
    y = rng.poisson(5.0, (40, 30)).astype(float)
    original = parallel.MIN_ROWS_PER_JOB
    parallel.MIN_ROWS_PER_JOB = 10  # force two worker processes on a small input
    try:
        split = parallel.forecast_panel_parallel(y, 3, n_jobs=2, season_length=4)
    finally:
        parallel.MIN_ROWS_PER_JOB = original
    whole = forecast_panel(y, 3, season_length=4)
    np.testing.assert_allclose(split.point, whole.point)
    np.testing.assert_allclose(split.quantiles, whole.quantiles)
    assert split.method.tolist() == whole.method.tolist()


def test_quantiles_follow_the_order_levels_were_given_in() -> None:
    y = np.random.default_rng(2).gamma(2.0, 10.0, (5, 60))
    result = forecast_panel(y, 4, quantile_levels=(0.1, 0.9, 0.025, 0.975))
    q = result.quantiles
    assert (q[:, 2] <= q[:, 0]).all() and (q[:, 0] <= q[:, 1]).all() and (q[:, 1] <= q[:, 3]).all()


def test_a_launched_item_is_not_intermittent_for_its_leading_zeros() -> None:
    rng = np.random.default_rng(3)
    launched = np.concatenate([np.zeros(80), rng.poisson(50.0, 24)]).astype(float)
    result = forecast_panel(launched, 13)
    assert not METHODS[str(result.method[0])].intermittent
    # started at its first sale, its level is the launched level, not diluted by the zeros
    assert 40.0 < result.point[0, 0] < 60.0


def test_leading_zeros_are_not_history_for_level_methods() -> None:
    demand = np.array([[0.0, 0.0, 3.0, 0.0, 4.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    trimmed = trim_leading_zeros(demand)
    assert np.isnan(trimmed[:, :2]).all()
    assert trimmed[0, 2:].tolist() == [3.0, 0.0, 4.0]
    assert np.isnan(trimmed[1]).all()
    assert (forecast_panel(demand, 4).point[1] == 0.0).all()


def test_a_rarely_sold_item_stays_intermittent() -> None:
    sporadic = np.zeros(104)
    sporadic[[10, 40, 77, 100]] = [3.0, 5.0, 2.0, 4.0]
    result = forecast_panel(sporadic, 13)
    assert METHODS[str(result.method[0])].intermittent


def test_a_declining_series_gets_a_forecast_that_follows_the_decline() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(80)
    rate = np.where(t < 30, 200.0, 200.0 * np.exp(-(t - 30) / 20.0))
    result = forecast_panel(rng.poisson(rate).astype(float), 13)
    point = result.point[0]
    assert (np.diff(point) <= 1e-9).all()
    assert point[-1] < 0.9 * point[0]
    assert point[-1] < rate[-1]


def test_the_combination_backtest_averaged_from_its_members_equals_a_re_run() -> None:
    rng = np.random.default_rng(5)
    demand = rng.poisson(rng.uniform(5, 50, (20, 1)), (20, 70)).astype(float)
    result = forecast_panel(demand, 6, season_length=12, policy="all")
    spec = get_method("combination")
    fit = fit_method(spec, demand, 6, 12)
    origins = [64 - 3 * k for k in range(8)]
    direct = backtest_errors(spec, fit, demand, 6, 12, origins, "mae")
    column = result.methods.index("combination")
    np.testing.assert_allclose(result.backtest_error[:, column], direct, rtol=1e-12)
