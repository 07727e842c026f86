# ruff: noqa: RUF002
"""Forecast accuracy measures, vectorized over series (rows) and periods (columns).

Hyndman & Koehler (2006), *IJF* 22(4); FPP3 §5.8. NaN actuals are ignored.

- WAPE = Σ|y − f| / Σ|y|  (robust to zeros, the measure for a segment);
- MAPE = mean |y − f| / |y| over periods with y ≠ 0;
- bias = Σ(f − y) / Σ|y|  (> 0: over-forecast);
- MASE = mean|y − f| / mean|y(t) − y(t − m)| with the in-sample seasonal naive scale.
"""

from __future__ import annotations

import numpy as np

from planning_core.forecast.panel import FloatArray

__all__ = ["bias", "mape", "mase", "wape"]


def _pair(actual: FloatArray, forecast: FloatArray) -> tuple[FloatArray, FloatArray]:
    y = np.atleast_2d(np.asarray(actual, dtype=np.float64))
    f = np.atleast_2d(np.asarray(forecast, dtype=np.float64))
    return y, np.where(np.isnan(y), np.nan, f)


def wape(actual: FloatArray, forecast: FloatArray) -> FloatArray:
    """Σ|y − f| / Σ|y| per row (NaN when Σ|y| = 0)."""
    y, f = _pair(actual, forecast)
    with np.errstate(all="ignore"):
        den = np.nansum(np.abs(y), axis=1)
        return np.where(den > 0, np.nansum(np.abs(y - f), axis=1) / den, np.nan)


def mape(actual: FloatArray, forecast: FloatArray) -> FloatArray:
    """Mean |y − f| / |y| over non-zero actuals per row (NaN if none)."""
    y, f = _pair(actual, forecast)
    usable = ~np.isnan(y) & (y != 0)
    with np.errstate(all="ignore"):
        ratio = np.where(usable, np.abs(y - f) / np.where(usable, np.abs(y), 1.0), 0.0)
        return np.where(usable.any(axis=1), ratio.sum(axis=1) / usable.sum(axis=1), np.nan)


def bias(actual: FloatArray, forecast: FloatArray) -> FloatArray:
    """Σ(f − y) / Σ|y| per row."""
    y, f = _pair(actual, forecast)
    with np.errstate(all="ignore"):
        den = np.nansum(np.abs(y), axis=1)
        return np.where(den > 0, np.nansum(f - y, axis=1) / den, np.nan)


def mase(
    actual: FloatArray, forecast: FloatArray, history: FloatArray, season_length: int = 1
) -> FloatArray:
    """Mean absolute error scaled by the in-sample m-step naive MAE (NaN if that is 0)."""
    y, f = _pair(actual, forecast)
    past = np.atleast_2d(np.asarray(history, dtype=np.float64))
    m = max(int(season_length), 1)
    with np.errstate(all="ignore"):
        scale = (
            np.nanmean(np.abs(past[:, m:] - past[:, :-m]), axis=1)
            if past.shape[1] > m
            else np.full(past.shape[0], np.nan)
        )
        mae = np.nanmean(np.abs(y - f), axis=1)
        return np.where(scale > 0, mae / np.where(scale > 0, scale, 1.0), np.nan)
