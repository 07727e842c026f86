# ruff: noqa: RUF002
"""Empirical (bootstrap) lead-time demand for intermittent items.

Normal lead-time demand is a poor model when most periods have no demand. Instead draw B
lead times from the observed lead-time sample, and for each draw L periods of demand with
replacement from the item's own history; the buffer level is the empirical α-quantile of the
sums (Willemain, Smart & Schwarz 2004, *IJF* 20(3), without their Markov step). The
reorder point is that quantile, and safety stock the quantile minus the mean.
"""

from __future__ import annotations

import numpy as np

from planning_core.errors import InputValueError
from planning_core.forecast.panel import FloatArray, as_demand_matrix, observation_count

__all__ = ["bootstrap_lead_time_demand"]


def bootstrap_lead_time_demand(
    demand: FloatArray,
    lead_times: FloatArray,
    service_level: float,
    *,
    draws: int = 2000,
    seed: int = 0,
    chunk: int = 2048,
) -> tuple[FloatArray, FloatArray]:
    """(reorder point, safety stock) per item from bootstrapped lead-time demand.

    ``lead_times``: a sample of whole-period lead times (k,) shared by the items, or (n, k)
    per item (NaN-padded). Vectorized over items in chunks to bound memory.
    """
    if not 0 < service_level < 1:
        raise InputValueError("service level must be strictly between 0 and 1")
    matrix = as_demand_matrix(demand)
    n, periods = matrix.shape
    samples = np.atleast_2d(np.asarray(lead_times, dtype=np.float64))
    samples = np.broadcast_to(samples, (n, samples.shape[1])) if samples.shape[0] == 1 else samples
    rng = np.random.default_rng(seed)
    point, stock = np.zeros(n), np.zeros(n)
    start = periods - observation_count(matrix)  # right-aligned: history starts here
    for lo in range(0, n, chunk):
        rows = slice(lo, min(lo + chunk, n))
        point[rows], stock[rows] = _chunk(
            matrix[rows], samples[rows], start[rows], service_level, draws, rng
        )
    return point, stock


def _chunk(
    demand: FloatArray,
    lead_times: FloatArray,
    start: np.ndarray,
    level: float,
    draws: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    n, periods = demand.shape
    lt_count = (~np.isnan(lead_times)).sum(axis=1)
    pick = (rng.random((n, draws)) * np.maximum(lt_count, 1)[:, None]).astype(np.int64)
    ordered = np.sort(lead_times, axis=1)  # NaN last: the first lt_count entries are values
    lead = np.nan_to_num(np.take_along_axis(ordered, pick, axis=1), nan=0.0)
    lead = np.rint(lead).astype(np.int64)
    longest = max(int(lead.max(initial=0)), 1)
    span = np.maximum(periods - start, 1)[:, None, None]
    columns = start[:, None, None] + (rng.random((n, draws, longest)) * span).astype(np.int64)
    values = np.take_along_axis(demand, np.clip(columns, 0, periods - 1).reshape(n, -1), axis=1)
    values = np.nan_to_num(values.reshape(n, draws, longest), nan=0.0)
    values *= np.arange(longest)[None, None, :] < lead[:, :, None]
    totals = values.sum(axis=2)
    quantile = np.quantile(totals, level, axis=1)
    return quantile, np.clip(quantile - totals.mean(axis=1), 0.0, None)
