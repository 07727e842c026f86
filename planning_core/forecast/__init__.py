"""Vectorized forecasting over a demand matrix (series x periods)."""

from planning_core.forecast.auto import DEFAULT_METHODS, ForecastResult, forecast_panel
from planning_core.forecast.events import (
    apply_uplift,
    estimate_lift,
    launch_curve,
    launch_forecast,
)
from planning_core.forecast.fitting import MethodFit, fit_method
from planning_core.forecast.hierarchy import Aggregate, aggregate_levels, reconcile
from planning_core.forecast.levels import forecast_levels, group_history
from planning_core.forecast.methods import METHODS, MethodSpec, get_method
from planning_core.forecast.panel import as_demand_matrix, right_align
from planning_core.forecast.parallel import forecast_panel_parallel

__all__ = [
    "DEFAULT_METHODS",
    "METHODS",
    "Aggregate",
    "ForecastResult",
    "MethodFit",
    "MethodSpec",
    "aggregate_levels",
    "apply_uplift",
    "as_demand_matrix",
    "estimate_lift",
    "fit_method",
    "forecast_levels",
    "forecast_panel",
    "forecast_panel_parallel",
    "get_method",
    "group_history",
    "launch_curve",
    "launch_forecast",
    "reconcile",
    "right_align",
]
