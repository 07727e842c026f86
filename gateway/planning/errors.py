"""Errors of the planning services, each with a stable code (GraphQL and CLI show the code).

::

    PlanningServiceError          plan.error
    ├── NotFoundError             plan.not_found           no such proposal, run, item, ...
    ├── InvalidThresholdsError    plan.invalid_thresholds  thresholds the core refuses
    ├── ProposalStateError        plan.proposal_state      deciding a proposal already decided
    ├── NoForecastRunError        plan.no_run              nothing computed yet
    ├── NoDemandError             plan.no_demand           recompute without demand history
    ├── InvalidOverrideError      plan.invalid_override    negative quantity, empty reason, ...
    └── InvalidRetentionError     plan.invalid_retention   pruning would leave no run
"""

from __future__ import annotations

__all__ = [
    "InvalidOverrideError",
    "InvalidRetentionError",
    "InvalidThresholdsError",
    "NoDemandError",
    "NoForecastRunError",
    "NotFoundError",
    "PlanningServiceError",
    "ProposalStateError",
]


class PlanningServiceError(Exception):
    """Base of the planning service errors; ``code`` is stable, ``message`` says what is wrong."""

    code = "plan.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class NotFoundError(PlanningServiceError):
    code = "plan.not_found"


class InvalidThresholdsError(PlanningServiceError):
    code = "plan.invalid_thresholds"


class ProposalStateError(PlanningServiceError):
    code = "plan.proposal_state"


class NoForecastRunError(PlanningServiceError):
    code = "plan.no_run"


class NoDemandError(PlanningServiceError):
    code = "plan.no_demand"


class InvalidOverrideError(PlanningServiceError):
    code = "plan.invalid_override"


class InvalidRetentionError(PlanningServiceError):
    code = "plan.invalid_retention"
