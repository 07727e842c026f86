"""The findings lifecycle as a pure state machine; every move yields an audit event.

open ──acknowledge──▶ acknowledged
  │ ╲                    │
  │  resolve / waive     resolve / waive
  ▼                      ▼
resolved (note)       waived (reason, expiry) ──expiry passes──▶ open
  └───────────── reopen ─────────────┘
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from quality.errors import TransitionError
from quality.findings import FindingState, TrackedFinding, Value

__all__ = [
    "SYSTEM_ACTOR",
    "AuditEvent",
    "Transition",
    "acknowledge",
    "apply_action",
    "expire_waivers",
    "reopen",
    "resolve",
    "waive",
]

SYSTEM_ACTOR = "quality-monitor"
"""The actor named on moves the monitor makes itself (open, auto-resolve, expiry, escalation)."""

OPEN, ACKNOWLEDGED = FindingState.OPEN, FindingState.ACKNOWLEDGED
RESOLVED, WAIVED = FindingState.RESOLVED, FindingState.WAIVED

ALLOWED: dict[str, frozenset[FindingState]] = {
    "acknowledge": frozenset({OPEN}),
    "resolve": frozenset({OPEN, ACKNOWLEDGED}),
    "waive": frozenset({OPEN, ACKNOWLEDGED}),
    "reopen": frozenset({RESOLVED, WAIVED}),
}


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One lifecycle move, ready for the audit log: who, when, what, from, to, why."""

    actor: str
    at: dt.datetime
    action: str  # finding.opened, finding.acknowledged, ..., finding.escalated
    fingerprint: str
    from_state: FindingState | None
    to_state: FindingState
    reason: str | None = None
    object_type: str = "finding"

    def detail(self) -> dict[str, Value]:
        """The event's particulars as a JSON-ready mapping."""
        return {
            "from": self.from_state.value if self.from_state else None,
            "to": self.to_state.value,
            "reason": self.reason,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Transition:
    """A finding after a move, and the audit event that records the move."""

    finding: TrackedFinding
    event: AuditEvent


def _move(
    finding: TrackedFinding,
    action: str,
    to: FindingState,
    actor: str,
    now: dt.datetime,
    reason: str | None,
    **changes: object,
) -> Transition:
    if finding.state not in ALLOWED[action]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[action]))
        raise TransitionError(
            f"cannot {action} finding {finding.fingerprint}: it is {finding.state.value} "
            f"(allowed from: {allowed})"
        )
    updated = replace(finding, state=to, changed_at=now, **changes)  # type: ignore[arg-type]
    event = AuditEvent(actor, now, f"finding.{_PAST[action]}", finding.fingerprint,
                       finding.state, to, reason)  # fmt: skip
    return Transition(updated, event)


_PAST = {
    "acknowledge": "acknowledged",
    "resolve": "resolved",
    "waive": "waived",
    "reopen": "reopened",
}


def _require_text(value: str | None, what: str, code: str) -> str:
    if value is None or not value.strip():
        raise TransitionError(f"a {what} is required", code=code)
    return value.strip()


def acknowledge(
    finding: TrackedFinding, actor: str, now: dt.datetime, note: str | None = None
) -> Transition:
    """Someone has seen the finding and owns it: open → acknowledged."""
    return _move(finding, "acknowledge", ACKNOWLEDGED, actor, now, note)


def resolve(finding: TrackedFinding, actor: str, now: dt.datetime, note: str) -> Transition:
    """The problem is fixed: open or acknowledged → resolved, with a resolution note."""
    text = _require_text(note, "resolution note", "QUALITY_NOTE_REQUIRED")
    return _move(finding, "resolve", RESOLVED, actor, now, text, resolution_note=text)


def waive(
    finding: TrackedFinding, actor: str, now: dt.datetime, reason: str, until: dt.datetime
) -> Transition:
    """Accept the problem for a while: → waived, with a reason and an expiry in the future."""
    text = _require_text(reason, "waiver reason", "QUALITY_REASON_REQUIRED")
    if until <= now:
        raise TransitionError(
            f"waiver expiry {until.isoformat()} is not after {now.isoformat()}",
            code="QUALITY_WAIVER_EXPIRY",
        )
    return _move(finding, "waive", WAIVED, actor, now, text,
                 waiver_reason=text, waiver_expires=until)  # fmt: skip


def reopen(finding: TrackedFinding, actor: str, now: dt.datetime, reason: str) -> Transition:
    """Resolved or waived → open again (the problem is back, or the waiver was a mistake)."""
    text = _require_text(reason, "reason to reopen", "QUALITY_REASON_REQUIRED")
    return _move(finding, "reopen", OPEN, actor, now, text,
                 resolution_note=None, waiver_reason=None, waiver_expires=None,
                 escalation_level=0, escalated_at=None)  # fmt: skip


def expire_waivers(findings: Iterable[TrackedFinding], now: dt.datetime) -> list[Transition]:
    """Reopen every waived finding whose waiver has expired at ``now``."""
    return [
        reopen(f, SYSTEM_ACTOR, now, f"waiver expired {f.waiver_expires.isoformat()}")
        for f in findings
        if f.state is WAIVED and f.waiver_expires is not None and f.waiver_expires <= now
    ]


def apply_action(
    finding: TrackedFinding,
    action: str,
    actor: str,
    now: dt.datetime,
    *,
    reason: str | None = None,
    until: dt.datetime | None = None,
) -> Transition:
    """Dispatch a move by name (what a REST endpoint receives): acknowledge, resolve, waive,
    reopen. Unknown actions raise ``TransitionError`` with code QUALITY_UNKNOWN_ACTION."""
    if action == "acknowledge":
        return acknowledge(finding, actor, now, reason)
    if action == "resolve":
        return resolve(finding, actor, now, reason or "")
    if action == "waive":
        if until is None:
            raise TransitionError("a waiver needs an expiry", code="QUALITY_WAIVER_EXPIRY")
        return waive(finding, actor, now, reason or "", until)
    if action == "reopen":
        return reopen(finding, actor, now, reason or "")
    raise TransitionError(f"unknown action {action!r}", code="QUALITY_UNKNOWN_ACTION")
