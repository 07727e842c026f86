# ruff: noqa: RUF003
"""Buffers against textbook formulas (Silver, Pyke & Thomas) and Monte Carlo checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.buffers import (
    bootstrap_lead_time_demand,
    dynamic_buffers,
    inverse_normal_loss,
    lead_time_demand_sigma,
    normal_loss,
    plan_buffers,
    safety_stock,
    seasonal_sigma,
    service_level_costs,
    simulate_policy,
    suggest_service_level,
)
from planning_core.errors import InputValueError


def test_safety_stock_z_sigma_sqrt_lead_time() -> None:
    # σ_d = 10 per week, L = 4 weeks, α = 95%: SS = 1.6449 · 10 · √4 = 32.90
    sigma_x = lead_time_demand_sigma(10.0, 50.0, 4.0)
    assert float(sigma_x) == pytest.approx(20.0)
    assert float(safety_stock(sigma_x, 0.95)) == pytest.approx(32.897, abs=1e-3)


def test_lead_time_variability_adds_mu_squared_sigma_l_squared() -> None:
    # √(L σ_d² + μ_d² σ_L²) = √(4·400 + 10000·1) = √11600
    assert float(lead_time_demand_sigma(20.0, 100.0, 4.0, 1.0)) == pytest.approx(np.sqrt(11600))


def test_normal_loss_table_values_and_inverse() -> None:
    # Silver, Pyke & Thomas Appendix B: G(0) = 0.3989, G(1) = 0.0833, G(2) = 0.008491
    np.testing.assert_allclose(
        normal_loss(np.array([0.0, 1.0, 2.0])), [0.3989, 0.0833, 0.00849], atol=5e-5
    )
    np.testing.assert_allclose(
        inverse_normal_loss(np.array([0.3989423, 0.0833155])), [0.0, 1.0], atol=1e-5
    )


def test_fill_rate_safety_stock_via_normal_loss() -> None:
    # β = 98%, Q = 100, σ_X = 25: G(k) = 0.02 · 100 / 25 = 0.08, k slightly above 1
    stock = float(safety_stock(25.0, 0.98, measure="fill_rate", replenishment_qty=100.0))
    k = stock / 25.0
    assert float(normal_loss(k)) == pytest.approx(0.08, rel=1e-6)
    assert 1.0 < k < 1.05


def test_periodic_and_continuous_review_levels() -> None:
    periodic = plan_buffers(
        np.array([100.0]), np.array([20.0]), np.array([2.0]), 0.0, 0.95, review_period=1.0
    )
    sigma = 20.0 * np.sqrt(3.0)  # protection interval L + R = 3
    assert periodic.order_up_to[0] == pytest.approx(300 + 1.644854 * sigma, rel=1e-6)
    assert periodic.expected_on_hand[0] == pytest.approx(1.644854 * sigma + 50.0, rel=1e-6)
    continuous = plan_buffers(
        np.array([100.0]),
        np.array([20.0]),
        np.array([2.0]),
        0.0,
        0.95,
        review="continuous",
        order_qty=400.0,
    )
    assert continuous.reorder_point[0] == pytest.approx(
        200 + 1.644854 * 20.0 * np.sqrt(2.0), rel=1e-6
    )
    assert continuous.order_up_to[0] == pytest.approx(continuous.reorder_point[0] + 400.0)
    with pytest.raises(InputValueError):
        plan_buffers(np.ones(1), np.ones(1), np.ones(1), 0.0, 0.95, review="continuous")


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.0, 1e4),
    st.floats(0.5, 0.99),
    st.floats(0.001, 0.0099),
    st.sampled_from(["cycle", "fill_rate"]),
)
def test_safety_stock_never_falls_as_service_rises(
    sigma: float, low: float, step: float, measure: str
) -> None:
    high = low + step
    a = safety_stock(np.array([sigma]), low, measure=measure, replenishment_qty=50.0)
    b = safety_stock(np.array([sigma]), high, measure=measure, replenishment_qty=50.0)
    assert b[0] >= a[0] - 1e-9


def test_simulation_reaches_the_target_for_normal_assumptions() -> None:
    mean, sd, lead = np.full(3, 100.0), np.full(3, 20.0), np.full(3, 2.0)
    policy = plan_buffers(mean, sd, lead, 0.0, 0.95)
    report = simulate_policy(
        policy.order_up_to, mean, sd, lead, 0.0, target=0.95, replications=40, seed=1
    )
    assert np.abs(report.cycle_service - 0.95).max() < 0.03
    assert (report.fill_rate > 0.98).all()


def test_simulation_reports_a_miss_for_skewed_lead_times() -> None:
    # Normal formula with a skewed gamma lead time (mean 4, σ 3): reported next to the target.
    mean, sd = np.full(2, 100.0), np.full(2, 10.0)
    policy = plan_buffers(mean, sd, np.full(2, 4.0), 3.0, 0.95)
    report = simulate_policy(
        policy.order_up_to, mean, sd, np.full(2, 4.0), 3.0, target=0.95, replications=30
    )
    assert (report.target == 0.95).all()
    assert np.isfinite(report.cycle_service).all()


def test_bootstrap_lead_time_demand_for_intermittent_items() -> None:
    steady = np.ones((1, 30))
    point, stock = bootstrap_lead_time_demand(steady, np.array([3.0]), 0.9)
    assert point[0] == pytest.approx(3.0) and stock[0] == pytest.approx(0.0)
    sparse = np.tile([0.0, 0.0, 0.0, 8.0], (1, 13))
    low, _ = bootstrap_lead_time_demand(sparse, np.array([2.0, 3.0]), 0.5)
    high, _ = bootstrap_lead_time_demand(sparse, np.array([2.0, 3.0]), 0.95)
    assert high[0] >= low[0] and high[0] % 8 == 0  # sums of whole demand sizes


def test_dynamic_buffers_follow_the_period_error() -> None:
    forecast = np.full((1, 8), 10.0)
    sigma = np.array([[2.0] * 4 + [4.0] * 4])
    stock, level = dynamic_buffers(forecast, sigma, 4, 0.95)
    assert stock[0, 0] == pytest.approx(1.644854 * 4.0, rel=1e-5)  # √(4 · 2²)
    assert stock[0, -1] == pytest.approx(1.644854 * 8.0, rel=1e-5)  # √(4 · 4²)
    assert level[0, 0] == pytest.approx(40.0 + stock[0, 0])
    # season length 2: position 0 has residuals ±1, position 1 ±5; 24 periods of history,
    # so the next periods are positions 0, 1, 0
    residuals = np.tile([1.0, 5.0, -1.0, -5.0], (1, 6))
    np.testing.assert_allclose(seasonal_sigma(residuals, 2, 3), [[1.0, 5.0, 1.0]])


def test_cost_view_suggests_the_critical_ratio() -> None:
    assert float(suggest_service_level(1.0, 20.0)) == pytest.approx(0.95)
    table = service_level_costs(
        ["s1", "s1"], np.array([30.0, 30.0]), np.array([100.0, 100.0]), np.ones(2), np.full(2, 20.0)
    )
    best = table.loc[table["best"], "service_level"].item()
    assert best == pytest.approx(0.95)
