"""Forecast a grouping level and its members together, reconciled so they add up.

The members (e.g. SKU-locations) and the groups (family, segment or supplier totals of their
history) are forecast independently with ``forecast_panel``; then ``reconcile`` makes them
coherent (``wls`` by default: the group forecast carries information the noisy members lack,
and the members keep their shape). See ``hierarchy`` for the formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from planning_core.forecast.auto import ForecastResult, forecast_panel
from planning_core.forecast.hierarchy import Aggregate, reconcile
from planning_core.forecast.panel import FloatArray, as_demand_matrix

__all__ = ["forecast_levels", "group_history"]


def group_history(
    demand: FloatArray, groups: Sequence[object] | np.ndarray
) -> tuple[np.ndarray, FloatArray]:
    """(sorted labels, group totals per period); a period no member observed stays NaN."""
    matrix = as_demand_matrix(demand)
    labels, codes = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    totals = np.zeros((len(labels), matrix.shape[1]))
    seen = np.zeros_like(totals)
    np.add.at(totals, codes, np.nan_to_num(matrix, nan=0.0))
    np.add.at(seen, codes, (~np.isnan(matrix)).astype(np.float64))
    return labels, np.where(seen > 0, totals, np.nan)


def forecast_levels(
    demand: FloatArray,
    horizon: int,
    groups: Sequence[object] | np.ndarray,
    *,
    method: str = "wls",
    **options: Any,
) -> tuple[FloatArray, Aggregate, ForecastResult]:
    """(reconciled member forecasts, reconciled group totals, the members' own result)."""
    members = forecast_panel(demand, horizon, **options)
    if method == "bottom_up":
        bottom, aggregate = reconcile(members.point, list(groups), method="bottom_up")
        return bottom, aggregate, members
    _, history = group_history(demand, groups)
    totals = forecast_panel(
        history, horizon, **{k: v for k, v in options.items() if k != "allowed"}
    )
    bottom, aggregate = reconcile(
        members.point, list(groups), method=method, aggregate_forecast=totals.point
    )
    return bottom, aggregate, members
