# ruff: noqa: RUF002
"""The standard normal loss function and its inverse, vectorized.

G(k) = φ(k) − k (1 − Φ(k)) is the expected shortage per unit σ of a normal variable beyond
k standard deviations (Silver, Pyke & Thomas, *Inventory and Production Management in Supply
Chains*, 4th ed. 2017, §6.7 and Appendix B).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, ndtri  # Φ and Φ⁻¹ (scipy.stats's norm wraps the same, slowly)

from planning_core.errors import InputValueError
from planning_core.forecast.panel import FloatArray

__all__ = ["inverse_normal_loss", "normal_loss", "service_factor"]

_SQRT_2PI = math.sqrt(2 * math.pi)


def normal_loss(k: FloatArray | float) -> FloatArray:
    """G(k) = φ(k) − k (1 − Φ(k)); dimensionless, decreasing in k."""
    z = np.asarray(k, dtype=np.float64)
    pdf = np.exp(-0.5 * z * z) / _SQRT_2PI
    return np.asarray(pdf - z * ndtr(-z), dtype=np.float64)


def inverse_normal_loss(target: FloatArray | float) -> FloatArray:
    """k with G(k) = target (target > 0), by vectorized bisection on [−10, 10]."""
    value = np.asarray(target, dtype=np.float64)
    if (value <= 0).any():
        raise InputValueError("normal-loss target must be positive")
    low = np.full(value.shape, -10.0)
    high = np.full(value.shape, 10.0)
    for _ in range(80):  # 20 / 2^80: exact to float precision
        mid = (low + high) / 2
        above = normal_loss(mid) > value  # G decreases: the root lies to the right
        low = np.where(above, mid, low)
        high = np.where(above, high, mid)
    return np.asarray((low + high) / 2, dtype=np.float64)


def service_factor(cycle_service: FloatArray | float) -> FloatArray:
    """k = Φ⁻¹(α) for a cycle service level α in (0, 1)."""
    alpha = np.asarray(cycle_service, dtype=np.float64)
    if ((alpha <= 0) | (alpha >= 1)).any():
        raise InputValueError("cycle service level must be strictly between 0 and 1")
    return np.asarray(ndtri(alpha), dtype=np.float64)
