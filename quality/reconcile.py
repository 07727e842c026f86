"""Merge a run's findings into the stored ones: create, refresh, auto-resolve, reopen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from quality.findings import Finding, FindingState, TrackedFinding
from quality.lifecycle import SYSTEM_ACTOR, AuditEvent
from quality.routing import RoutingPolicy

__all__ = ["AUTO_RESOLVE_NOTE", "Reconciliation", "apply_reconciliation", "reconcile"]

AUTO_RESOLVE_NOTE = "no longer seen by the monitor"
_ACTIVE = (FindingState.OPEN, FindingState.ACKNOWLEDGED)


@dataclass(frozen=True)
class Reconciliation:
    """What to write: new findings, changed ones (by fingerprint), and the audit events."""

    created: list[TrackedFinding] = field(default_factory=list)
    updated: list[TrackedFinding] = field(default_factory=list)
    resolved: list[TrackedFinding] = field(default_factory=list)
    reopened: list[TrackedFinding] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.resolved or self.reopened)


def _event(f: TrackedFinding, now: dt.datetime, action: str, before: FindingState | None,
           reason: str) -> AuditEvent:  # fmt: skip
    return AuditEvent(SYSTEM_ACTOR, now, action, f.fingerprint, before, f.state, reason)


def _seen_again(old: TrackedFinding, new: Finding, now: dt.datetime) -> TrackedFinding:
    # A re-check at the same instant is the same sighting: idempotent, not a second count.
    count = old.seen_count + (1 if now > old.last_seen else 0)
    return replace(old, finding=new, last_seen=max(now, old.last_seen), seen_count=count)


def reconcile(
    existing: Iterable[TrackedFinding],
    fresh: Iterable[Finding],
    now: dt.datetime,
    *,
    in_scope: Callable[[TrackedFinding], bool] | None = None,
    policy: RoutingPolicy | None = None,
    reopen_resolved: bool = True,
) -> Reconciliation:
    """Compare stored findings with a run's findings (matched by fingerprint).

    - new fingerprint: created open, owner from ``policy``;
    - seen again while open, acknowledged or waived: refreshed (finding, last_seen, count),
      the state kept; a waiver past its expiry reopens;
    - seen again after being resolved: reopened when ``reopen_resolved`` (a regression);
    - open or acknowledged but not seen: auto-resolved, if ``in_scope`` says the run looked at
      it (a streaming run over one document must not resolve findings about others);
    - resolved and waived findings not seen stay as they are (terminal states are kept).
    """
    stored = {f.fingerprint: f for f in existing}
    result = Reconciliation()
    seen: dict[str, Finding] = {f.fingerprint: f for f in fresh}
    for fingerprint, finding in seen.items():
        old = stored.get(fingerprint)
        if old is None:
            _create(result, finding, now, policy)
        else:
            _refresh(result, old, finding, now, reopen_resolved)
    for fingerprint, old in stored.items():
        if fingerprint in seen or old.state not in _ACTIVE:
            continue
        if in_scope is not None and not in_scope(old):
            continue
        done = replace(old, state=FindingState.RESOLVED, changed_at=now,
                       resolution_note=AUTO_RESOLVE_NOTE)  # fmt: skip
        result.resolved.append(done)
        result.events.append(_event(done, now, "finding.resolved", old.state, AUTO_RESOLVE_NOTE))
    return result


def _create(
    result: Reconciliation, finding: Finding, now: dt.datetime, policy: RoutingPolicy | None
) -> None:
    owner = policy.owner_for(finding) if policy else None
    new = TrackedFinding(finding, FindingState.OPEN, now, now, owner=owner, changed_at=now)
    result.created.append(new)
    result.events.append(_event(new, now, "finding.opened", None, finding.message))


def _refresh(
    result: Reconciliation, old: TrackedFinding, finding: Finding, now: dt.datetime,
    reopen_resolved: bool,
) -> None:  # fmt: skip
    expired = (
        old.state is FindingState.WAIVED
        and old.waiver_expires is not None
        and old.waiver_expires <= now
    )
    regressed = old.state is FindingState.RESOLVED and reopen_resolved
    if expired or regressed:
        again = replace(_seen_again(old, finding, now), state=FindingState.OPEN, changed_at=now,
                        resolution_note=None, waiver_reason=None, waiver_expires=None,
                        escalation_level=0, escalated_at=None)  # fmt: skip
        reason = "waiver expired and still seen" if expired else "seen again after resolution"
        result.reopened.append(again)
        result.events.append(_event(again, now, "finding.reopened", old.state, reason))
        return
    if old.state is FindingState.RESOLVED:
        return
    again = _seen_again(old, finding, now)
    if again != old:
        result.updated.append(again)


def apply_reconciliation(
    existing: Iterable[TrackedFinding], result: Reconciliation
) -> list[TrackedFinding]:
    """The stored findings after writing ``result`` (what a repository would hold)."""
    merged = {f.fingerprint: f for f in existing}
    for group in (result.created, result.updated, result.resolved, result.reopened):
        merged.update((f.fingerprint, f) for f in group)
    return list(merged.values())
