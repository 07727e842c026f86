"""Segmentation thresholds as stored versions: the newest version is in force.

The first read seeds version ``default-1`` from ``planning_core.SegmentationThresholds()``;
every later change writes a new version (who, when, note) and an audit entry with the values
before and after. Versions are never edited, so a proposal can always name the thresholds it
was computed with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.planning.errors import InvalidThresholdsError
from gateway.store.audit import record
from gateway.store.planning_tables import ThresholdVersionRow
from planning_core import SegmentationThresholds, ThresholdsError

__all__ = [
    "DEFAULT_AUTO_APPLY_MAX_CHANGES",
    "ThresholdsVersion",
    "current_thresholds",
    "set_thresholds",
    "threshold_history",
]

DEFAULT_AUTO_APPLY_MAX_CHANGES = 25
"""A proposal changing at most this many items is applied without approval."""
SEED_ACTOR = "system"


@dataclass(frozen=True)
class ThresholdsVersion:
    """One stored version: the core's thresholds plus the gateway's auto-apply size."""

    id: int
    version: str
    thresholds: SegmentationThresholds
    auto_apply_max_changes: int
    created_by: str
    created_at: dt.datetime
    note: str


def _typed(row: ThresholdVersionRow) -> ThresholdsVersion:
    return ThresholdsVersion(
        id=row.id,
        version=row.version,
        thresholds=SegmentationThresholds.from_dict(row.values),
        auto_apply_max_changes=row.auto_apply_max_changes,
        created_by=row.created_by,
        created_at=row.created_at,
        note=row.note,
    )


def current_thresholds(session: Session) -> ThresholdsVersion:
    """The version in force; seeds the default version (audited) when there is none yet."""
    row = session.scalars(
        select(ThresholdVersionRow).order_by(ThresholdVersionRow.id.desc()).limit(1)
    ).first()
    if row is None:
        defaults = SegmentationThresholds()
        row = ThresholdVersionRow(
            version=defaults.version,
            values=defaults.as_dict(),
            auto_apply_max_changes=DEFAULT_AUTO_APPLY_MAX_CHANGES,
            created_by=SEED_ACTOR,
            note="seeded from planning_core defaults",
        )
        session.add(row)
        session.flush()
        record(
            session,
            SEED_ACTOR,
            "plan.thresholds_set",
            "thresholds",
            row.version,
            {"before": None, "after": row.values, "note": row.note},
        )
    return _typed(row)


def set_thresholds(
    session: Session,
    changes: dict[str, Any],
    *,
    actor: str,
    note: str = "",
    auto_apply_max_changes: int | None = None,
) -> ThresholdsVersion:
    """Store a new version: the current values with ``changes`` applied.

    ``changes`` may name the new ``version``; otherwise it is ``v<n>``. Unknown keys and
    inconsistent values raise ``InvalidThresholdsError`` (nothing is written).
    """
    current = current_thresholds(session)
    values = current.thresholds.as_dict() | changes
    if "version" not in changes:
        count = session.scalar(select(func.count()).select_from(ThresholdVersionRow)) or 0
        values["version"] = f"v{count + 1}"
    taken = session.scalar(
        select(ThresholdVersionRow.id).where(ThresholdVersionRow.version == values["version"])
    )
    if taken is not None:
        raise InvalidThresholdsError(f"threshold version {values['version']!r} already exists")
    limit = (
        current.auto_apply_max_changes if auto_apply_max_changes is None else auto_apply_max_changes
    )
    if limit < 0:
        raise InvalidThresholdsError("auto_apply_max_changes must be 0 or more")
    try:
        thresholds = SegmentationThresholds.from_dict(values)
    except (ThresholdsError, TypeError) as error:
        raise InvalidThresholdsError(str(error)) from None
    row = ThresholdVersionRow(
        version=thresholds.version,
        values=thresholds.as_dict(),
        auto_apply_max_changes=limit,
        created_by=actor,
        note=note,
    )
    session.add(row)
    session.flush()
    before = current.thresholds.as_dict() | {
        "auto_apply_max_changes": current.auto_apply_max_changes
    }
    after = row.values | {"auto_apply_max_changes": limit}
    record(
        session,
        actor,
        "plan.thresholds_set",
        "thresholds",
        row.version,
        {"before": before, "after": after, "note": note},
    )
    return _typed(row)


def threshold_history(session: Session) -> list[ThresholdsVersion]:
    """Every stored version, newest first."""
    rows = session.scalars(select(ThresholdVersionRow).order_by(ThresholdVersionRow.id.desc()))
    return [_typed(row) for row in rows]
