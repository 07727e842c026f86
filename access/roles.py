"""Role templates: what each role may read and write, in the segments where it is held.

Supplier roles follow the collaboration levels of a segment:
- execution_only: sees its purchase orders and the schedules sent to it; sends ship notices,
  acknowledgments and inventory.
- advisory: also sees the segment's demand signal (redacted of other suppliers) and sends
  forecast commits.
- co_creation: also sends capacity commits and reads the segment's consensus forecast.
Planners read and plan their segments; integration engineers see messages, health and
findings but no commercial documents; admins do everything.
"""

from __future__ import annotations

from access.principals import PrincipalKind
from gateway.model import CollaborationRole

ANY = "*"
READ, WRITE = "read", "write"

_EXECUTION = [
    ("purchase_order", READ),
    ("planning_schedule", READ),
    ("ship_notice", READ),
    ("ship_notice", WRITE),
    ("inventory_position", READ),
    ("inventory_position", WRITE),
    ("po_acknowledgment", WRITE),
    ("scorecard", READ),
    ("finding", READ),
    ("message", READ),
    ("segment", READ),
]
_ADVISORY = [
    *_EXECUTION,
    ("demand_signal", READ),
    ("forecast_commit", READ),
    ("forecast_commit", WRITE),
]
_CO_CREATION = [
    *_ADVISORY,
    ("capacity_commit", READ),
    ("capacity_commit", WRITE),
    ("consensus_forecast", READ),
]
# Planners read the planning objects of their segments by name, never with a wildcard: a
# wildcard would reach the administrative objects (policy, key, audit, principal) as well.
PLANNING_OBJECTS = (
    "purchase_order",
    "planning_schedule",
    "ship_notice",
    "inventory_position",
    "receipt",
    "forecast_commit",
    "capacity_commit",
    "demand_signal",
    "consensus_forecast",
    "forecast",
    "buffer",
    "scorecard",
    "segmentation",
    "finding",
    "message",
    "segment",
    "health",
)
_PLANNER = [
    *((obj, READ) for obj in PLANNING_OBJECTS),
    ("forecast_override", WRITE),
    ("segment_policy", WRITE),
    ("segmentation", WRITE),
    ("finding", WRITE),
    ("purchase_order", WRITE),
    ("planning_schedule", WRITE),
    ("receipt", WRITE),
    ("inventory_position", WRITE),
]
_INTEGRATION = [
    ("delivery", READ),  # outbound deliveries and dead letters (granted by migration 0004)
    ("delivery", WRITE),
    ("message", READ),
    ("message", WRITE),
    ("health", READ),
    ("finding", READ),
    ("finding", WRITE),
    ("segment", READ),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    f"role:{CollaborationRole.EXECUTION_ONLY.value}": _EXECUTION,
    f"role:{CollaborationRole.ADVISORY.value}": _ADVISORY,
    f"role:{CollaborationRole.CO_CREATION.value}": _CO_CREATION,
    "role:planner": _PLANNER,
    "role:integration": _INTEGRATION,
    "role:admin": [(ANY, ANY)],
}


def template_rules() -> list[list[str]]:
    """The ``p`` rules of every role template."""
    return [
        [role, ANY, obj, act] for role, grants in ROLE_PERMISSIONS.items() for obj, act in grants
    ]


def supplier_role(role: CollaborationRole) -> str:
    return f"role:{role.value}"


def global_role(kind: PrincipalKind) -> str:
    """The role a principal of a global kind holds in every segment."""
    if kind not in (PrincipalKind.INTEGRATION, PrincipalKind.ADMIN):
        raise ValueError(f"{kind.value} principals hold roles per segment, not globally")
    return f"role:{kind.value}"
