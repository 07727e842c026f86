"""Reconciling a run with stored findings: create, refresh, auto-resolve, keep, reopen."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from quality import (
    AUTO_RESOLVE_NOTE,
    Finding,
    FindingState,
    OwnerRule,
    RoutingPolicy,
    Severity,
    Subject,
    TrackedFinding,
    apply_reconciliation,
    reconcile,
    resolve,
    waive,
)

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=6)


def finding(key: str, rule: str = "ASN_LATE_SHIPMENT", message: str = "late") -> Finding:
    return Finding(rule, Severity.WARNING, Subject("ship_notice", key), message, "FAST", "SUP1")


def stored(*findings: Finding, now: dt.datetime = T0) -> list[TrackedFinding]:
    return apply_reconciliation([], reconcile([], findings, now))


def test_new_findings_are_created_open_with_an_owner_and_an_event() -> None:
    policy = RoutingPolicy(owners=[OwnerRule(owner="fast-planners", segment="FAST")])
    result = reconcile([], [finding("SH1")], T0, policy=policy)
    [created] = result.created
    assert created.state is FindingState.OPEN and created.owner == "fast-planners"
    assert (created.first_seen, created.last_seen, created.seen_count) == (T0, T0, 1)
    assert [e.action for e in result.events] == ["finding.opened"]


def test_seen_again_updates_instead_of_creating() -> None:
    existing = stored(finding("SH1"))
    result = reconcile(existing, [finding("SH1", message="later still")], T1)
    assert result.created == [] and result.resolved == []
    [updated] = result.updated
    assert updated.seen_count == 2 and updated.last_seen == T1 and updated.first_seen == T0
    assert updated.finding.message == "later still"


def test_not_seen_any_more_is_auto_resolved_with_an_event() -> None:
    existing = stored(finding("SH1"), finding("SH2"))
    result = reconcile(existing, [finding("SH1")], T1)
    [done] = result.resolved
    assert done.finding.subject.key == "SH2" and done.state is FindingState.RESOLVED
    assert done.resolution_note == AUTO_RESOLVE_NOTE
    assert result.events[0].from_state is FindingState.OPEN


def test_auto_resolve_only_within_scope() -> None:
    existing = stored(finding("SH1"), finding("SH2"))
    result = reconcile(existing, [], T1, in_scope=lambda f: f.finding.subject.key == "SH1")
    assert [f.finding.subject.key for f in result.resolved] == ["SH1"]


def test_terminal_states_are_kept_when_not_seen() -> None:
    [open_one] = stored(finding("SH1"))
    waived = waive(open_one, "ann", T0, "ok", T1 + dt.timedelta(days=1)).finding
    result = reconcile([waived], [], T1)
    assert not result.changed


def test_a_waived_finding_seen_again_stays_waived_until_expiry() -> None:
    [open_one] = stored(finding("SH1"))
    waived = waive(open_one, "ann", T0, "ok", T1 + dt.timedelta(hours=1)).finding
    [updated] = reconcile([waived], [finding("SH1")], T1).updated
    assert updated.state is FindingState.WAIVED and updated.seen_count == 2
    later = reconcile([waived], [finding("SH1")], T1 + dt.timedelta(hours=2))
    assert [f.state for f in later.reopened] == [FindingState.OPEN]


def test_a_resolved_finding_seen_again_reopens_unless_told_not_to() -> None:
    [open_one] = stored(finding("SH1"))
    done = resolve(open_one, "ann", T0, "fixed").finding
    result = reconcile([done], [finding("SH1")], T1)
    [again] = result.reopened
    assert again.state is FindingState.OPEN and again.resolution_note is None
    assert result.events[0].reason == "seen again after resolution"
    assert not reconcile([done], [finding("SH1")], T1, reopen_resolved=False).changed


keys = st.lists(st.sampled_from(["SH1", "SH2", "SH3", "SH4"]), max_size=4)


@settings(max_examples=60, deadline=None)
@given(before=keys, after=keys)
def test_reconcile_is_idempotent(before: list[str], after: list[str]) -> None:
    existing = stored(*[finding(k) for k in before])
    fresh = [finding(k) for k in after]
    once = apply_reconciliation(existing, reconcile(existing, fresh, T1))
    again = reconcile(once, fresh, T1)
    assert not again.changed and again.events == []
    active = {f.finding.subject.key for f in once if f.state is FindingState.OPEN}
    assert active == set(after)
