# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Prediction quantiles per series: empirical residual quantiles, or an empirical mixture
for intermittent demand.

- Continuous methods: q(τ, h) = ŷ(h) + √v(h) · Q_e(τ), where Q_e is the empirical τ-quantile
  of the series' one-step in-sample residuals and v(h) the method's variance growth factor
  (FPP3 §5.5 and Table 8.8). No normality is assumed: skewed residuals give skewed intervals.
- Intermittent methods (Croston, SBA, TSB, ADIDA): per-period demand is a mixture, zero with
  probability 1 − p and otherwise a draw from the series' observed non-zero sizes, so
  q(τ) = 0 if τ ≤ 1 − p, else the empirical size quantile at (τ − (1 − p)) / p (a
  bootstrap of the demand distribution, cf. Willemain, Smart & Schwarz 2004).

Quantiles are clipped at zero and made non-decreasing in τ.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planning_core.forecast.panel import FloatArray, observation_count

__all__ = ["mixture_quantiles", "residual_quantiles", "row_quantiles"]


def row_quantiles(values: FloatArray, levels: FloatArray) -> FloatArray:
    """Linear-interpolated quantile of each row's non-NaN values at a per-row level in [0, 1].

    ``levels`` has shape (n, k); the result too. A row without values gives 0.
    """
    ordered = np.sort(values, axis=1)  # NaN sort last
    count = (~np.isnan(values)).sum(axis=1)[:, None]
    position = levels * np.maximum(count - 1, 0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    weight = position - low
    low_value = np.take_along_axis(ordered, low, axis=1)
    high_value = np.take_along_axis(ordered, high, axis=1)
    result = low_value + weight * (high_value - low_value)
    return np.where(count > 0, result, 0.0)


def residual_quantiles(
    demand: FloatArray,
    fitted: FloatArray,
    point: FloatArray,
    variance_factor: FloatArray,
    levels: Sequence[float],
) -> FloatArray:
    """Quantiles (n, len(levels), h) from empirical one-step residual quantiles scaled by √v(h)."""
    residuals = demand - fitted
    n = demand.shape[0]
    taus = np.repeat(np.asarray(levels, dtype=np.float64)[None, :], n, axis=0)
    spread = row_quantiles(residuals, taus)  # (n, k)
    scale = np.sqrt(np.broadcast_to(variance_factor, point.shape))
    return point[:, None, :] + spread[:, :, None] * scale[:, None, :]


def mixture_quantiles(
    demand: FloatArray, horizon: int, levels: Sequence[float], recent: int = 52
) -> FloatArray:
    """Quantiles (n, len(levels), h) of the zero / empirical-size mixture, equal across h.

    p is the share of periods with demand over the last ``recent`` observed periods.
    """
    n = demand.shape[0]
    observed = ~np.isnan(demand)
    recent_mask = np.cumsum(observed[:, ::-1], axis=1)[:, ::-1] <= recent
    window = observed & recent_mask
    with np.errstate(all="ignore"):
        prob = ((demand > 0) & window).sum(axis=1) / np.maximum(window.sum(axis=1), 1)
    sizes = np.where(demand > 0, demand, np.nan)
    taus = np.asarray(levels, dtype=np.float64)[None, :]
    zero_mass = 1.0 - prob[:, None]
    with np.errstate(all="ignore"):
        conditional = np.clip((taus - zero_mass) / np.where(prob > 0, prob, 1.0)[:, None], 0, 1)
    size_q = row_quantiles(sizes, conditional)
    values = np.where(taus <= zero_mass, 0.0, size_q)
    values[observation_count(demand) == 0] = 0.0
    return np.repeat(values[:, :, None], horizon, axis=2).reshape(n, len(levels), horizon)
