# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Holt-Winters with damped trend, additive or multiplicative seasonality, vectorized.

FPP3 §8.3 (Hyndman & Athanasopoulos), error-correction form with ŷ(t|t-1) = ℓ + φb + s(t−m)
(additive) or (ℓ + φb)·s(t−m) (multiplicative):

    additive        ℓ(t) = ℓ + φb + α e            s(t) = s(t−m) + γ e
    multiplicative  ℓ(t) = ℓ + φb + α e / s(t−m)   s(t) = s(t−m) + γ e / (ℓ + φb)
    both            b(t) = φ b + αβ* e'   (e' = e additive, e / s(t−m) multiplicative)

State: a ring buffer of m seasonal indices per series, column t mod m. Each series is
initialised from its own first m observations (ℓ = mean, s = y − ℓ or y / ℓ, b = 0), so any
season length works, including weekly m = 52, and series may start in different columns.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from planning_core.forecast.panel import (
    FloatArray,
    first_valid_index,
    mask_until,
    memoized,
    time_major,
)

__all__ = ["holt_winters_additive", "holt_winters_multiplicative"]


def _initial_state(
    demand: FloatArray, season_length: int, multiplicative: bool
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """Level, seasonal ring buffer and first fitted column per series from its first season."""
    n, periods = demand.shape
    m = season_length
    start = first_valid_index(demand)
    columns = start[:, None] + np.arange(m)[None, :]
    window = np.take_along_axis(demand, np.clip(columns, 0, periods - 1), axis=1)
    window[columns >= periods] = np.nan
    with np.errstate(all="ignore"):
        empty = np.asarray(np.isnan(window).all(axis=1))
        filled = np.where(empty[:, None], 0.0, window)
        level = np.asarray(np.nanmean(filled, axis=1), dtype=np.float64)
        deviation = window / level[:, None] if multiplicative else window - level[:, None]
    neutral = 1.0 if multiplicative else 0.0
    deviation = np.where(np.isfinite(deviation), deviation, neutral)
    seasonal = np.full((n, m), neutral)
    np.put_along_axis(seasonal, columns % m, deviation, axis=1)
    return level, seasonal, start + m


def _run(
    demand: FloatArray,
    horizon: int,
    params: Mapping[str, FloatArray],
    season_length: int,
    multiplicative: bool,
) -> tuple[FloatArray, FloatArray]:
    n, periods = demand.shape
    m = max(int(season_length), 1)
    alpha, gamma, phi = params["alpha"], params["gamma"], params["phi"]
    beta = params["beta"] * alpha
    level, seasonal_nm, begin = memoized(
        demand, f"hw-{m}-{multiplicative}", lambda: _initial_state(demand, m, multiplicative)
    )
    seasonal = np.array(seasonal_nm.T, order="C")  # (m, n), a copy: updated in the loop
    values, observed = time_major(demand)
    observed = observed * (np.arange(periods)[:, None] >= begin[None, :])
    trend = np.zeros(n)
    fitted = np.empty_like(values)
    with np.errstate(all="ignore"):
        for t in range(periods):
            s = seasonal[t % m]
            base = level + phi * trend
            predicted = base * s if multiplicative else base + s
            fitted[t] = predicted
            error = observed[t] * (values[t] - predicted)
            scaled = error / s if multiplicative else error
            level = base + alpha * scaled
            trend = phi * trend + beta * scaled
            seasonal[t % m] = s + (gamma * error / base if multiplicative else gamma * error)
        mask_until(fitted, begin - 1)
        steps = np.arange(1, horizon + 1)
        damping = np.cumsum(phi[:, None] ** steps[None, :], axis=1)
        base_h = level[:, None] + damping * trend[:, None]
        season_h = seasonal[(periods - 1 + steps) % m].T
        forecast = base_h * season_h if multiplicative else base_h + season_h
    forecast[begin > periods] = np.nan
    return fitted.T, forecast


def holt_winters_additive(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Holt-Winters, damped trend and additive seasonality (FPP3 §8.3, ETS(A,Ad,A)).

    ``params``: ``alpha``, ``beta`` (β* share of α), ``gamma``, ``phi``.
    """
    return _run(demand, horizon, params, season_length, multiplicative=False)


def holt_winters_multiplicative(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Holt-Winters, damped trend and multiplicative seasonality (FPP3 §8.3, ETS(A,Ad,M)).

    Only meaningful for strictly positive series; the selection marks others as unfit.
    """
    return _run(demand, horizon, params, season_length, multiplicative=True)
