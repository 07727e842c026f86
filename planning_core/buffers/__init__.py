"""Buffers: safety stock, reorder points, dynamic and bootstrap buffers, simulation, costs."""

from planning_core.buffers.cost import service_level_costs, suggest_service_level
from planning_core.buffers.dynamic import dynamic_buffers, seasonal_sigma, sigma_from_quantiles
from planning_core.buffers.empirical import bootstrap_lead_time_demand
from planning_core.buffers.normal import inverse_normal_loss, normal_loss, service_factor
from planning_core.buffers.safety_stock import (
    BufferPolicy,
    lead_time_demand_sigma,
    plan_buffers,
    safety_stock,
)
from planning_core.buffers.simulation import SimulationReport, simulate_policy

__all__ = [
    "BufferPolicy",
    "SimulationReport",
    "bootstrap_lead_time_demand",
    "dynamic_buffers",
    "inverse_normal_loss",
    "lead_time_demand_sigma",
    "normal_loss",
    "plan_buffers",
    "safety_stock",
    "seasonal_sigma",
    "service_factor",
    "service_level_costs",
    "sigma_from_quantiles",
    "simulate_policy",
    "suggest_service_level",
]
