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
