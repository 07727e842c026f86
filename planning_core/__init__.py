"""Planning over whole matrices: segmentation, forecasts, buffers, scorecards, risk.

Pure numpy / pandas / scipy over plain data; the public surface is ``__all__``.
"""

from planning_core.accuracy import bias, mape, mase, wape
from planning_core.buffers import (
    BufferPolicy,
    SimulationReport,
    bootstrap_lead_time_demand,
    dynamic_buffers,
    lead_time_demand_sigma,
    normal_loss,
    plan_buffers,
    safety_stock,
    seasonal_sigma,
    service_level_costs,
    simulate_policy,
    suggest_service_level,
)
from planning_core.collaboration import (
    consensus_forecast,
    forecast_exceptions,
    forecast_value_added,
)
from planning_core.errors import (
    InputShapeError,
    InputValueError,
    MissingColumnsError,
    PlanningError,
    ThresholdsError,
    UnknownMethodError,
)
from planning_core.forecast import (
    DEFAULT_METHODS,
    METHODS,
    ForecastResult,
    aggregate_levels,
    apply_uplift,
    estimate_lift,
    forecast_levels,
    forecast_panel,
    forecast_panel_parallel,
    launch_curve,
    launch_forecast,
    reconcile,
    right_align,
)
from planning_core.risk import allocate_supply, simulate_disruption, single_source_exposure
from planning_core.scorecard import ScorecardConfig, build_scorecards, lead_time_stats
from planning_core.segmentation import (
    ReclassificationProposal,
    SegmentationThresholds,
    classify_items,
    propose_reclassification,
)

__all__ = [
    "DEFAULT_METHODS",
    "METHODS",
    "BufferPolicy",
    "ForecastResult",
    "InputShapeError",
    "InputValueError",
    "MissingColumnsError",
    "PlanningError",
    "ReclassificationProposal",
    "ScorecardConfig",
    "SegmentationThresholds",
    "SimulationReport",
    "ThresholdsError",
    "UnknownMethodError",
    "aggregate_levels",
    "allocate_supply",
    "apply_uplift",
    "bias",
    "bootstrap_lead_time_demand",
    "build_scorecards",
    "classify_items",
    "consensus_forecast",
    "dynamic_buffers",
    "estimate_lift",
    "forecast_exceptions",
    "forecast_levels",
    "forecast_panel",
    "forecast_panel_parallel",
    "forecast_value_added",
    "launch_curve",
    "launch_forecast",
    "lead_time_demand_sigma",
    "lead_time_stats",
    "mape",
    "mase",
    "normal_loss",
    "plan_buffers",
    "propose_reclassification",
    "reconcile",
    "right_align",
    "safety_stock",
    "seasonal_sigma",
    "service_level_costs",
    "simulate_disruption",
    "simulate_policy",
    "single_source_exposure",
    "suggest_service_level",
    "wape",
]
