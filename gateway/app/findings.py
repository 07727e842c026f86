"""Findings for planners, integration teams and (about their own documents) suppliers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from access import NotVisible
from gateway.app.auth import CurrentCaller
from gateway.app.deps import Sessions
from gateway.app.problems import problem
from gateway.app.reads import Cursor, with_etag
from gateway.store import findings as store
from quality import TransitionError, apply_action, to_record

router = APIRouter(prefix="/api/v1/findings", tags=["findings"])


class ActionIn(BaseModel):
    reason: str | None = Field(
        None, max_length=2000, description="Why (required to resolve, waive or reopen)."
    )
    until: dt.datetime | None = Field(None, description="When a waiver expires.")


@router.get("", summary="Findings in the caller's scope, filtered, cursor-paginated")
def list_findings(
    request: Request,
    caller: CurrentCaller,
    sessions: Sessions,
    rule: str | None = None,
    severity: str | None = None,
    state: str | None = None,
    segment_id: str | None = None,
    supplier_id: str | None = None,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    scope = caller.scope("finding", "read")
    filters = {
        "rule": rule,
        "severity": severity,
        "state": state,
        "segment_id": segment_id,
        "supplier_id": supplier_id,
    }
    with sessions() as session:
        rows, last = store.list_findings(
            session, scope, filters=filters, after_id=cursor, limit=limit
        )
    items = [{"id": row_id, **to_record(tracked)} for row_id, tracked in rows]
    return with_etag(request, {"items": items, "next_cursor": last if len(rows) == limit else None})


@router.get("/summary", summary="Findings per rule, severity and state in the caller's scope")
def summary(caller: CurrentCaller, sessions: Sessions) -> list[dict[str, Any]]:
    scope = caller.scope("finding", "read")
    with sessions() as session:
        counts = store.counts_by_rule(session, scope)
    return [{"rule": r, "severity": s, "state": st, "count": n} for r, s, st, n in counts]


@router.post(
    "/{fingerprint}/{action}",
    summary="Acknowledge, resolve, waive or reopen a finding (audited)",
    responses={409: {"description": "The finding's state does not allow this action"}},
)
def act(
    fingerprint: str,
    action: Literal["acknowledge", "resolve", "waive", "reopen"],
    body: ActionIn,
    caller: CurrentCaller,
    sessions: Sessions,
) -> Any:
    scope = caller.scope("finding", "write")
    now = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        # Locked on PostgreSQL so that a check cannot write between this read and the move;
        # SQLite reads outside the write transaction, so the write compares what it read.
        row = store.get_finding(session, scope, fingerprint, lock=True)
        if row is None:
            raise NotVisible(f"no finding {fingerprint}")
        before = store.tracked(row)
        try:
            moved = apply_action(
                before,
                action,
                caller.principal.id,
                now,
                reason=body.reason,
                until=body.until,
            )
        except TransitionError as error:
            return problem(409, "Not allowed in this state", str(error), code=error.code)
        if not store.update_unless_changed(session, before, moved.finding):
            return problem(
                409,
                "Changed meanwhile",
                f"finding {fingerprint} changed while this {action} was applied: read it again",
                code="QUALITY_CONCURRENT_CHANGE",
            )
        store.audit_events(session, [moved.event])
    return to_record(moved.finding)
