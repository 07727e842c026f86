"""Benchmark methods: naive, seasonal naive and moving average, over all series at once.

Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (FPP3), §5.2.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from planning_core.forecast.panel import FloatArray, forward_fill

__all__ = ["moving_average", "naive", "seasonal_naive"]


def naive(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Naive: ŷ(T+h|T) = y(T), the last observation; fitted ŷ(t|t-1) = y(t-1).

    Returns (fitted one-step-ahead values, forecast), shapes (n, T) and (n, horizon).
    """
    filled = forward_fill(demand)
    fitted = np.full_like(demand, np.nan)
    fitted[:, 1:] = filled[:, :-1]
    forecast = np.repeat(filled[:, -1:], horizon, axis=1)
    return fitted, forecast


def seasonal_naive(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Seasonal naive: ŷ(T+h|T) = y(T + h - m(k+1)), k = ⌊(h-1)/m⌋ (FPP3 §5.2).

    Needs at least one full season of history; otherwise the result is NaN.
    """
    m = max(int(season_length), 1)
    periods = demand.shape[1]
    fitted = np.full_like(demand, np.nan)
    if m < periods:
        fitted[:, m:] = demand[:, :-m]
    steps = np.arange(1, horizon + 1)
    source = periods - 1 + steps - m * ((steps - 1) // m + 1)
    forecast = np.full((demand.shape[0], horizon), np.nan)
    ok = source >= 0
    forecast[:, ok] = demand[:, source[ok]]
    return fitted, forecast


def moving_average(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Moving average of the last w periods: ŷ(t+1|t) = (1/w) Σ_{j=0}^{w-1} y(t-j).

    ``params["window"]`` holds w per series; unobserved periods in the window are skipped.
    """
    n, periods = demand.shape
    window = np.clip(params["window"].astype(np.int64), 1, periods)
    values = np.nan_to_num(demand, nan=0.0)
    counts = (~np.isnan(demand)).astype(np.float64)
    cum_values = np.concatenate([np.zeros((n, 1)), np.cumsum(values, axis=1)], axis=1)
    cum_counts = np.concatenate([np.zeros((n, 1)), np.cumsum(counts, axis=1)], axis=1)
    if n and (window == window[0]).all():  # one window for all (a grid point): plain slices
        w = int(window[0])
        lagged_values = np.concatenate([np.zeros((n, w)), cum_values[:, : periods + 1 - w]], 1)
        lagged_counts = np.concatenate([np.zeros((n, w)), cum_counts[:, : periods + 1 - w]], 1)
        sums = cum_values[:, 1:] - lagged_values[:, 1:]
        used = cum_counts[:, 1:] - lagged_counts[:, 1:]
    else:
        ends = np.arange(1, periods + 1)[None, :]
        starts = np.clip(ends - window[:, None], 0, None)
        sums = cum_values[:, 1:] - np.take_along_axis(cum_values, starts, axis=1)
        used = cum_counts[:, 1:] - np.take_along_axis(cum_counts, starts, axis=1)
    with np.errstate(all="ignore"):
        means = np.where(used > 0, sums / np.where(used > 0, used, 1.0), np.nan)
    fitted = np.full_like(demand, np.nan)
    fitted[:, 1:] = means[:, :-1]
    forecast = np.repeat(means[:, -1:], horizon, axis=1)
    return fitted, forecast
