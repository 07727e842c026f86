# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Exponential smoothing without seasonality: SES and damped Holt, vectorized over series.

Error-correction form of FPP3 §8.1–8.2 (Hyndman & Athanasopoulos):
SES ℓ(t) = ℓ(t-1) + α e(t); damped Holt ℓ(t) = ℓ(t-1) + φ b(t-1) + α e(t),
b(t) = φ b(t-1) + αβ* e(t), with e(t) = y(t) − ŷ(t|t-1).
Each series starts at its first observation (ℓ = y, b = 0). An unobserved period has e = 0,
so the state moves exactly as the forecast says (the ETS treatment of a missing value).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from planning_core.forecast.panel import (
    FloatArray,
    first_valid_index,
    initial_level,
    mask_until,
    time_major,
)

__all__ = ["holt_damped", "ses"]


def ses(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Simple exponential smoothing: ŷ(t+1|t) = ℓ(t) = α y(t) + (1−α) ℓ(t−1) (FPP3 §8.1)."""
    alpha = params["alpha"]
    values, observed = time_major(demand)
    start = first_valid_index(demand)
    level = initial_level(demand, start)
    fitted = np.empty_like(values)
    for t in range(values.shape[0]):
        fitted[t] = level
        level = level + alpha * observed[t] * (values[t] - level)
    mask_until(fitted, start)
    return fitted.T, np.repeat(level[:, None], horizon, axis=1)


def holt_damped(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Damped additive trend: ŷ(T+h|T) = ℓ(T) + (φ + φ² + … + φʰ) b(T) (FPP3 §8.2).

    ``params``: ``alpha``, ``beta`` (β*, the share of α that updates the trend), ``phi``.
    """
    alpha, beta, phi = params["alpha"], params["beta"] * params["alpha"], params["phi"]
    values, observed = time_major(demand)
    start = first_valid_index(demand)
    level = initial_level(demand, start)
    trend = np.zeros(demand.shape[0])
    fitted = np.empty_like(values)
    for t in range(values.shape[0]):
        predicted = level + phi * trend
        fitted[t] = predicted
        error = observed[t] * (values[t] - predicted)
        level = predicted + alpha * error
        trend = phi * trend + beta * error
    mask_until(fitted, start)
    damping = np.cumsum(phi[:, None] ** np.arange(1, horizon + 1)[None, :], axis=1)
    return fitted.T, level[:, None] + damping * trend[:, None]
