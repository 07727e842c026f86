# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""The registry of forecast methods: kernel, parameter grid, applicability, variance growth.

Every kernel has the signature ``kernel(demand, horizon, params, season_length) ->
(fitted, forecast)`` where ``params`` maps a parameter name to one value per series, so a
single pass serves a whole grid point (optimization) or per-series optima (final fit).

The h-step variance factors v(h) (forecast variance / one-step variance) are the closed forms of
FPP3 Table 8.8 (Hyndman & Athanasopoulos) for the matching ETS model; intermittent methods use
the empirical mixture instead (see ``intervals``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from planning_core.errors import UnknownMethodError
from planning_core.forecast.holt_winters import holt_winters_additive, holt_winters_multiplicative
from planning_core.forecast.intermittent import adida, croston, sba, tsb
from planning_core.forecast.panel import FloatArray, observation_count
from planning_core.forecast.simple import moving_average, naive, seasonal_naive
from planning_core.forecast.smoothing import holt_damped, ses

__all__ = ["COMBINATION_MEMBERS", "METHODS", "MethodSpec", "combination", "get_method"]

Kernel = Callable[[FloatArray, int, Mapping[str, FloatArray], int], tuple[FloatArray, FloatArray]]
Grid = list[dict[str, float]]


def _grid(**axes: tuple[float, ...]) -> Grid:
    names = list(axes)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]


def _steps(horizon: int) -> FloatArray:
    return np.arange(1, horizon + 1, dtype=np.float64)[None, :]


def _flat(params: Mapping[str, FloatArray], horizon: int, season_length: int) -> FloatArray:
    n = len(next(iter(params.values()))) if params else 1
    return np.ones((n, horizon))


def _random_walk(params: Mapping[str, FloatArray], horizon: int, season_length: int) -> FloatArray:
    return np.ones((1, horizon)) * _steps(horizon)


def _seasonal_walk(
    params: Mapping[str, FloatArray], horizon: int, season_length: int
) -> FloatArray:
    return np.floor((_steps(horizon) - 1) / max(season_length, 1)) + 1


def _level(params: Mapping[str, FloatArray], horizon: int, season_length: int) -> FloatArray:
    """ETS(A,N,N): v(h) = 1 + α²(h − 1)."""
    alpha = params["alpha"][:, None]
    return 1.0 + alpha**2 * (_steps(horizon) - 1)


def _trend(params: Mapping[str, FloatArray], horizon: int, season_length: int) -> FloatArray:
    """ETS(A,A,N) (undamped, an upper bound): v(h) = 1 + (h−1)[α² + αβh + β²h(2h−1)/6]."""
    alpha = params["alpha"][:, None]
    beta = params["beta"][:, None] * alpha
    h = _steps(horizon)
    return 1.0 + (h - 1) * (alpha**2 + alpha * beta * h + beta**2 * h * (2 * h - 1) / 6)


def _seasonal_trend(
    params: Mapping[str, FloatArray], horizon: int, season_length: int
) -> FloatArray:
    """ETS(A,A,A) bound: the trend factor plus γk(2α + γ), k = ⌊(h−1)/m⌋."""
    alpha, gamma = params["alpha"][:, None], params["gamma"][:, None]
    k = np.floor((_steps(horizon) - 1) / max(season_length, 1))
    return _trend(params, horizon, season_length) + gamma * k * (2 * alpha + gamma)


VarianceFactor = Callable[[Mapping[str, FloatArray], int, int], FloatArray]
Applicability = Callable[[FloatArray, int], np.ndarray]


def _any_history(demand: FloatArray, season_length: int) -> np.ndarray:
    return np.asarray(observation_count(demand) >= 1)


def _two_points(demand: FloatArray, season_length: int) -> np.ndarray:
    return np.asarray(observation_count(demand) >= 2)


def _one_season(demand: FloatArray, season_length: int) -> np.ndarray:
    return np.asarray((season_length > 1) & (observation_count(demand) >= season_length))


