"""What is shared with a supplier: its planning schedules (forecasts) and its scorecard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from access import NotVisible
from gateway.app.auth import CurrentCaller
from gateway.app.deps import Sessions
from gateway.app.problems import problem
from gateway.app.reads import (
    NOT_MODIFIED,
    Cursor,
    DateFrom,
    DateTo,
    bad_range,
    document_page,
    with_etag,
)
from gateway.model import PlanningSchedule, Purpose
from gateway.model.types import Code
from gateway.scorecards import Scorecard, compute_scorecard, stored_scorecard
from gateway.store.schedules import (
    ScheduleFilters,
    get_planning_schedule,
    list_planning_schedules,
)

router = APIRouter(prefix="/api/v1", tags=["supplier reads"])


class PlanningSchedulePage(BaseModel):
    """A page of planning schedules; ``next_cursor`` continues, null on the last page."""

    items: list[PlanningSchedule]
    next_cursor: int | None


@router.get(
    "/planning-schedules",
    summary="Planning schedules (forecasts) shared with the caller, cursor-paginated",
    description="A supplier sees the schedules addressed to it (their `supplier_id`), a "
    "planner those with items in its segments; lines of other segments are left out. "
    "`date_from` / `date_to` keep the schedules whose horizon overlaps the range; "
    "`purpose` keeps originals, changes, replacements, ...",
    responses={200: {"model": PlanningSchedulePage}, **NOT_MODIFIED},
)
def planning_schedules(
    request: Request,
    caller: CurrentCaller,
    sessions: Sessions,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    purpose: Purpose | None = None,
) -> Response:
    scope = caller.scope("planning_schedule", "read")
    if (refusal := bad_range(date_from, date_to)) is not None:
        return refusal
    filters = ScheduleFilters(date_from, date_to, purpose.value if purpose else None)
    with sessions() as session:
        schedules, last = list_planning_schedules(
            session, scope, after_id=cursor, limit=limit, filters=filters
        )
    return document_page(request, list(schedules), last, limit)


@router.get(
    "/planning-schedules/{schedule_id}",
    summary="One planning schedule shared with the caller (the latest version)",
    responses={200: {"model": PlanningSchedule}, 304: NOT_MODIFIED[304]},
)
def planning_schedule(
    request: Request, schedule_id: Code, caller: CurrentCaller, sessions: Sessions
) -> Response:
    scope = caller.record_scope("planning_schedule")
    with sessions() as session:
        schedule = get_planning_schedule(session, scope, schedule_id)
    if schedule is None:  # absent or not addressed to the caller: the same answer, audited
        raise NotVisible(f"no planning schedule {schedule_id}")
    return with_etag(request, schedule.model_dump(mode="json", exclude={"provenance"}))


@router.get(
    "/scorecard",
    summary="Delivery scorecard per segment and period, from the caller's POs and receipts",
    description="OTIF, fill rate, ASN accuracy, quality, score and tier per supplier, "
    "segment and period (`freq`: W, M or Q) over the PO lines requested between `date_from` "
    "and `date_to`, computed from the stored orders, ship notices and receipts. With "
    "`source=stored`, the monthly scorecards of the newest forecast run instead (the figures "
    "planners see in GraphQL, with commit reliability; `freq` must be M). A supplier "
    "sees only its own (`supplier_id` is ignored) and no peer ranks; a planner may name one "
    "supplier of its segments.",
    responses={200: {"model": Scorecard}, **NOT_MODIFIED},
)
def scorecard(
    request: Request,
    caller: CurrentCaller,
    sessions: Sessions,
    freq: Literal["W", "M", "Q"] = "M",
    date_from: DateFrom = None,
    date_to: DateTo = None,
    supplier_id: Annotated[Code | None, Query(description="Planners: one supplier")] = None,
    source: Annotated[
        Literal["computed", "stored"],
        Query(description="computed: now, from the documents; stored: the newest forecast run"),
    ] = "computed",
) -> Response:
    scope = caller.scope("scorecard", "read")
    if (refusal := bad_range(date_from, date_to)) is not None:
        return refusal
    if source == "stored" and freq != "M":
        detail = "stored scorecards are monthly: ask for freq=M, or source=computed"
        error = {"field": "query.freq", "message": detail, "type": "value_error"}
        return problem(422, "Invalid request", detail, errors=[error])
    window = {"date_from": date_from, "date_to": date_to}
    supplier = scope.supplier_id or supplier_id
    with sessions() as session:
        if source == "stored":
            card = stored_scorecard(session, scope, supplier_id=supplier, **window)
        else:
            card = compute_scorecard(session, scope, supplier_id=supplier, freq=freq, **window)
    return with_etag(request, card.model_dump(mode="json"))
