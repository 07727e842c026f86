"""Who owns a finding (by rule and segment) and when it climbs the segment's escalation path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field

from quality.findings import Finding, FindingState, Severity, TrackedFinding
from quality.lifecycle import SYSTEM_ACTOR, AuditEvent

__all__ = ["Escalation", "EscalationPath", "OwnerRule", "RoutingPolicy", "due_escalations"]


class OwnerRule(BaseModel):
    """Findings of ``rule`` (any when None) in ``segment`` (any when None) go to ``owner``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner: str = Field(min_length=1)
    rule: str | None = None
    segment: str | None = None

    @property
    def specificity(self) -> int:
        # Rule and segment beat rule alone, which beats segment alone.
        return (2 if self.rule else 0) + (1 if self.segment else 0)

    def matches(self, finding: Finding) -> bool:
        return (self.rule is None or self.rule == finding.rule) and (
            self.segment is None or self.segment == finding.segment_id
        )


class EscalationPath(BaseModel):
    """Owners to escalate to in turn when a finding stays unhandled ``after_hours``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owners: list[str] = Field(min_length=1)
    after_hours: float = Field(4.0, gt=0)
    severities: frozenset[Severity] = frozenset({Severity.CRITICAL})
    states: frozenset[FindingState] = frozenset({FindingState.OPEN})


class RoutingPolicy(BaseModel):
    """Owner groups by rule and segment, and escalation paths by segment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default_owner: str = "integration-team"
    owners: list[OwnerRule] = Field(default_factory=list)
    escalation: dict[str, EscalationPath] = Field(default_factory=dict)
    default_escalation: EscalationPath | None = None

    def owner_for(self, finding: Finding) -> str:
        """The most specific matching owner group (ties: the first listed)."""
        matching = [rule for rule in self.owners if rule.matches(finding)]
        if not matching:
            return self.default_owner
        return max(matching, key=lambda rule: rule.specificity).owner

    def path_for(self, segment_id: str | None) -> EscalationPath | None:
        return self.escalation.get(segment_id or "", self.default_escalation)


@dataclass(frozen=True, slots=True)
class Escalation:
    """A finding handed to the next owner: the updated finding and its audit event."""

    finding: TrackedFinding
    from_owner: str | None
    to_owner: str
    level: int
    hours_waiting: float
    event: AuditEvent


def _next_owner(path: EscalationPath, finding: TrackedFinding) -> str | None:
    # Level n has been handed to owners[n-1]; skip an owner who already holds it.
    for owner in path.owners[finding.escalation_level :]:
        if owner != finding.owner:
            return owner
    return None


def due_escalations(
    findings: Iterable[TrackedFinding], policy: RoutingPolicy, now: dt.datetime
) -> list[Escalation]:
    """Findings whose segment path says they waited too long, one level up each.

    A finding waits from when it was opened (or last escalated, or last changed state);
    call this periodically: each call climbs at most one level, and the next level is due
    ``after_hours`` after this one.
    """
    due = []
    for finding in findings:
        path = policy.path_for(finding.finding.segment_id)
        if path is None or finding.state not in path.states:
            continue
        if finding.finding.severity not in path.severities:
            continue
        since = max(t for t in (finding.first_seen, finding.escalated_at, finding.changed_at) if t)
        hours = (now - since).total_seconds() / 3600
        target = _next_owner(path, finding)
        if hours < path.after_hours or target is None:
            continue
        level = path.owners.index(target) + 1
        updated = replace(finding, owner=target, escalation_level=level, escalated_at=now)
        reason = f"{finding.state.value} for {hours:.1f} h (limit {path.after_hours:g} h)"
        event = AuditEvent(SYSTEM_ACTOR, now, "finding.escalated", finding.fingerprint,
                           finding.state, finding.state, reason)  # fmt: skip
        due.append(Escalation(updated, finding.owner, target, level, round(hours, 2), event))
    return due