def _seasons_to_fit(demand: FloatArray, season_length: int) -> np.ndarray:
    # One season initialises the state; at least a quarter season more (and 4 points) to fit.
    needed = season_length + max(4, season_length // 4)
    return np.asarray((season_length > 1) & (observation_count(demand) >= needed))


def _positive_seasons(demand: FloatArray, season_length: int) -> np.ndarray:
    positive = ~(np.nan_to_num(demand, nan=1.0) <= 0).any(axis=1)
    return np.asarray(_seasons_to_fit(demand, season_length) & positive)


COMBINATION_MEMBERS = ("ses", "holt_damped", "moving_average")


def combination(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Equal-weight mean of SES, damped Holt and moving average, each with its own parameters.

    ``params`` keys are prefixed by the member name (``ses.alpha``). Combining forecasts is
    robust where selecting one is noisy (Clemen 1989, *IJF* 5(4); the M-competitions).
    """
    fitted_sum = np.zeros(demand.shape)
    forecast_sum = np.zeros((demand.shape[0], horizon))
    for name in COMBINATION_MEMBERS:
        prefix = f"{name}."
        own = {key[len(prefix) :]: value for key, value in params.items() if key.startswith(prefix)}
        fitted, forecast = METHODS[name].kernel(demand, horizon, own, season_length)
        fitted_sum = fitted_sum + fitted
        forecast_sum = forecast_sum + forecast
    size = len(COMBINATION_MEMBERS)
    return fitted_sum / size, forecast_sum / size


def _combination_level(
    params: Mapping[str, FloatArray], horizon: int, season_length: int
) -> FloatArray:
    return _level({"alpha": params["ses.alpha"]}, horizon, season_length)


@dataclass(frozen=True)
class MethodSpec:
    """A forecast method: its kernel, its parameter grid and how its variance grows."""

    name: str
    kernel: Kernel
    grid: Grid
    applicable: Applicability
    variance_factor: VarianceFactor
    intermittent: bool = False
    members: tuple[str, ...] = ()  # a combination: parameters come from these methods


_ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5)
_SMALL_ALPHAS = (0.02, 0.1, 0.3)
_HW_GRID = _grid(alpha=(0.05, 0.15, 0.35), beta=(0.0, 0.1), gamma=(0.05, 0.2), phi=(0.9,))
_CROSTON_GRID = _grid(alpha=_SMALL_ALPHAS, alpha_interval=_SMALL_ALPHAS)

METHODS: dict[str, MethodSpec] = {
    spec.name: spec
    for spec in (
        MethodSpec("naive", naive, [{}], _any_history, _random_walk),
        MethodSpec("seasonal_naive", seasonal_naive, [{}], _one_season, _seasonal_walk),
        MethodSpec(
            "moving_average",
            moving_average,
            _grid(window=(3.0, 6.0, 13.0, 26.0)),
            _any_history,
            _flat,
        ),
        MethodSpec("ses", ses, _grid(alpha=(0.02, *_ALPHAS, 0.7, 0.9)), _any_history, _level),
        MethodSpec(
            "holt_damped",
            holt_damped,
            _grid(alpha=(0.05, 0.15, 0.3, 0.5), beta=(0.05, 0.2), phi=(0.8, 0.95)),
            _two_points,
            _trend,
        ),
        MethodSpec(
            "holt_winters_additive",
            holt_winters_additive,
            _HW_GRID,
            _seasons_to_fit,
            _seasonal_trend,
        ),
        MethodSpec(
            "holt_winters_multiplicative",
            holt_winters_multiplicative,
            _HW_GRID,
            _positive_seasons,
            _seasonal_trend,
        ),
        MethodSpec(
            "croston",
            croston,
            _CROSTON_GRID,
            _any_history,
            _level,
            intermittent=True,
        ),
        MethodSpec(
            "sba",
            sba,
            _CROSTON_GRID,
            _any_history,
            _level,
            intermittent=True,
        ),
        MethodSpec(
            "tsb",
            tsb,
            _grid(alpha=_SMALL_ALPHAS, beta=_SMALL_ALPHAS),
            _any_history,
            _level,
            intermittent=True,
        ),
        MethodSpec("adida", adida, _grid(alpha=_ALPHAS), _any_history, _level, intermittent=True),
        MethodSpec(
            "combination",
            combination,
            [{}],
            _two_points,
            _combination_level,
            members=COMBINATION_MEMBERS,
        ),
    )
}


def get_method(name: str) -> MethodSpec:
    """The registered method called ``name``; raises UnknownMethodError otherwise."""
    try:
        return METHODS[name]
    except KeyError:
        known = ", ".join(sorted(METHODS))
        raise UnknownMethodError(f"unknown forecast method {name!r}; known: {known}") from None
