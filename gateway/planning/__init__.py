"""Planning on the gateway side: stored thresholds, classification proposals, forecast runs,
planner overrides and publications, over ``planning_core``'s pure functions.

Every service takes the caller's ``Session`` and writes in its transaction (the caller
commits); every change by a person is audited; failures raise a ``PlanningServiceError``
subclass with a stable ``code`` (see ``gateway.planning.errors``). These back the CLI now and
the GraphQL mutations next.
"""

from gateway.planning.classification import (
    ProposalResult,
    approve_proposal,
    current_classification,
    propose,
    reject_proposal,
)
from gateway.planning.collaboration import (
    OverrideResult,
    PublicationResult,
    override_forecast,
    publish_forecast,
)
from gateway.planning.errors import (
    InvalidOverrideError,
    InvalidRetentionError,
    InvalidThresholdsError,
    NoDemandError,
    NoForecastRunError,
    NotFoundError,
    PlanningServiceError,
    ProposalStateError,
)
from gateway.planning.recompute import STEPS, RecomputeResult, recompute
from gateway.planning.retention import PruneResult, prune_runs
from gateway.planning.thresholds import (
    ThresholdsVersion,
    current_thresholds,
    set_thresholds,
    threshold_history,
)

__all__ = [
    "STEPS",
    "InvalidOverrideError",
    "InvalidRetentionError",
    "InvalidThresholdsError",
    "NoDemandError",
    "NoForecastRunError",
    "NotFoundError",
    "OverrideResult",
    "PlanningServiceError",
    "ProposalResult",
    "ProposalStateError",
    "PruneResult",
    "PublicationResult",
    "RecomputeResult",
    "ThresholdsVersion",
    "approve_proposal",
    "current_classification",
    "current_thresholds",
    "override_forecast",
    "propose",
    "prune_runs",
    "publish_forecast",
    "recompute",
    "reject_proposal",
    "set_thresholds",
    "threshold_history",
]
