# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field and mutation decorators as returning Any)
"""Mutations: each validates its input, writes the audit log in the same transaction as the
change, and returns a union of its result and the typed errors (errors.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry

from access import Forbidden as Denied
from access import Scope
from gateway.graphql import planning_mutations as plan
from gateway.graphql.context import GraphInfo
from gateway.graphql.documents import Finding
from gateway.graphql.errors import Forbidden, InvalidInput, NotAllowedInState, NotFound, invalid
from gateway.graphql.policy import PlanningPolicyInput, SegmentPolicyChanged, change_policy
from gateway.store import dead_letters
from gateway.store import findings as store
from gateway.store.audit import record
from gateway.sync_x12 import renumber_for_replay
from quality import TransitionError, apply_action

MAX_TEXT = 2000
# TransitionError codes that are about an argument rather than the finding's state
_INPUT_CODES = {
    "QUALITY_NOTE_REQUIRED": "note",
    "QUALITY_REASON_REQUIRED": "reason",
    "QUALITY_WAIVER_EXPIRY": "until",
}


@strawberry.type(description="The finding after the move.")
class FindingChanged:
    finding: Finding


@strawberry.type
class DeadLetterReplayed:
    original_id: strawberry.ID
    replay_id: strawberry.ID
    control_number: str | None = strawberry.field(description="The replay's ISA13 (X12).")


FindingResult = Annotated[
    FindingChanged | NotFound | Forbidden | InvalidInput | NotAllowedInState,
    strawberry.union("FindingResult"),
]
SegmentPolicyResult = Annotated[
    SegmentPolicyChanged | NotFound | Forbidden | InvalidInput | NotAllowedInState,
    strawberry.union("SegmentPolicyResult"),
]
ReplayResult = Annotated[
    DeadLetterReplayed | NotFound | Forbidden | InvalidInput | NotAllowedInState,
    strawberry.union("ReplayResult"),
]


async def permitted(info: GraphInfo, obj: str, act: str, operation: str) -> Scope | Forbidden:
    """The write scope, or a Forbidden result with the denial in the audit log (as REST)."""
    decided = info.context.decide(obj, act)
    if not isinstance(decided, Denied):
        return decided
    detail = {"code": decided.code, "status": 403, "reason": str(decided)}
    actor = info.context.principal_id
    await info.context.write(
        lambda s: record(s, actor, "access.denied", "graphql", f"mutation {operation}", detail)
    )
    return Forbidden(message=str(decided), code=decided.code)


async def _move_finding(
    info: GraphInfo,
    operation: str,
    action: str,
    fingerprint: str,
    reason: str | None,
    until: dt.datetime | None = None,
) -> FindingResult:
    if reason is not None and len(reason) > MAX_TEXT:
        field = "note" if action != "waive" else "reason"
        return invalid(field, f"at most {MAX_TEXT} characters, got {len(reason)}")
    if until is not None and until.tzinfo is None:
        return invalid("until", "give the expiry with a time zone, e.g. 2026-12-01T00:00:00Z")
    scope = await permitted(info, "finding", "write", operation)
    if isinstance(scope, Forbidden):
        return scope
    actor, now = info.context.principal_id, dt.datetime.now(dt.UTC)

    def move(session: Any) -> FindingResult:
        # Locked on PostgreSQL; compared on SQLite, which reads outside the write (as REST).
        row = store.get_finding(session, scope, fingerprint, lock=True)
        if row is None:
            return NotFound(message=f"no finding {fingerprint}", code="finding.not_found")
        before = store.tracked(row)
        try:
            moved = apply_action(before, action, actor, now, reason=reason, until=until)
        except TransitionError as error:
            if error.code in _INPUT_CODES:
                return invalid(_INPUT_CODES[error.code], str(error), error.code)
            return NotAllowedInState(message=str(error), code=error.code)
        if not store.update_unless_changed(session, before, moved.finding):
            message = f"finding {fingerprint} changed during this {action}: read it again"
            return NotAllowedInState(message=message, code="QUALITY_CONCURRENT_CHANGE")
        store.audit_events(session, [moved.event])
        session.flush()
        session.refresh(row)
        return FindingChanged(finding=Finding.of(row))

    return await info.context.write(move)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open → acknowledged: someone owns it now (audited).")
    async def acknowledge_finding(
        self, info: GraphInfo, fingerprint: str, note: str | None = None
    ) -> FindingResult:
        return await _move_finding(info, "acknowledgeFinding", "acknowledge", fingerprint, note)

    @strawberry.mutation(description="Open or acknowledged → resolved, with a note (audited).")
    async def resolve_finding(self, info: GraphInfo, fingerprint: str, note: str) -> FindingResult:
        return await _move_finding(info, "resolveFinding", "resolve", fingerprint, note)

    @strawberry.mutation(description="→ waived until a time, with a reason (audited).")
    async def waive_finding(
        self, info: GraphInfo, fingerprint: str, reason: str, until: dt.datetime
    ) -> FindingResult:
        return await _move_finding(info, "waiveFinding", "waive", fingerprint, reason, until)

    @strawberry.mutation(
        description="Change a segment's service level, allowed forecast methods or review "
        "cycle (audited with before and after)."
    )
    async def update_segment_policy(
        self, info: GraphInfo, segment_id: strawberry.ID, input: PlanningPolicyInput
    ) -> SegmentPolicyResult:
        problem = input.problem()
        if problem is not None:
            return problem
        scope = await permitted(info, "segment_policy", "write", "updateSegmentPolicy")
        if isinstance(scope, Forbidden):
            return scope
        actor = info.context.principal_id
        return await info.context.write(
            lambda s: change_policy(s, scope, str(segment_id), input, actor)
        )

    @strawberry.mutation(
        description="Queue a dead letter again as a new delivery (X12 gets fresh control "
        "numbers); the original turns replayed (audited)."
    )
    async def replay_dead_letter(
        self, info: GraphInfo, delivery_id: strawberry.ID, body: str | None = None
    ) -> ReplayResult:
        scope = await permitted(info, "delivery", "write", "replayDeadLetter")
        if isinstance(scope, Forbidden):
            return scope
        if scope.segments is not None:  # deliveries belong to partners: a global grant only
            return Forbidden(
                message="deliveries need a global grant (integration or admin)",
                code="access.scope",
            )
        actor = info.context.principal_id
        fixed = None if body is None else body.encode("utf-8")

        def replay(session: Any) -> ReplayResult:
            try:
                done = dead_letters.replay(
                    session, str(delivery_id), actor=actor, renumber=renumber_for_replay, body=fixed
                )
            except LookupError:
                return NotFound(message=f"no delivery {delivery_id}", code="delivery.not_found")
            except ValueError as error:
                return NotAllowedInState(message=str(error), code="delivery.not_dead")
            return DeadLetterReplayed(
                original_id=strawberry.ID(done.original),
                replay_id=strawberry.ID(done.replay),
                control_number=done.control_number,
            )

        return await info.context.write(replay)

    @strawberry.mutation(
        description="Override the consensus forecast of an item-location-week with a reason "
        "(planner or admin of the item's segment; audited as plan.forecast_overridden)."
    )
    async def override_forecast(
        self,
        info: GraphInfo,
        item_id: strawberry.ID,
        location_id: strawberry.ID,
        period_start: dt.date,
        quantity: float,
        reason: str,
    ) -> plan.OverrideResult:
        problem = plan.override_problem(quantity, reason)
        if problem is not None:
            return problem
        scope = await permitted(info, "forecast_override", "write", "overrideForecast")
        if isinstance(scope, Forbidden):
            return scope
        actor = info.context.principal_id
        args = {"period_start": period_start, "quantity": quantity, "reason": reason}
        return await info.context.write(
            lambda s: plan.override(s, scope, actor, str(item_id), str(location_id), args)
        )

    @strawberry.mutation(
        description="Apply a pending classification proposal (every segment it changes must "
        "be yours; audited per item)."
    )
    async def approve_proposal(
        self, info: GraphInfo, id: strawberry.ID, note: str | None = None
    ) -> plan.DecisionResult:
        return await _decide(info, "approveProposal", id, note, approve=True)

    @strawberry.mutation(description="Close a pending proposal unapplied, with a note (audited).")
    async def reject_proposal(
        self, info: GraphInfo, id: strawberry.ID, note: str
    ) -> plan.DecisionResult:
        return await _decide(info, "rejectProposal", id, note, approve=False)

    @strawberry.mutation(
        description="Queue the newest run's consensus for a supplier's items as an X12 830 "
        "through sync (audited as plan.forecast_published)."
    )
    async def publish_forecast(
        self, info: GraphInfo, supplier_id: strawberry.ID
    ) -> plan.PublishResult:
        scope = await permitted(info, "planning_schedule", "write", "publishForecast")
        if isinstance(scope, Forbidden):
            return scope
        actor = info.context.principal_id
        return await info.context.write(lambda s: plan.publish(s, scope, actor, str(supplier_id)))

    @strawberry.mutation(
        description="Recompute forecasts, buffers and scorecards as a new run. Runs inline "
        "(seconds on the demo) and answers the stored run; one at a time per process."
    )
    async def recompute(
        self, info: GraphInfo, as_of: dt.date | None = None, horizon: int = 26
    ) -> plan.RecomputeResult:
        problem = plan.recompute_problem(as_of, horizon)
        if problem is not None:
            return problem
        scope = await permitted(info, "forecast_override", "write", "recompute")
        if isinstance(scope, Forbidden):
            return scope
        actor = info.context.principal_id
        return await info.context.write(lambda s: plan.run_recompute(s, actor, as_of, horizon))


async def _decide(
    info: GraphInfo, operation: str, id: strawberry.ID, note: str | None, *, approve: bool
) -> plan.DecisionResult:
    problem = plan.text_problem("note", note, required=not approve)
    if problem is not None:
        return problem
    if not str(id).isdigit():
        return invalid("id", f"a proposal id is a number, got {id!r}")
    scope = await permitted(info, "segmentation", "write", operation)
    if isinstance(scope, Forbidden):
        return scope
    actor = info.context.principal_id
    return await info.context.write(
        lambda s: plan.decide(s, scope, actor, int(str(id)), approve, note or "")
    )
