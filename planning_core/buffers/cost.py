# ruff: noqa: RUF002
"""A cost view of the service level: holding versus shortage, per item or segment.

For a periodic review (R, S) policy with normal protection-interval demand (σ_X) and a
shortage cost b per unit short, holding cost h per unit per period (Silver, Pyke & Thomas 2017,
§6.7.4 and §7.3):

    cost per period(k) = h (k σ_X + μ_d R / 2) + (b / R) σ_X G(k),

minimised where 1 − Φ(k*) = h R / b, i.e. the suggested cycle service α* = 1 − h R / b
(clipped to [0.5, 0.999]). ``service_level_costs`` tabulates the cost at candidate levels so a
planner sees the trade-off; ``suggest_service_level`` gives α* per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planning_core.buffers.normal import normal_loss, service_factor
from planning_core.forecast.panel import FloatArray

__all__ = ["service_level_costs", "suggest_service_level"]


def suggest_service_level(
    holding_cost: FloatArray | float, shortage_cost: FloatArray | float, review_period: float = 1.0
) -> FloatArray:
    """α* = 1 − h R / b, clipped to [0.5, 0.999] (h per unit-period, b per unit short)."""
    h = np.asarray(holding_cost, dtype=np.float64)
    b = np.asarray(shortage_cost, dtype=np.float64)
    with np.errstate(all="ignore"):
        alpha = 1.0 - h * review_period / b
    return np.asarray(np.clip(np.nan_to_num(alpha, nan=0.5), 0.5, 0.999), dtype=np.float64)


def service_level_costs(
    segments: list[str],
    sigma_x: FloatArray,
    demand_mean: FloatArray,
    holding_cost: FloatArray,
    shortage_cost: FloatArray,
    *,
    review_period: float = 1.0,
    levels: tuple[float, ...] = (0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995),
) -> pd.DataFrame:
    """Expected holding, shortage and total cost per period by segment and candidate level.

    Inputs are per item; costs are summed over the items of each segment. Columns:
    ``segment_id, service_level, holding_cost, shortage_cost, total_cost, best``.
    """
    k = service_factor(np.asarray(levels))[None, :]
    sigma = np.asarray(sigma_x, dtype=np.float64)[:, None]
    holding = np.asarray(holding_cost, dtype=np.float64)[:, None] * (
        k * sigma + np.asarray(demand_mean, dtype=np.float64)[:, None] * review_period / 2
    )
    shortage = (
        np.asarray(shortage_cost, np.float64)[:, None] / review_period * sigma * normal_loss(k)
    )
    frame = pd.DataFrame(
        {
            "segment_id": np.repeat(np.asarray(segments, dtype=object), len(levels)),
            "service_level": np.tile(levels, len(segments)),
            "holding_cost": holding.ravel(),
            "shortage_cost": shortage.ravel(),
        }
    )
    table = frame.groupby(["segment_id", "service_level"], as_index=False).sum()
    table["total_cost"] = table["holding_cost"] + table["shortage_cost"]
    best = table.groupby("segment_id")["total_cost"].transform("min")
    table["best"] = table["total_cost"] == best
    return table
