# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Per-series parameter optimization by a vectorized grid search over one-step errors.

For each grid point every series is run at once; each series keeps the point with the lowest
in-sample one-step mean squared error, MSE = mean_t (y(t) − ŷ(t|t−1))². A grid of a few dozen
points costs a few dozen passes over the matrix, whatever the number of series (the "grid
search over smoothing parameters" of Hyndman et al., *Forecasting with Exponential Smoothing*,
2008, §2.6, here vectorized across series instead of a numerical optimizer per series).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning_core.forecast.methods import MethodSpec, get_method
from planning_core.forecast.panel import FloatArray

__all__ = ["MethodFit", "fit_method", "one_step_mse"]


@dataclass(frozen=True)
class MethodFit:
    """A method fitted to every series: per-series parameters, fitted values and forecast."""

    name: str
    params: dict[str, FloatArray]
    fitted: FloatArray
    forecast: FloatArray
    applicable: np.ndarray


def one_step_mse(demand: FloatArray, fitted: FloatArray, axis: int = 1) -> FloatArray:
    """Mean squared one-step error per series over periods where both exist; inf if none.

    ``axis`` is the time axis (1 for series × periods, 0 for time-major arrays).
    """
    error = demand - fitted
    valid = ~np.isnan(error)
    count = valid.sum(axis=axis)
    np.copyto(error, 0.0, where=~valid)
    with np.errstate(all="ignore"):
        mse = np.einsum("ij,ij->j" if axis == 0 else "ij,ij->i", error, error) / count
    return np.where(count > 0, mse, np.inf)


def optimize_params(
    spec: MethodSpec, demand: FloatArray, season_length: int
) -> dict[str, FloatArray]:
    """The grid point with the lowest one-step MSE, per series (the first point on ties)."""
    n = demand.shape[0]
    best_score = np.full(n, np.inf)
    best = {key: np.full(n, value) for key, value in spec.grid[0].items()}
    if len(spec.grid) == 1:
        return best
    demand_tm = np.ascontiguousarray(demand.T)
    for point in spec.grid:
        params = {key: np.full(n, value) for key, value in point.items()}
        fitted, _ = spec.kernel(demand, 1, params, season_length)
        # kernels return a transposed view of a time-major array: score it time-major
        score = one_step_mse(demand_tm, fitted.T, axis=0)
        better = score < best_score
        best_score = np.where(better, score, best_score)
        for key, value in point.items():
            best[key] = np.where(better, value, best[key])
    return best


def fit_method(
    spec: MethodSpec,
    demand: FloatArray,
    horizon: int,
    season_length: int,
    known: dict[str, dict[str, FloatArray]] | None = None,
) -> MethodFit:
    """Optimize the parameters per series, then run the method once with them.

    A combination takes its members' parameters, from ``known`` (name -> params) when they
    were fitted already, else by optimizing each member.
    """
    if spec.members:
        params: dict[str, FloatArray] = {}
        for name in spec.members:
            own = (known or {}).get(name) or optimize_params(
                get_method(name), demand, season_length
            )
            params.update({f"{name}.{key}": value for key, value in own.items()})
    else:
        params = optimize_params(spec, demand, season_length)
    fitted, forecast = spec.kernel(demand, horizon, params, season_length)
    applicable = spec.applicable(demand, season_length)
    return MethodFit(spec.name, params, fitted, forecast, applicable)
