"""Allocating constrained supply across segments by priority, fair share within a priority.

Per period, priorities are served in order (1 first). Inside one priority class every item
gets the same fraction of its demand, min(1, remaining supply / class demand) — the
proportional "fair share" rule (Silver, Pyke & Thomas 2017, §10 on allocation in
distribution; also the SAP APO/IBP "fair share rule A"). Leftover supply passes to the next
class. Vectorized over items and periods; the loop runs over the few priority classes.
"""

from __future__ import annotations

import numpy as np

from planning_core.errors import InputShapeError
from planning_core.forecast.panel import FloatArray

__all__ = ["allocate_supply"]


def allocate_supply(
    demand: FloatArray, priority: np.ndarray, supply: FloatArray | float
) -> FloatArray:
    """Allocation (n, T) of ``supply`` (T,) — or a scalar for one period — to demand (n, T)."""
    need = np.atleast_2d(np.clip(np.asarray(demand, dtype=np.float64), 0.0, None))
    if need.shape[0] != np.shape(priority)[0]:
        raise InputShapeError("need one priority per demand row")
    remaining = np.broadcast_to(np.asarray(supply, dtype=np.float64), (need.shape[1],)).copy()
    ranks = np.asarray(priority)
    allocated = np.zeros_like(need)
    for level in np.unique(ranks):
        rows = ranks == level
        class_need = need[rows].sum(axis=0)
        with np.errstate(all="ignore"):
            share = np.where(
                class_need > 0,
                np.minimum(1.0, remaining / np.where(class_need > 0, class_need, 1.0)),
                0.0,
            )
        allocated[rows] = need[rows] * share[None, :]
        remaining = np.clip(remaining - allocated[rows].sum(axis=0), 0.0, None)
    return allocated
