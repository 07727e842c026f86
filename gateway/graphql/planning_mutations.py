# mypy: disable-error-code="untyped-decorator"
# (strawberry types its mutation decorator as returning Any)
"""Planning mutations over the services of ``gateway.planning`` (which write the audit log
with the caller's principal as actor): override a forecast, approve or reject a
classification proposal, publish a forecast to a supplier, recompute.

Each validates its arguments, checks the caller's write grant (audited when refused, as
REST) and then its scope on every segment the change reaches, and maps the services'
``PlanningServiceError`` codes onto the typed errors.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import Session

from access import Scope
from gateway import planning
from gateway.graphql.errors import Forbidden, InvalidInput, NotAllowedInState, NotFound, invalid
from gateway.graphql.planning_types import Proposal
from gateway.graphql.scopes import suppliers_where
from gateway.store.planning_tables import ProposalChangeRow, ProposalRow
from gateway.store.tables import ItemRow, ItemSourceRow, SupplierRow

MAX_TEXT = 2000
MAX_HORIZON = 104
# One recompute at a time per process: a second one would compute the same run again.
_RECOMPUTING = threading.Lock()


@strawberry.type(description="The stored override and the consensus of the cell before/after.")
class ForecastOverridden:
    override_id: strawberry.ID
    item_id: strawberry.ID
    location_id: strawberry.ID
    period_start: dt.date
    quantity: float
    run_id: strawberry.ID | None = strawberry.field(
        description="The run whose cell was updated in place; null when the week is outside "
        "its horizon (the next recompute applies it)."
    )
    consensus_before: float | None
    consensus: float | None


@strawberry.type(description="The proposal after the decision.")
class ProposalDecided:
    proposal: Proposal


@strawberry.type(description="The consensus forecast queued to the supplier as an X12 830.")
class ForecastPublished:
    publication_id: strawberry.ID
    delivery_id: strawberry.ID = strawberry.field(description="The sync outbox delivery.")
    schedule_id: str
    run_id: strawberry.ID
    supplier_id: strawberry.ID
    lines: int


@strawberry.type(description="The forecast run stored by the recompute (it ran inline).")
class RecomputeFinished:
    run_id: strawberry.ID
    as_of: dt.date
    series: int
    forecast_cells: int
    scorecards: int
    timings: strawberry.scalars.JSON = strawberry.field(description="Seconds per step.")


Errors = NotFound | Forbidden | InvalidInput | NotAllowedInState
OverrideResult = Annotated[ForecastOverridden | Errors, strawberry.union("OverrideForecastResult")]
DecisionResult = Annotated[ProposalDecided | Errors, strawberry.union("ProposalDecisionResult")]
PublishResult = Annotated[ForecastPublished | Errors, strawberry.union("PublishForecastResult")]
RecomputeResult = Annotated[RecomputeFinished | Errors, strawberry.union("RecomputeResult")]


def service_error(error: planning.PlanningServiceError, field: str = "input") -> Any:
    """The typed error for a planning service's error code."""
    if isinstance(error, planning.NotFoundError):
        return NotFound(message=error.message, code=error.code)
    if isinstance(error, planning.InvalidOverrideError):
        return invalid(field, error.message, error.code)
    return NotAllowedInState(message=error.message, code=error.code)


def out_of_scope(scope: Scope, segments: set[str]) -> Forbidden | None:
    """Forbidden when the change reaches a segment outside the caller's write scope."""
    if scope.segments is None:
        return None
    outside = sorted(segments - set(scope.segments))
    if not outside:
        return None
    return Forbidden(
        message=f"the change reaches segments outside your grant: {', '.join(outside)}",
        code="access.scope",
    )


def text_problem(field: str, value: str | None, *, required: bool) -> InvalidInput | None:
    if required and (value is None or not value.strip()):
        return invalid(field, f"give a {field}")
    if value is not None and len(value) > MAX_TEXT:
        return invalid(field, f"at most {MAX_TEXT} characters, got {len(value)}")
    return None


