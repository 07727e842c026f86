# ruff: noqa: RUF002
"""Safety stock, reorder point and order-up-to level under demand and lead-time variability.

Silver, Pyke & Thomas (2017), ch. 6–7, with demand per period ~ (μ_d, σ_d) and lead time
~ (μ_L, σ_L) in periods, independent:

- protection interval P = L + R (periodic review, review period R) or L (continuous review);
- σ_X = √(E[P] σ_d² + μ_d² σ_L²)  (Var of lead-time demand with random lead time);
- cycle service α:   k = Φ⁻¹(α),  SS = k σ_X;
- fill rate β:       σ_X G(k) = (1 − β) Q, Q the expected replenishment quantity
  (the order quantity for (s, Q); μ_d R for (R, S)), so k = G⁻¹((1 − β) Q / σ_X);
- reorder point s = μ_d E[P] + SS (continuous); order-up-to S = μ_d (μ_L + R) + SS (periodic);
- expected on hand ≈ SS + Q/2 (average cycle stock plus safety stock).

Units: quantities in demand units, times in periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning_core.buffers.normal import inverse_normal_loss, service_factor
from planning_core.errors import InputValueError
from planning_core.forecast.panel import FloatArray

__all__ = ["BufferPolicy", "lead_time_demand_sigma", "plan_buffers", "safety_stock"]


def lead_time_demand_sigma(
    demand_sd: FloatArray,
    demand_mean: FloatArray,
    lead_time_mean: FloatArray,
    lead_time_sd: FloatArray | float = 0.0,
    review_period: FloatArray | float = 0.0,
) -> FloatArray:
    """σ_X = √((μ_L + R) σ_d² + μ_d² σ_L²), in demand units."""
    protection = np.asarray(lead_time_mean, np.float64) + np.asarray(review_period, np.float64)
    d_sd, d_mean = np.asarray(demand_sd, np.float64), np.asarray(demand_mean, np.float64)
    lt_sd = np.asarray(lead_time_sd, np.float64)
    return np.asarray(np.sqrt(protection * d_sd**2 + d_mean**2 * lt_sd**2), dtype=np.float64)


def safety_stock(
    sigma_x: FloatArray,
    target: FloatArray | float,
    *,
    measure: str = "cycle",
    replenishment_qty: FloatArray | float | None = None,
) -> FloatArray:
    """Safety stock k·σ_X for a cycle-service (α) or fill-rate (β) target; never negative
    for α ≥ 0.5 (a fill-rate k may be negative when Q is large relative to σ_X: then 0)."""
    sigma = np.asarray(sigma_x, dtype=np.float64)
    if measure == "cycle":
        k = service_factor(target)
    elif measure == "fill_rate":
        if replenishment_qty is None:
            raise InputValueError("a fill-rate target needs the replenishment quantity Q")
        beta = np.asarray(target, dtype=np.float64)
        if ((beta <= 0) | (beta >= 1)).any():
            raise InputValueError("fill rate must be strictly between 0 and 1")
        qty = np.asarray(replenishment_qty, dtype=np.float64)
        with np.errstate(all="ignore"):
            loss = np.where(sigma > 0, (1 - beta) * qty / np.where(sigma > 0, sigma, 1.0), 1.0)
        k = inverse_normal_loss(np.maximum(loss, 1e-12))
    else:
        raise InputValueError(f"service measure must be 'cycle' or 'fill_rate', got {measure!r}")
    return np.asarray(np.clip(k * sigma, 0.0, None), dtype=np.float64)


@dataclass(frozen=True)
class BufferPolicy:
    """Per item: safety stock, reorder point / order-up-to level and expected on hand."""

    safety_stock: FloatArray
    sigma_x: FloatArray
    reorder_point: FloatArray
    order_up_to: FloatArray
    expected_on_hand: FloatArray
    cycle_stock: FloatArray


def plan_buffers(
    demand_mean: FloatArray,
    demand_sd: FloatArray,
    lead_time_mean: FloatArray,
    lead_time_sd: FloatArray | float,
    target: FloatArray | float,
    *,
    measure: str = "cycle",
    review: str = "periodic",
    review_period: FloatArray | float = 1.0,
    order_qty: FloatArray | float | None = None,
) -> BufferPolicy:
    """Buffers for every item at once under periodic (R, S) or continuous (s, Q) review."""
    mean = np.asarray(demand_mean, dtype=np.float64)
    lt_mean = np.asarray(lead_time_mean, dtype=np.float64)
    if review == "periodic":
        r = np.asarray(review_period, dtype=np.float64)
        qty = mean * r
    elif review == "continuous":
        r = np.zeros_like(mean)
        if order_qty is None:
            raise InputValueError("continuous review needs an order quantity Q")
        qty = np.broadcast_to(np.asarray(order_qty, dtype=np.float64), mean.shape)
    else:
        raise InputValueError(f"review must be 'periodic' or 'continuous', got {review!r}")
    sigma = lead_time_demand_sigma(demand_sd, mean, lt_mean, lead_time_sd, r)
    stock = safety_stock(sigma, target, measure=measure, replenishment_qty=qty)
    level = mean * (lt_mean + r) + stock
    return BufferPolicy(
        safety_stock=stock,
        sigma_x=sigma,
        reorder_point=mean * lt_mean + stock if review == "continuous" else level,
        order_up_to=level if review == "periodic" else mean * lt_mean + stock + qty,
        expected_on_hand=stock + qty / 2,
        cycle_stock=qty / 2,
    )
