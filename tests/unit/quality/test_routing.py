"""Assignment by rule and segment; escalation along the segment's path with a set clock."""

from __future__ import annotations

import datetime as dt

from quality import (
    EscalationPath,
    Finding,
    FindingState,
    OwnerRule,
    RoutingPolicy,
    Severity,
    Subject,
    TrackedFinding,
    acknowledge,
    due_escalations,
)

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)

POLICY = RoutingPolicy(
    default_owner="integration-team",
    owners=[
        OwnerRule(owner="fast-planners", segment="FAST"),
        OwnerRule(owner="receiving", rule="RECEIPT_QTY_MISMATCH"),
        OwnerRule(owner="fast-buyers", rule="ASN_UNKNOWN_PO", segment="FAST"),
    ],
    escalation={
        "FAST": EscalationPath(owners=["fast-lead", "supply-director"], after_hours=4),
    },
    default_escalation=EscalationPath(owners=["integration-lead"], after_hours=24),
)


def finding(rule: str = "ASN_UNKNOWN_PO", segment: str | None = "FAST",
            severity: Severity = Severity.CRITICAL) -> Finding:  # fmt: skip
    return Finding(rule, severity, Subject("ship_notice", "SH1"), "msg", segment, "SUP1")


def tracked(f: Finding, owner: str, state: FindingState = FindingState.OPEN) -> TrackedFinding:
    return TrackedFinding(f, state, T0, T0, owner=owner, changed_at=T0)


def test_the_most_specific_owner_wins() -> None:
    assert POLICY.owner_for(finding()) == "fast-buyers"
    assert POLICY.owner_for(finding("ASN_LATE_SHIPMENT")) == "fast-planners"
    assert POLICY.owner_for(finding("RECEIPT_QTY_MISMATCH", "SPARE")) == "receiving"
    assert POLICY.owner_for(finding("ASN_LATE_SHIPMENT", "SPARE")) == "integration-team"


def test_a_critical_finding_escalates_after_n_hours_one_level_at_a_time() -> None:
    start = tracked(finding(), "fast-buyers")
    assert due_escalations([start], POLICY, T0 + 3 * HOUR) == []
    [first] = due_escalations([start], POLICY, T0 + 4 * HOUR)
    assert (first.from_owner, first.to_owner, first.level) == ("fast-buyers", "fast-lead", 1)
    assert first.event.action == "finding.escalated" and first.hours_waiting == 4
    assert due_escalations([first.finding], POLICY, T0 + 7 * HOUR) == []
    [second] = due_escalations([first.finding], POLICY, T0 + 8 * HOUR)
    assert second.to_owner == "supply-director" and second.level == 2
    assert due_escalations([second.finding], POLICY, T0 + 100 * HOUR) == []  # end of the path


def test_only_open_findings_of_the_path_severities_escalate() -> None:
    late = T0 + 10 * HOUR
    warning = tracked(finding(severity=Severity.WARNING), "fast-planners")
    assert due_escalations([warning], POLICY, late) == []
    acked = acknowledge(tracked(finding(), "fast-buyers"), "ann", T0 + HOUR).finding
    assert due_escalations([acked], POLICY, late) == []
    resolved = tracked(finding(), "fast-buyers", FindingState.RESOLVED)
    assert due_escalations([resolved], POLICY, late) == []


def test_segments_without_a_path_use_the_default() -> None:
    spare = tracked(finding(segment="SPARE"), "integration-team")
    assert due_escalations([spare], POLICY, T0 + 23 * HOUR) == []
    [up] = due_escalations([spare], POLICY, T0 + 24 * HOUR)
    assert up.to_owner == "integration-lead"
    assert due_escalations([spare], RoutingPolicy(), T0 + 1000 * HOUR) == []


def test_an_owner_already_on_the_path_is_skipped() -> None:
    held = tracked(finding(), "fast-lead")
    [up] = due_escalations([held], POLICY, T0 + 5 * HOUR)
    assert up.to_owner == "supply-director" and up.level == 2