def override(
    session: Session, scope: Scope, actor: str, item: str, location: str, args: dict[str, Any]
) -> Any:
    row = session.get(ItemRow, item)
    if row is None or not scope.allows_segment(row.segment_id):
        return NotFound(message=f"no item {item!r}", code="plan.not_found")
    try:
        done = planning.override_forecast(
            session, item_id=item, location_id=location, actor=actor, **args
        )
    except planning.PlanningServiceError as error:
        return service_error(error, "quantity" if "quantity" in error.message else "reason")
    return ForecastOverridden(
        override_id=strawberry.ID(str(done.override_id)),
        item_id=strawberry.ID(done.item_id),
        location_id=strawberry.ID(done.location_id),
        period_start=done.period_start,
        quantity=done.quantity,
        run_id=None if done.run_id is None else strawberry.ID(str(done.run_id)),
        consensus_before=done.consensus_before,
        consensus=done.consensus,
    )


def decide(
    session: Session, scope: Scope, actor: str, proposal_id: int, approve: bool, note: str
) -> Any:
    """Approve or reject a proposal when every segment its changes reach is in scope."""
    row = session.get(ProposalRow, proposal_id)
    if row is None:
        return NotFound(message=f"no proposal {proposal_id}", code="plan.not_found")
    reached = session.scalars(
        select(ItemRow.segment_id)
        .join(ProposalChangeRow, ProposalChangeRow.item_id == ItemRow.id)
        .where(ProposalChangeRow.proposal_id == proposal_id)
        .distinct()
    )
    refused = out_of_scope(scope, set(reached))
    if refused is not None:
        return refused
    try:
        if approve:
            planning.approve_proposal(session, proposal_id, actor=actor, note=note)
        else:
            planning.reject_proposal(session, proposal_id, actor=actor, note=note)
    except planning.PlanningServiceError as error:
        return service_error(error)
    session.flush()
    return ProposalDecided(proposal=Proposal.of(row))


def publish(session: Session, scope: Scope, actor: str, supplier: str) -> Any:
    """Queue the 830 when the supplier is in scope with every segment of the items it sources
    (the schedule carries them all)."""
    visible = session.scalar(
        select(SupplierRow.id).where(SupplierRow.id == supplier, suppliers_where(scope))
    )
    if visible is None:
        return NotFound(message=f"no supplier {supplier!r}", code="plan.not_found")
    reached = session.scalars(
        select(ItemRow.segment_id)
        .join(ItemSourceRow, ItemSourceRow.item_id == ItemRow.id)
        .where(ItemSourceRow.supplier_id == supplier)
        .distinct()
    )
    refused = out_of_scope(scope, set(reached))
    if refused is not None:
        return refused
    try:
        done = planning.publish_forecast(session, supplier, actor)
    except planning.PlanningServiceError as error:
        return service_error(error)
    return ForecastPublished(
        publication_id=strawberry.ID(str(done.publication_id)),
        delivery_id=strawberry.ID(done.delivery_id),
        schedule_id=done.schedule_id,
        run_id=strawberry.ID(str(done.run_id)),
        supplier_id=strawberry.ID(done.supplier_id),
        lines=done.lines,
    )


def run_recompute(session: Session, actor: str, as_of: dt.date | None, horizon: int) -> Any:
    if not _RECOMPUTING.acquire(blocking=False):
        return NotAllowedInState(
            message="a recompute is already running in this process; try again when it ends",
            code="plan.recompute_running",
        )
    try:
        done = planning.recompute(session, actor=actor, as_of=as_of, horizon=horizon)
    except planning.PlanningServiceError as error:
        return service_error(error)
    finally:
        _RECOMPUTING.release()
    return RecomputeFinished(
        run_id=strawberry.ID(str(done.run_id)),
        as_of=done.as_of,
        series=done.series,
        forecast_cells=done.forecast_cells,
        scorecards=done.scorecards,
        timings=done.timings,  # type: ignore[arg-type]  # JSON takes any dict
    )


def override_problem(quantity: float, reason: str) -> InvalidInput | None:
    if not math.isfinite(quantity) or quantity < 0:
        return invalid("quantity", f"must be a number >= 0, got {quantity}")
    return text_problem("reason", reason, required=True)


def recompute_problem(as_of: dt.date | None, horizon: int) -> InvalidInput | None:
    if not 1 <= horizon <= MAX_HORIZON:
        return invalid("horizon", f"must be 1 to {MAX_HORIZON} weeks, got {horizon}")
    if as_of is not None and as_of > dt.date.today():
        return invalid("asOf", f"must not be in the future, got {as_of.isoformat()}")
    return None
