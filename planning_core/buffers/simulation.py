# ruff: noqa: RUF002
"""Monte Carlo check of a buffer policy: the service level it achieves against its target.

A discrete-period inventory simulation, vectorized over items × replications (one flat axis)
and stepping through time. Per period: receive arrivals; at a review, order (periodic
(R, S): up to S; continuous (s, Q): whole multiples of Q when the inventory position is at or
below s) with a random lead time; then demand is served or backordered. Reported per item:

- achieved cycle service: the share of order cycles (review to review, or order to order)
  without a stockout (Silver, Pyke & Thomas 2017, §6.6 definition of P1);
- achieved fill rate: 1 − backordered / demanded units (P2);
- mean on hand.

Lead times: gamma with the given mean and σ, in whole periods by stochastic rounding
(a skewed lead time is exactly where the normal formula misses). Demand: gamma with the given
mean and σ, or bootstrap draws from the item's history. Optional ``lead_time_factor`` and
``capacity`` arrays (items × periods) model a disruption (see ``planning_core.risk``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning_core.errors import InputValueError
from planning_core.forecast.panel import FloatArray

__all__ = ["SimulationReport", "simulate_policy"]


@dataclass(frozen=True)
class SimulationReport:
    """Achieved service per item (means over replications) and the target it is checked against."""

    cycle_service: FloatArray
    fill_rate: FloatArray
    mean_on_hand: FloatArray
    stockout_periods: FloatArray
    target: FloatArray


def _gamma(rng: np.random.Generator, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """Gamma draws with the given mean and σ (σ = 0 returns the mean)."""
    with np.errstate(all="ignore"):
        shape = np.where(sd > 0, (mean / np.where(sd > 0, sd, 1.0)) ** 2, 1.0)
        scale = np.where(mean > 0, sd**2 / np.where(mean > 0, mean, 1.0), 0.0)
    draws = rng.gamma(np.maximum(shape, 1e-9), 1.0, size=mean.shape) * scale
    return np.where((sd > 0) & (mean > 0), draws, mean)


def _whole_periods(rng: np.random.Generator, value: FloatArray) -> np.ndarray:
    """Stochastic rounding: ⌊x⌋ + 1 with probability x − ⌊x⌋, so the mean is kept."""
    floor = np.floor(value)
    return (floor + (rng.random(value.shape) < value - floor)).astype(np.int64)


@dataclass(frozen=True)
class _Setup:
    rows: int
    reps: int
    level: FloatArray  # S (periodic) or s (continuous) per path
    qty: FloatArray  # Q per path (continuous)
    mean: FloatArray
    sd: FloatArray
    lt_mean: FloatArray
    lt_sd: FloatArray


def simulate_policy(
    level: FloatArray,
    demand_mean: FloatArray,
    demand_sd: FloatArray,
    lead_time_mean: FloatArray,
    lead_time_sd: FloatArray | float,
    *,
    target: FloatArray | float = np.nan,
    review: str = "periodic",
    review_period: int = 1,
    order_qty: FloatArray | float | None = None,
    history: FloatArray | None = None,
    periods: int = 260,
    warmup: int = 26,
    replications: int = 50,
    seed: int = 0,
    lead_time_factor: FloatArray | None = None,
    capacity: FloatArray | None = None,
) -> SimulationReport:
    """Simulate every item's policy; ``level`` is S (periodic) or the reorder point s."""
    if review not in ("periodic", "continuous"):
        raise InputValueError(f"review must be 'periodic' or 'continuous', got {review!r}")
    if review == "continuous" and order_qty is None:
        raise InputValueError("continuous review needs an order quantity Q")
    n = np.asarray(level).shape[0]

    def per_path(value: FloatArray | float | None) -> FloatArray:
        return np.repeat(np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)), replications)

    qty = per_path(0.0 if order_qty is None else order_qty)
    setup = _Setup(
        n, replications, per_path(level), qty, per_path(demand_mean), per_path(demand_sd),
        per_path(lead_time_mean), per_path(lead_time_sd),
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    stats = _run(setup, review, max(int(review_period), 1), history, periods, warmup, rng,
                 lead_time_factor, capacity)  # fmt: skip
    cycles, stockout_cycles, demanded, short, on_hand, out_periods = stats
    with np.errstate(all="ignore"):
        cycle = 1.0 - stockout_cycles / np.maximum(cycles, 1)
        fill = np.where(demanded > 0, 1.0 - short / demanded, 1.0)
    measured = periods - warmup

    def per_item(values: FloatArray) -> FloatArray:
        return np.asarray(values.reshape(n, replications).mean(axis=1), dtype=np.float64)

    return SimulationReport(
        per_item(cycle), per_item(fill), per_item(on_hand / measured),
        per_item(out_periods / measured), np.broadcast_to(np.asarray(target, np.float64), (n,)),
    )  # fmt: skip


def _draw_demand(rng: np.random.Generator, setup: _Setup, history: FloatArray | None) -> FloatArray:
    if history is None:
        return _gamma(rng, setup.mean, setup.sd)
    item = np.repeat(np.arange(setup.rows), setup.reps)
    count = (~np.isnan(history)).sum(axis=1)[item]
    start = history.shape[1] - count
    column = start + (rng.random(item.shape) * np.maximum(count, 1)).astype(np.int64)
    picked = history[item, np.clip(column, 0, history.shape[1] - 1)]
    return np.asarray(np.nan_to_num(picked, nan=0.0), dtype=np.float64)


def _run(
    setup: _Setup,
    review: str,
    review_period: int,
    history: FloatArray | None,
    periods: int,
    warmup: int,
    rng: np.random.Generator,
    lead_time_factor: FloatArray | None,
    capacity: FloatArray | None,
) -> tuple[FloatArray, ...]:
    paths = setup.level.shape[0]
    horizon_cap = periods + int(np.ceil((setup.lt_mean + 6 * setup.lt_sd).max(initial=1) * 4)) + 2
    arrivals = np.zeros((paths, horizon_cap))
    net = setup.level + (setup.qty if review == "continuous" else 0.0)
    pipeline = np.zeros(paths)
    cycles, stockouts, demanded, short, on_hand, out = (np.zeros(paths) for _ in range(6))
    flagged = np.zeros(paths, dtype=bool)
    index = np.arange(paths)
    for t in range(periods):
        net += arrivals[:, t]
        pipeline -= arrivals[:, t]
        position = net + pipeline
        if review == "periodic":
            placing = np.full(paths, t % review_period == 0)
            order = np.where(placing, np.maximum(setup.level - position, 0.0), 0.0)
        else:
            placing = position <= setup.level
            multiples = np.floor((setup.level - position) / np.maximum(setup.qty, 1e-12)) + 1
            order = np.where(placing, multiples * setup.qty, 0.0)
        if capacity is not None:
            order = np.minimum(order, np.repeat(np.asarray(capacity)[:, t], setup.reps))
        stretch = 1.0 if lead_time_factor is None else np.repeat(lead_time_factor[:, t], setup.reps)
        lead = _whole_periods(rng, _gamma(rng, setup.lt_mean * stretch, setup.lt_sd * stretch))
        arrive = np.clip(t + np.maximum(lead, 1), 0, horizon_cap - 1)
        arrivals[index, arrive] += order
        pipeline += order
        demand = _draw_demand(rng, setup, history)
        shortfall = np.minimum(demand, np.maximum(demand - np.maximum(net, 0.0), 0.0))
        net -= demand
        if t >= warmup:
            closing = placing  # a new cycle starts at each order epoch
            cycles += closing
            stockouts += closing & flagged
            flagged = np.where(closing, False, flagged)
            demanded += demand
            short += shortfall
            on_hand += np.maximum(net, 0.0)
            out += shortfall > 0
        flagged |= shortfall > 0
    return cycles, stockouts, demanded, short, on_hand, out
