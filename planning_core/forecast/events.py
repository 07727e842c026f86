# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Promotions and new-product introductions layered on the statistical forecast.

- Promotion uplift: the baseline forecast times a lift factor per series and period,
  ŷ'(i, h) = ŷ(i, h) · u(i, h) (u = 1 outside promotions). A lift can be estimated from past
  promotions as mean demand in promoted periods over mean demand in the others
  (the "base × lift" model, Silver, Pyke & Thomas 2017, §4.7).
- Launch curve (like-item): a new item borrows the shape of similar items' first periods.
  Each like item i, aligned on its own first observation s_i, gives c_i(j) = y_i(s_i + j) / L_i
  with L_i its mature level (mean of its last ``mature_periods`` periods); the curve is the mean
  of c_i(j) over like items, and the new item's forecast is its expected mature level times
  the curve.
"""

from __future__ import annotations

import numpy as np

from planning_core.errors import InputShapeError, InputValueError
from planning_core.forecast.panel import FloatArray, as_demand_matrix, first_valid_index

__all__ = ["apply_uplift", "estimate_lift", "launch_curve", "launch_forecast"]


def apply_uplift(forecast: FloatArray, uplift: FloatArray) -> FloatArray:
    """Multiply forecasts (n, h) or quantiles (n, k, h) by lift factors (n, h); factors ≥ 0."""
    lift = np.asarray(uplift, dtype=np.float64)
    if (lift < 0).any():
        raise InputValueError("uplift factors must be non-negative")
    values = np.asarray(forecast, dtype=np.float64)
    if values.ndim == 3:
        lift = lift[:, None, :]
    try:
        return values * lift
    except ValueError as exc:
        raise InputShapeError(
            f"uplift {lift.shape} does not match forecast {values.shape}"
        ) from exc


def estimate_lift(demand: FloatArray, promoted: np.ndarray) -> FloatArray:
    """Lift per series: mean demand in promoted periods / mean in the other observed periods.

    1.0 where a series has no promoted or no baseline periods.
    """
    matrix = as_demand_matrix(demand)
    flags = np.asarray(promoted, dtype=bool)
    if flags.shape != matrix.shape:
        raise InputShapeError(f"promoted flags {flags.shape} must match demand {matrix.shape}")
    seen = ~np.isnan(matrix)
    values = np.where(seen, matrix, 0.0)
    promo_n, base_n = (seen & flags).sum(axis=1), (seen & ~flags).sum(axis=1)
    with np.errstate(all="ignore"):
        promo = (values * flags).sum(axis=1) / promo_n
        base = (values * ~flags).sum(axis=1) / base_n
        lift = promo / base
    return np.where((promo_n > 0) & (base_n > 0) & (base > 0), lift, 1.0)


def launch_curve(like_demand: FloatArray, length: int, mature_periods: int = 13) -> FloatArray:
    """Mean launch profile (length,) of like items, as a multiple of their mature level."""
    matrix = as_demand_matrix(like_demand)
    periods = matrix.shape[1]
    start = first_valid_index(matrix)
    columns = start[:, None] + np.arange(length)[None, :]
    aligned = np.take_along_axis(matrix, np.clip(columns, 0, periods - 1), axis=1)
    aligned[columns >= periods] = np.nan
    mature = np.nanmean(matrix[:, -mature_periods:], axis=1)
    usable = mature > 0
    if not usable.any():
        raise InputValueError("like items have no positive mature demand to scale a curve by")
    return np.asarray(np.nan_to_num(np.nanmean(aligned[usable] / mature[usable, None], axis=0)))


def launch_forecast(curve: FloatArray, mature_level: FloatArray, horizon: int) -> FloatArray:
    """Forecast (n, horizon) for new items: mature level × curve, the last value held."""
    shape = np.asarray(curve, dtype=np.float64)
    steps = np.minimum(np.arange(horizon), len(shape) - 1)
    level = np.asarray(mature_level, dtype=np.float64).reshape(-1, 1)
    return np.clip(level * shape[steps][None, :], 0.0, None)
