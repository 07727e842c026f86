# ruff: noqa: RUF002
"""Measured demand statistics per series, the inputs of every classification.

All vectorized over the (n, T) demand matrix; NaN marks unobserved periods.
"""

from __future__ import annotations

import numpy as np

from planning_core.forecast.panel import FloatArray, observation_count

__all__ = ["adi_cv2", "cumulative_share", "demand_cv", "recent_ratio"]


def cumulative_share(values: FloatArray, ids: np.ndarray) -> FloatArray:
    """Share of the total held by items ranked strictly before each item (Pareto / ABC).

    Items are ranked by decreasing value, ties by id, so the result does not depend on the
    row order. Negative values count as zero.
    """
    positive = np.clip(np.nan_to_num(values, nan=0.0), 0.0, None)
    order = np.lexsort((np.asarray(ids).astype(str), -positive))
    total = positive.sum()
    before = np.empty_like(positive)
    ranked = positive[order]
    before[order] = np.cumsum(ranked) - ranked
    # rounded so that float noise does not move an item across a cut-off (0.8 vs 0.7999...)
    return np.round(before / total, 12) if total > 0 else np.ones_like(positive)


def demand_cv(demand: FloatArray) -> FloatArray:
    """CV = σ/μ of per-period demand over observed periods (population σ); inf if μ = 0."""
    mean = np.nanmean(np.where(observation_count(demand)[:, None] > 0, demand, 0.0), axis=1)
    spread = np.nanstd(np.where(observation_count(demand)[:, None] > 0, demand, 0.0), axis=1)
    with np.errstate(all="ignore"):
        return np.where(mean > 0, spread / np.where(mean > 0, mean, 1.0), np.inf)


def adi_cv2(demand: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Average demand interval ADI = observed / non-zero periods, and CV² of non-zero sizes.

    ADI is inf without demand; CV² is 0 with a single demand (Syntetos et al. 2005).
    """
    observed = observation_count(demand).astype(np.float64)
    sizes = np.where(demand > 0, demand, np.nan)
    nonzero = (~np.isnan(sizes)).sum(axis=1)
    with np.errstate(all="ignore"):
        adi = np.where(nonzero > 0, observed / np.maximum(nonzero, 1), np.inf)
        mean = np.nansum(sizes, axis=1) / np.maximum(nonzero, 1)
        var = np.nansum((sizes - mean[:, None]) ** 2, axis=1) / np.maximum(nonzero, 1)
        cv2 = np.where(nonzero > 0, var / np.where(mean > 0, mean, 1.0) ** 2, 0.0)
    return adi, cv2


def recent_ratio(demand: FloatArray, window: int) -> FloatArray:
    """Mean of the last ``window`` periods over the mean of the ``window`` before; NaN if none."""
    recent = demand[:, -window:]
    previous = demand[:, -2 * window : -window] if demand.shape[1] > window else demand[:, :0]
    with np.errstate(all="ignore"):
        blank = np.asarray(np.isnan(recent).all(axis=1))
        last = np.nanmean(np.where(blank[:, None], 0.0, recent), axis=1)
        if previous.shape[1] == 0:
            return np.full(demand.shape[0], np.nan)
        empty = np.asarray(np.isnan(previous).all(axis=1))
        before = np.nanmean(np.where(empty[:, None], 0.0, previous), axis=1)
        return np.where(~empty & (before > 0), last / np.where(before > 0, before, 1.0), np.nan)
