"""The findings state machine with a controlled clock."""

from __future__ import annotations

import datetime as dt

import pytest

from quality import (
    SYSTEM_ACTOR,
    Finding,
    FindingState,
    Severity,
    Subject,
    TrackedFinding,
    TransitionError,
    acknowledge,
    apply_action,
    expire_waivers,
    reopen,
    resolve,
    waive,
)

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def tracked(state: FindingState = FindingState.OPEN, **changes: object) -> TrackedFinding:
    finding = Finding("ASN_UNKNOWN_PO", Severity.CRITICAL, Subject("ship_notice", "SH1"), "msg",
                      segment_id="FAST", supplier_id="SUP1")  # fmt: skip
    return TrackedFinding(finding, state, T0, T0, **changes)  # type: ignore[arg-type]


def test_acknowledge_then_resolve_records_who_when_from_to_why() -> None:
    ack = acknowledge(tracked(), "ann", T0 + HOUR, "looking")
    assert ack.finding.state is FindingState.ACKNOWLEDGED
    event = ack.event
    assert (event.actor, event.at, event.action) == ("ann", T0 + HOUR, "finding.acknowledged")
    assert (event.from_state, event.to_state, event.reason) == (
        FindingState.OPEN,
        FindingState.ACKNOWLEDGED,
        "looking",
    )
    done = resolve(ack.finding, "ann", T0 + 2 * HOUR, "PO keyed in the ERP")
    assert done.finding.state is FindingState.RESOLVED
    assert done.finding.resolution_note == "PO keyed in the ERP"
    assert done.event.detail()["from"] == "acknowledged"


def test_resolve_needs_a_note() -> None:
    with pytest.raises(TransitionError) as caught:
        resolve(tracked(), "ann", T0, "  ")
    assert caught.value.code == "QUALITY_NOTE_REQUIRED"


def test_invalid_transitions_raise_with_a_stable_code() -> None:
    with pytest.raises(TransitionError) as caught:
        acknowledge(tracked(FindingState.RESOLVED), "ann", T0)
    assert caught.value.code == "QUALITY_INVALID_TRANSITION"
    assert "resolved" in str(caught.value)
    with pytest.raises(TransitionError):
        reopen(tracked(), "ann", T0, "why")
    with pytest.raises(TransitionError):
        resolve(tracked(FindingState.WAIVED), "ann", T0, "note")


def test_waive_needs_reason_and_future_expiry() -> None:
    with pytest.raises(TransitionError) as caught:
        waive(tracked(), "ann", T0, "known issue", T0)
    assert caught.value.code == "QUALITY_WAIVER_EXPIRY"
    with pytest.raises(TransitionError) as caught:
        waive(tracked(), "ann", T0, "", T0 + HOUR)
    assert caught.value.code == "QUALITY_REASON_REQUIRED"
    waived = waive(tracked(), "ann", T0, "supplier migrating", T0 + 24 * HOUR).finding
    assert waived.state is FindingState.WAIVED and waived.waiver_expires == T0 + 24 * HOUR


def test_an_expired_waiver_reopens() -> None:
    waived = waive(tracked(), "ann", T0, "supplier migrating", T0 + 24 * HOUR).finding
    assert expire_waivers([waived], T0 + 23 * HOUR) == []
    [moved] = expire_waivers([waived, tracked()], T0 + 24 * HOUR)
    assert moved.finding.state is FindingState.OPEN and moved.finding.waiver_expires is None
    assert moved.event.actor == SYSTEM_ACTOR and moved.event.action == "finding.reopened"


def test_apply_action_dispatches_by_name() -> None:
    assert apply_action(tracked(), "acknowledge", "ann", T0).finding.state is (
        FindingState.ACKNOWLEDGED
    )
    waived = apply_action(tracked(), "waive", "ann", T0, reason="ok", until=T0 + HOUR)
    assert waived.finding.state is FindingState.WAIVED
    assert apply_action(waived.finding, "reopen", "bob", T0, reason="no").finding.state is (
        FindingState.OPEN
    )
    with pytest.raises(TransitionError) as caught:
        apply_action(tracked(), "delete", "ann", T0)
    assert caught.value.code == "QUALITY_UNKNOWN_ACTION"
    with pytest.raises(TransitionError):
        apply_action(tracked(), "waive", "ann", T0, reason="no expiry")
