"""Constrained supply allocation, single-source exposure and disruption simulation."""

from planning_core.risk.allocation import allocate_supply
from planning_core.risk.disruption import ITEM_COLUMNS, simulate_disruption
from planning_core.risk.exposure import single_source_exposure

__all__ = ["ITEM_COLUMNS", "allocate_supply", "simulate_disruption", "single_source_exposure"]
