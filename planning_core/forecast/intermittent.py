# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Intermittent-demand methods: Croston, SBA, TSB and ADIDA, vectorized over series.

- Croston (1972): smooth the non-zero demand size z and the inter-demand interval p only in
  periods with demand; ŷ = z / p.
- SBA, Syntetos & Boylan (2005), *Int. J. Forecasting* 21(2): ŷ = (1 − α_p/2) · z / p removes
  Croston's positive bias (α_p is the interval smoothing constant).
- TSB, Teunter, Syntetos & Babai (2011), *EJOR* 214(3): smooth the demand probability d every
  period and the size z in demand periods; ŷ = d · z (decays towards zero when demand stops).
- ADIDA, Nikolopoulos et al. (2011), *JORS* 62(3): sum into non-overlapping buckets of k
  periods (k = the mean inter-demand interval, rounded), forecast the buckets with SES, and
  spread the bucket forecast evenly: ŷ = ℓ_k / k.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from planning_core.forecast.panel import (
    FloatArray,
    first_valid_index,
    first_values,
    mask_until,
    observation_count,
    time_major,
)
from planning_core.forecast.smoothing import ses

__all__ = ["adida", "croston", "sba", "tsb"]


def _first_demand(demand: FloatArray) -> tuple[np.ndarray, FloatArray, FloatArray]:
    """Column of each series' first demand, its size and its interval (observed periods)."""
    hits = np.nan_to_num(demand, nan=0.0) > 0
    first = np.argmax(hits, axis=1)
    first[~hits.any(axis=1)] = demand.shape[1]
    size = first_values(demand, first)
    seen_until = np.cumsum(~np.isnan(demand), axis=1)
    interval = first_values(seen_until.astype(np.float64), first)
    return first, size, interval


def _croston_states(
    demand: FloatArray, alpha_size: FloatArray, alpha_interval: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Run Croston's recursion; return fitted z/p (0 before the first demand), z and p."""
    values, observed = time_major(demand)
    first, size, interval = _first_demand(demand)
    after = np.arange(values.shape[0])[:, None] > first[None, :]
    observed = observed * after
    hit = (values > 0) * after
    since = np.zeros(demand.shape[0])
    fitted = np.empty_like(values)
    for t in range(values.shape[0]):
        fitted[t] = size / interval
        since = since + observed[t]
        size = size + alpha_size * hit[t] * (values[t] - size)
        interval = interval + alpha_interval * hit[t] * (since - interval)
        since = since * (1.0 - hit[t])
    _zero_before_demand(fitted, demand, first)
    return fitted.T, size, interval


def _zero_before_demand(fitted_tm: FloatArray, demand: FloatArray, first: np.ndarray) -> None:
    """Forecast 0 from a series' start to its first demand, NaN before its start."""
    columns = np.arange(fitted_tm.shape[0])[:, None]
    fitted_tm[columns <= first[None, :]] = 0.0
    fitted_tm[np.isnan(demand.T)] = np.nan
    mask_until(fitted_tm, first_valid_index(demand))


def _croston_like(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], debias: bool
) -> tuple[FloatArray, FloatArray]:
    alpha_size = params["alpha"]
    alpha_interval = params.get("alpha_interval", alpha_size)
    fitted, size, interval = _croston_states(demand, alpha_size, alpha_interval)
    factor = 1.0 - alpha_interval / 2.0 if debias else np.ones_like(alpha_size)
    with np.errstate(all="ignore"):
        last = np.nan_to_num(size / interval, nan=0.0) * factor
    fitted = fitted * factor[:, None]
    no_data = observation_count(demand) == 0
    last[no_data] = np.nan
    return fitted, np.repeat(last[:, None], horizon, axis=1)


def croston(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Croston: ŷ = z/p with z(t) = z + α(y − z), p(t) = p + α_p(q − p) when y(t) > 0."""
    return _croston_like(demand, horizon, params, debias=False)


def sba(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """Syntetos–Boylan approximation: ŷ = (1 − α_p/2) · z/p (Syntetos & Boylan 2005)."""
    return _croston_like(demand, horizon, params, debias=True)


def tsb(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """TSB: d(t) = d + β(1[y>0] − d) every period, z(t) = z + α(y − z) if y > 0; ŷ = d·z.

    ``params``: ``alpha`` (size), ``beta`` (probability). Teunter, Syntetos & Babai (2011).
    """
    alpha, beta = params["alpha"], params["beta"]
    values, observed = time_major(demand)
    start = first_valid_index(demand)
    first, size, _ = _first_demand(demand)
    prob = (first_values(demand, start) > 0).astype(np.float64)
    size = np.nan_to_num(size, nan=0.0)
    columns = np.arange(values.shape[0])[:, None]
    observed = observed * (columns > start[None, :])
    hit = (values > 0) * (columns > first[None, :])
    fitted = np.empty_like(values)
    for t in range(values.shape[0]):
        fitted[t] = prob * size
        prob = prob + beta * observed[t] * ((values[t] > 0) - prob)
        size = size + alpha * hit[t] * (values[t] - size)
    fitted[np.isnan(demand.T)] = np.nan
    mask_until(fitted, start)
    return fitted.T, np.repeat((prob * size)[:, None], horizon, axis=1)


def aggregation_level(demand: FloatArray) -> np.ndarray:
    """ADIDA bucket size per series: the mean inter-demand interval, rounded, at least 1."""
    observed = observation_count(demand)
    nonzero = (np.nan_to_num(demand, nan=0.0) > 0).sum(axis=1)
    with np.errstate(all="ignore"):
        interval = np.where(nonzero > 0, observed / np.maximum(nonzero, 1), 1.0)
    return np.clip(np.rint(interval), 1, max(demand.shape[1] // 2, 1)).astype(np.int64)


def adida(
    demand: FloatArray, horizon: int, params: Mapping[str, FloatArray], season_length: int
) -> tuple[FloatArray, FloatArray]:
    """ADIDA: SES over k-period buckets, disaggregated evenly (ŷ = ℓ_k / k per period).

    Buckets are cut from the most recent period backwards; a bucket with an unobserved period
    is unobserved. One pass per distinct k (a handful), vectorized across the series sharing it.
    """
    n, periods = demand.shape
    levels = aggregation_level(demand)
    fitted = np.full_like(demand, np.nan)
    forecast = np.full((n, horizon), np.nan)
    for k in np.unique(levels):
        rows = np.nonzero(levels == k)[0]
        buckets = periods // int(k)
        block = demand[rows, periods - buckets * k :].reshape(len(rows), buckets, int(k))
        totals = block.sum(axis=2)  # NaN when any period of the bucket is unobserved
        bucket_fit, bucket_fc = ses(totals, 1, {"alpha": params["alpha"][rows]}, 1)
        spread = np.repeat(bucket_fit / k, int(k), axis=1)
        fitted[rows, periods - buckets * k :] = np.where(
            np.isnan(demand[rows, periods - buckets * k :]), np.nan, spread
        )
        forecast[rows] = bucket_fc[:, :1] / k
    return fitted, forecast
