"""The data-quality policy file: thresholds per segment and partner, owners, escalation paths.

``GATEWAY_QUALITY_POLICY`` names a JSON file such as::

    {"thresholds": {"segments": {"FAST": {"under_shipment_tolerance": 0.02}},
                    "partners": {"SUP007": {"late_tolerance_days": 2}}},
     "routing": {"default_owner": "integration-team",
                 "owners": [{"rule": "INVENTORY_MISMATCH", "owner": "inventory-control"}],
                 "escalation": {"FAST": {"owners": ["fast-planners", "supply-director"],
                                         "after_hours": 4}}}}

Without it, the defaults of ``quality`` apply and nothing escalates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gateway.model import Segment
from quality import DEFAULT_CADENCE_DAYS, QualityConfig, RoutingPolicy


class PolicyError(ValueError):
    """The policy file cannot be read or does not validate; says where."""


@dataclass(frozen=True)
class QualityPolicy:
    config: QualityConfig
    routing: RoutingPolicy


def load_policy(path: Path | None, segments: Sequence[Segment]) -> QualityPolicy:
    """The policy in force: the file's settings over the defaults and the segments' policies."""
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise PolicyError(f"cannot read the quality policy {path}: {error}") from None
        unknown = set(raw) - {"thresholds", "routing"}
        if unknown:
            raise PolicyError(
                f"{path}: unknown sections {sorted(unknown)}; use 'thresholds' and 'routing'"
            )
    thresholds = dict(raw.get("thresholds", {}))
    if isinstance(thresholds.get("cadence_days"), dict):
        # Feeds named in the file change their cadence; the others keep the default one.
        thresholds["cadence_days"] = DEFAULT_CADENCE_DAYS | thresholds["cadence_days"]
    try:
        config = QualityConfig.for_segments(segments, **thresholds)
        routing = RoutingPolicy.model_validate(raw.get("routing", {}))
    except (ValidationError, ValueError) as error:
        raise PolicyError(f"{path}: {error}") from None
    return QualityPolicy(config, routing)
