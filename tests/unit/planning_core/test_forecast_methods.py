"""Forecast kernels against hand-computed textbook recursions."""

import numpy as np
import pytest

from planning_core.forecast import METHODS, get_method
from planning_core.forecast.intermittent import adida, croston, sba, tsb
from planning_core.forecast.simple import moving_average, naive, seasonal_naive
from planning_core.forecast.smoothing import holt_damped, ses

P = dict[str, np.ndarray]


def one(value: float) -> np.ndarray:
    return np.array([value])


def test_ses_hand_computed() -> None:
    # l0 = mean of the first values = 11; l = 11 + 0.5(10 - 11) = 10.5;
    # 10.5 + 0.5(12 - 10.5) = 11.25; 11.25 + 0.5(11 - 11.25) = 11.125
    fitted, forecast = ses(np.array([[10.0, 12.0, 11.0]]), 2, {"alpha": one(0.5)}, 1)
    np.testing.assert_allclose(fitted, [[np.nan, 10.5, 11.25]])
    np.testing.assert_allclose(forecast, [[11.125, 11.125]])


def test_croston_and_sba_hand_computed() -> None:
    # Croston (1972) / Syntetos & Boylan (2005) with alpha = 0.1 for size and interval:
    # first demand 3 after 2 periods: z = 3, p = 2; demand 5 after 3: z = 3.2, p = 2.1;
    # demand 4 after 2: z = 3.28, p = 2.09. Croston 3.28/2.09; SBA (1 - 0.1/2) * 3.28/2.09.
    y = np.array([[0.0, 3.0, 0.0, 0.0, 5.0, 0.0, 4.0]])
    params = {"alpha": one(0.1), "alpha_interval": one(0.1)}
    fitted, forecast = croston(y, 3, params, 1)
    assert forecast[0, 0] == pytest.approx(3.28 / 2.09)
    np.testing.assert_allclose(fitted[0, :3], [np.nan, 0.0, 1.5])  # no forecast for t = 0
    _, debiased = sba(y, 3, params, 1)
    assert debiased[0, 0] == pytest.approx(0.95 * 3.28 / 2.09)


def test_tsb_hand_computed() -> None:
    # d0 = 0 (first period has no demand), z set at the first demand (4);
    # then d = 0 + 0.5(1 - 0) = 0.5 at t = 1 and d = 0.5 + 0.5(0 - 0.5) = 0.25 at t = 2.
    y = np.array([[0.0, 4.0, 0.0]])
    _, forecast = tsb(y, 1, {"alpha": one(0.5), "beta": one(0.5)}, 1)
    assert forecast[0, 0] == pytest.approx(0.25 * 4.0)


def test_naive_seasonal_naive_moving_average() -> None:
    y = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    assert naive(y, 2, {}, 1)[1].tolist() == [[6.0, 6.0]]
    assert seasonal_naive(y, 4, {}, 3)[1].tolist() == [[4.0, 5.0, 6.0, 4.0]]
    fitted, forecast = moving_average(y, 1, {"window": one(3)}, 1)
    assert forecast[0, 0] == pytest.approx(5.0)
    assert fitted[0, 3] == pytest.approx(2.0)


def test_holt_damped_follows_a_linear_trend() -> None:
    y = np.arange(1.0, 41.0)[None, :]
    _, forecast = holt_damped(y, 3, {"alpha": one(0.5), "beta": one(0.5), "phi": one(1.0)}, 1)
    np.testing.assert_allclose(forecast[0], [41.0, 42.0, 43.0], rtol=0.02)


@pytest.mark.parametrize("name", ["holt_winters_additive", "holt_winters_multiplicative"])
def test_holt_winters_reproduces_an_exact_weekly_season(name: str) -> None:
    # With no noise the first season initialises the state exactly, every error is zero and
    # the forecast repeats the season, for m = 52 as for any m.
    m = 52
    pattern = 20.0 + 10.0 * np.sin(2 * np.pi * np.arange(m) / m)
    y = np.tile(pattern, 2)[None, :]
    params = {"alpha": one(0.2), "beta": one(0.1), "gamma": one(0.1), "phi": one(0.9)}
    _, forecast = get_method(name).kernel(y, 13, params, m)
    np.testing.assert_allclose(forecast[0], pattern[:13], atol=1e-9)


def test_adida_aggregates_by_the_mean_interval() -> None:
    y = np.array([[0.0, 4.0] * 10])  # one demand every 2 periods: k = 2, buckets of 4
    _, forecast = adida(y, 2, {"alpha": one(0.3)}, 1)
    np.testing.assert_allclose(forecast, [[2.0, 2.0]])


def test_kernels_accept_series_of_different_lengths() -> None:
    y = np.array([[np.nan] * 30 + [5.0] * 30, [3.0] * 60])
    for name, spec in METHODS.items():
        params = {key: np.full(2, value) for key, value in spec.grid[0].items()}
        for member in spec.members:  # a combination carries its members' parameters
            grid = METHODS[member].grid[0]
            params.update({f"{member}.{key}": np.full(2, value) for key, value in grid.items()})
        _, forecast = spec.kernel(y, 4, params, 12)
        assert forecast.shape == (2, 4), name
        # SBA deflates by design: (1 - alpha_interval / 2)
        factor = 1.0 - spec.grid[0].get("alpha_interval", 0.0) / 2 if name == "sba" else 1.0
        np.testing.assert_allclose(forecast[1], 3.0 * factor, err_msg=name)
        np.testing.assert_allclose(forecast[0], 5.0 * factor, err_msg=name)


def test_combination_is_the_mean_of_its_members() -> None:
    y = np.array([[3.0, 5.0, 4.0, 6.0, 5.0, 7.0, 6.0, 8.0]])
    own = {"ses": {"alpha": one(0.3)}, "holt_damped": {"alpha": one(0.3), "beta": one(0.1),
           "phi": one(0.9)}, "moving_average": {"window": one(3)}}  # fmt: skip
    params = {f"{m}.{k}": v for m, p in own.items() for k, v in p.items()}
    _, combined = get_method("combination").kernel(y, 2, params, 1)
    parts = [get_method(m).kernel(y, 2, p, 1)[1] for m, p in own.items()]
    np.testing.assert_allclose(combined, np.mean(parts, axis=0))


def test_holt_winters_additive_hand_computed() -> None:
    # m = 2, first season 10, 20: level 15, seasonals -5, +5. alpha = gamma = 0.5, no trend.
    # t=2: pred 10, e 2 -> l 16, s0 -4; t=3: pred 21, e 1 -> l 16.5, s1 5.5;
    # t=4: pred 12.5, e 1.5 -> l 17.25, s0 -3.25. Forecast 17.25 + 5.5, 17.25 - 3.25.
    y = np.array([[10.0, 20.0, 12.0, 22.0, 14.0]])
    params = {"alpha": one(0.5), "beta": one(0.0), "gamma": one(0.5), "phi": one(1.0)}
    fitted, forecast = get_method("holt_winters_additive").kernel(y, 2, params, 2)
    np.testing.assert_allclose(fitted[0], [np.nan, np.nan, 10.0, 21.0, 12.5])
    np.testing.assert_allclose(forecast[0], [22.75, 14.0])
