"""Acknowledgment rules: overdue, rejected and partially accepted 997s of what we sent."""

from __future__ import annotations

import datetime as dt

from quality import (
    ACK_RULES,
    FindingState,
    QualityConfig,
    SentInterchange,
    build_frames,
    master_frames,
    reconcile,
    run_rules,
    select_rules,
)
from quality.findings import Finding
from quality.rules.acknowledgments import interchange_subject

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def sent(
    status: str = "waiting",
    *,
    number: str = "000000042",
    partner: str = "SUP1",
    due_h: float = -1.0,  # hours from NOW; negative: past due
) -> SentInterchange:
    delivered = NOW - dt.timedelta(hours=48)
    return SentInterchange(
        partner, "850", f"d{number}", number, delivered, NOW + dt.timedelta(hours=due_h), status
    )


def check(*items: SentInterchange, config: QualityConfig | None = None) -> list[Finding]:
    config = config or QualityConfig()
    frames = build_frames([], items)
    rules = select_rules(ACK_RULES, config=config)
    return run_rules(frames, master_frames(), config, NOW, rules)


def test_a_997_past_its_window_is_overdue() -> None:
    (found,) = check(sent(due_h=-2.5))
    assert found.rule == "ACK_OVERDUE" and found.subject.key == "SUP1/000000042"
    assert found.values["hours_overdue"] == 2.5 and found.values["delivery_id"] == "d000000042"
    assert "No 997 from SUP1 for interchange 000000042 (850)" in found.message
    assert found.supplier_id == "SUP1"  # no supplier master data: every partner counts
    # the store resolves it by this subject when the 997 arrives
    assert found.subject == interchange_subject("SUP1", "000000042")


def test_within_the_window_or_the_partners_grace_nothing_is_found() -> None:
    assert check(sent(due_h=3)) == []
    lenient = QualityConfig(partners={"SUP1": {"ack_grace_hours": 4}})
    assert check(sent(due_h=-2.5), config=lenient) == []
    assert [f.rule for f in check(sent(due_h=-5), config=lenient)] == ["ACK_OVERDUE"]


def test_accepted_answers_raise_nothing_and_problems_raise_one_each() -> None:
    found = check(
        sent("accepted", number="1"),
        sent("rejected", number="2"),
        sent("partially_accepted", number="3"),
        sent("accepted_with_errors", number="4"),
    )
    by_key = {f.subject.key: f for f in found}
    assert set(by_key) == {"SUP1/2", "SUP1/3", "SUP1/4"}
    assert by_key["SUP1/2"].rule == "ACK_REJECTED" and "AK9 R" in by_key["SUP1/2"].message
    assert by_key["SUP1/3"].values["ak901"] == "P" and by_key["SUP1/4"].values["ak901"] == "E"
    assert by_key["SUP1/4"].severity.value == "warning"


def test_the_997_arriving_resolves_the_overdue_finding_and_a_rejection_opens_one() -> None:
    first = reconcile([], check(sent(due_h=-1)), NOW)
    (overdue,) = first.created
    later = NOW + dt.timedelta(hours=1)
    second = reconcile(first.created, check(sent("rejected", due_h=-1)), later)
    assert [f.fingerprint for f in second.resolved] == [overdue.fingerprint]
    assert second.resolved[0].state is FindingState.RESOLVED
    assert [f.finding.rule for f in second.created] == ["ACK_REJECTED"]


def test_ack_rules_judge_feeds_not_single_documents() -> None:
    assert not {r.code for r in select_rules(streaming=True)} & set(ACK_RULES)
    assert check() == []  # nothing sent, nothing to judge
