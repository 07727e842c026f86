"""Changing a segment's planning policy: validated against the master-data model, audited."""

from __future__ import annotations

from typing import Any

import strawberry
from pydantic import ValidationError
from sqlalchemy.orm import Session

from access import Scope
from gateway.graphql.errors import InvalidInput, NotFound, invalid
from gateway.graphql.master import PlanningPolicy, Segment
from gateway.model.master import PlanningPolicy as PolicyModel
from gateway.store.audit import record
from gateway.store.tables import SegmentRow
from planning_core import METHODS

MAX_REASON = 2000


@strawberry.input(description="What to change; fields left out keep their value.")
class PlanningPolicyInput:
    service_level_target: float | None = strawberry.field(
        default=None, description="Cycle service level target, strictly between 0 and 1."
    )
    forecast_methods: list[str] | None = strawberry.field(
        default=None, description=f"Methods allowed, of: {', '.join(sorted(METHODS))}."
    )
    review_cycle_days: int | None = strawberry.field(default=None, description="1 to 366.")
    reason: str | None = strawberry.field(default=None, description="Why (kept in the audit log).")

    def problem(self) -> InvalidInput | None:
        """The first thing wrong with the input, naming its field; None if it is fine."""
        if all(
            v is None
            for v in (self.service_level_target, self.forecast_methods, self.review_cycle_days)
        ):
            return invalid("input", "nothing to change: give at least one policy field")
        if self.service_level_target is not None and not 0 < self.service_level_target < 1:
            return invalid(
                "input.serviceLevelTarget",
                f"must be between 0 and 1 (exclusive), got {self.service_level_target}",
            )
        if self.forecast_methods is not None:
            unknown = [m for m in self.forecast_methods if m not in METHODS]
            if unknown or not self.forecast_methods:
                what = f"unknown methods {unknown}" if unknown else "no methods given"
                return invalid("input.forecastMethods", f"{what}; allowed: {sorted(METHODS)}")
            if len(set(self.forecast_methods)) != len(self.forecast_methods):
                return invalid("input.forecastMethods", "a method is listed twice")
        if self.review_cycle_days is not None and not 1 <= self.review_cycle_days <= 366:
            return invalid(
                "input.reviewCycleDays", f"must be 1 to 366 days, got {self.review_cycle_days}"
            )
        if self.reason is not None and len(self.reason) > MAX_REASON:
            return invalid("input.reason", f"at most {MAX_REASON} characters")
        return None


@strawberry.type
class SegmentPolicyChanged:
    segment: Segment
    previous_service_level_target: float
    previous_policy: PlanningPolicy


def change_policy(
    session: Session, scope: Scope, segment_id: str, change: PlanningPolicyInput, actor: str
) -> Any:
    """Apply ``change`` to a segment in scope; the audit entry holds before and after."""
    row = session.get(SegmentRow, segment_id, with_for_update=True)
    if row is None or not scope.allows_segment(segment_id):
        return NotFound(message=f"no segment {segment_id}", code="segment.not_found")
    before = Segment.of(row)
    policy = dict(row.planning_policy or {})
    if change.forecast_methods is not None:
        policy["forecast_methods"] = list(change.forecast_methods)
    if change.review_cycle_days is not None:
        policy["review_cycle_days"] = change.review_cycle_days
    try:  # the master-data model has the last word on what a policy may hold
        policy = PolicyModel.model_validate(policy).model_dump(mode="json")
    except ValidationError as error:
        first = error.errors()[0]
        return invalid(f"input.{'.'.join(map(str, first['loc']))}", first["msg"])
    old = {"service_level_target": row.service_level_target, "planning_policy": row.planning_policy}
    row.planning_policy = policy
    if change.service_level_target is not None:
        row.service_level_target = change.service_level_target
    new = {"service_level_target": row.service_level_target, "planning_policy": policy}
    record(
        session,
        actor,
        "segment.policy_changed",
        "segment",
        segment_id,
        {"before": old, "after": new, "reason": change.reason},
    )
    session.flush()
    return SegmentPolicyChanged(
        segment=Segment.of(row),
        previous_service_level_target=before.service_level_target,
        previous_policy=before.policy,
    )
