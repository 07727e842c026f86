# ruff: noqa: RUF002
"""Dynamic (per period) buffers from the forecast and the forecast error of each period.

For the period starting at t the protection interval covers periods t … t + P − 1
(P = lead time + review period, whole periods). With forecasts f and one-step forecast-error
σ per period (independent errors),

    μ_X(t) = Σ_{j<P} f(t+j),   σ_X(t) = √(Σ_{j<P} σ(t+j)² + μ_X(t)²/P² · σ_L²),
    SS(t) = k σ_X(t),          S(t) = μ_X(t) + SS(t).

The per-period σ comes from the residuals of the same season position (``seasonal_sigma``),
so a peak season carries its own error rather than one yearly σ (Silver, Pyke & Thomas
2017, §6.9.2 on forecast errors instead of demand variability).
"""

from __future__ import annotations

import numpy as np

from planning_core.buffers.normal import service_factor
from planning_core.forecast.panel import FloatArray

__all__ = ["dynamic_buffers", "seasonal_sigma", "sigma_from_quantiles"]


def seasonal_sigma(
    residuals: FloatArray, season_length: int, horizon: int, min_count: int = 3
) -> FloatArray:
    """RMS residual per season position, laid out over the next ``horizon`` periods (n, h).

    Positions with fewer than ``min_count`` residuals use the series' overall RMS.
    """
    n, periods = residuals.shape
    m = max(int(season_length), 1)
    squares = np.where(np.isnan(residuals), 0.0, residuals**2)
    counts = (~np.isnan(residuals)).astype(np.float64)
    position = np.arange(periods) % m
    sums = np.zeros((n, m))
    seen = np.zeros((n, m))
    np.add.at(sums.T, position, squares.T)
    np.add.at(seen.T, position, counts.T)
    with np.errstate(all="ignore"):
        overall = np.sqrt(squares.sum(axis=1) / np.maximum(counts.sum(axis=1), 1))
        by_position = np.where(
            seen >= min_count, np.sqrt(sums / np.maximum(seen, 1)), overall[:, None]
        )
    future = (periods + np.arange(horizon)) % m
    return np.asarray(by_position[:, future], dtype=np.float64)


def sigma_from_quantiles(low: FloatArray, high: FloatArray, coverage: float = 0.8) -> FloatArray:
    """σ implied by a central interval [low, high] of the given coverage under normality."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + coverage / 2))
    return np.asarray(np.clip((high - low) / (2 * z), 0.0, None), dtype=np.float64)


def dynamic_buffers(
    forecast: FloatArray,
    sigma: FloatArray,
    protection_periods: int,
    cycle_service: float,
    lead_time_sd: FloatArray | float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Safety stock and order-up-to level per period, shapes (n, h − P + 1)."""
    p = max(int(protection_periods), 1)
    cumulative = np.concatenate(
        [np.zeros((forecast.shape[0], 1)), np.cumsum(forecast, axis=1)], axis=1
    )
    variance = np.concatenate([np.zeros((sigma.shape[0], 1)), np.cumsum(sigma**2, axis=1)], axis=1)
    mean_x = cumulative[:, p:] - cumulative[:, :-p]
    var_x = variance[:, p:] - variance[:, :-p]
    lt_sd = (
        np.asarray(lead_time_sd, dtype=np.float64).reshape(-1, 1)
        if np.ndim(lead_time_sd)
        else lead_time_sd
    )
    sigma_x = np.sqrt(var_x + (mean_x / p) ** 2 * np.asarray(lt_sd) ** 2)
    stock = np.clip(service_factor(cycle_service) * sigma_x, 0.0, None)
    return stock, mean_x + stock
