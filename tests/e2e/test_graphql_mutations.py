"""Mutations over HTTP: typed results and errors, validation, scope, and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import AuditRow, SegmentRow
from tests.e2e.graphql_world import World, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world() as built:
        yield built


RESULT = """__typename
    ... on UserError { message code }
    ... on InvalidInput { field }"""


def _open_finding(world: World, segment: str) -> str:
    data = world.data(
        f'{{ findings(filter: {{segmentId: "{segment}", states: [OPEN]}}, first: 10)'
        f" {{ nodes {{ fingerprint }} }} }}"
    )
    return str(data["findings"]["nodes"][0]["fingerprint"])


def _act(world: World, mutation: str, args: str, as_: str) -> dict[str, Any]:
    fields = "state resolutionNote waiverReason waiverExpires"
    text = f"mutation {{ r: {mutation}({args}) {{ {RESULT} ... on FindingChanged"
    text += f" {{ finding {{ {fields} }} }} }} }}"
    result: dict[str, Any] = world.data(text, as_=as_)["r"]
    return result


def _trail(world: World, subject: str) -> list[tuple[str, str]]:
    with world.sessions() as session:
        rows = session.scalars(
            select(AuditRow).where(AuditRow.subject_id == subject).order_by(AuditRow.id)
        ).all()
    return [(row.action, row.actor) for row in rows]


def test_acknowledge_then_resolve_a_finding_is_audited(world: World) -> None:
    fp = _open_finding(world, world.planner_segments[0])
    acked = _act(world, "acknowledgeFinding", f'fingerprint: "{fp}", note: "mine"', "planner")
    assert acked["__typename"] == "FindingChanged" and acked["finding"]["state"] == "ACKNOWLEDGED"
    blank = _act(world, "resolveFinding", f'fingerprint: "{fp}", note: "  "', "planner")
    assert blank["__typename"] == "InvalidInput" and blank["field"] == "note"
    done = _act(world, "resolveFinding", f'fingerprint: "{fp}", note: "credited"', "planner")
    assert done["finding"] == {
        "state": "RESOLVED",
        "resolutionNote": "credited",
        "waiverReason": None,
        "waiverExpires": None,
    }
    again = _act(world, "acknowledgeFinding", f'fingerprint: "{fp}"', "planner")
    assert again["__typename"] == "NotAllowedInState"
    assert again["code"] == "QUALITY_INVALID_TRANSITION"
    assert _trail(world, fp)[-2:] == [
        ("finding.acknowledged", "planner:demo"),
        ("finding.resolved", "planner:demo"),
    ]


def test_waive_validates_its_expiry(world: World) -> None:
    fp = _open_finding(world, world.planner_segments[1])
    past = _act(
        world,
        "waiveFinding",
        f'fingerprint: "{fp}", reason: "known", until: "2020-01-01T00:00:00Z"',
        "planner",
    )
    assert past["__typename"] == "InvalidInput" and past["field"] == "until"
    naive = _act(
        world,
        "waiveFinding",
        f'fingerprint: "{fp}", reason: "x", until: "2099-01-01T00:00:00"',
        "planner",
    )
    assert naive["__typename"] == "InvalidInput" and "time zone" in naive["message"]
    waived = _act(
        world,
        "waiveFinding",
        f'fingerprint: "{fp}", reason: "known issue", until: "2099-01-01T00:00:00Z"',
        "planner",
    )
    assert waived["finding"]["state"] == "WAIVED"
    assert waived["finding"]["waiverReason"] == "known issue"
    assert _trail(world, fp)[-1] == ("finding.waived", "planner:demo")


def test_findings_out_of_scope_or_without_grant(world: World) -> None:
    outside = next(s for s in world.segments if s not in world.planner_segments)
    fp = _open_finding(world, outside)
    hidden = _act(world, "acknowledgeFinding", f'fingerprint: "{fp}"', "planner")
    assert hidden["__typename"] == "NotFound"
    supplier = _act(world, "acknowledgeFinding", f'fingerprint: "{fp}"', "supplier")
    assert supplier["__typename"] == "Forbidden" and supplier["code"]
    with world.sessions() as session:
        denial = session.scalars(
            select(AuditRow)
            .where(AuditRow.action == "access.denied", AuditRow.subject_type == "graphql")
            .order_by(AuditRow.id.desc())
        ).first()
    assert denial is not None and denial.subject_id == "mutation acknowledgeFinding"
    long = _act(world, "acknowledgeFinding", f'fingerprint: "{fp}", note: "{"x" * 2001}"', "admin")
    assert long["__typename"] == "InvalidInput" and long["field"] == "note"


POLICY = """mutation($seg: ID!, $input: PlanningPolicyInput!) {
  updateSegmentPolicy(segmentId: $seg, input: $input) {
    __typename
    ... on UserError { message code }
    ... on InvalidInput { field }
    ... on SegmentPolicyChanged {
      segment { id serviceLevelTarget policy { forecastMethods reviewCycleDays } }
      previousServiceLevelTarget previousPolicy { reviewCycleDays }
    }
  }
}"""


def _policy(world: World, seg: str, change: dict[str, Any], as_: str = "planner") -> Any:
    return world.data(POLICY, {"seg": seg, "input": change}, as_=as_)["updateSegmentPolicy"]


def test_change_a_segment_policy(world: World) -> None:
    seg = world.planner_segments[0]
    change = {
        "serviceLevelTarget": 0.95,
        "forecastMethods": ["ses", "croston"],
        "reviewCycleDays": 14,
        "reason": "quarterly review",
    }
    done = _policy(world, seg, change)
    assert done["__typename"] == "SegmentPolicyChanged"
    assert done["segment"] == {
        "id": seg,
        "serviceLevelTarget": 0.95,
        "policy": {"forecastMethods": ["ses", "croston"], "reviewCycleDays": 14},
    }
    with world.sessions() as session:
        row = session.get(SegmentRow, seg)
        assert row is not None and row.planning_policy["review_cycle_days"] == 14
        entry = session.scalars(
            select(AuditRow).where(AuditRow.action == "segment.policy_changed")
        ).one()
    assert entry.actor == "planner:demo" and entry.subject_id == seg
    assert entry.detail["before"]["service_level_target"] == done["previousServiceLevelTarget"]
    assert entry.detail["after"]["planning_policy"]["forecast_methods"] == ["ses", "croston"]
    assert entry.detail["reason"] == "quarterly review"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"serviceLevelTarget": 1.0}, "input.serviceLevelTarget"),
        ({"forecastMethods": ["prophet"]}, "input.forecastMethods"),
        ({"forecastMethods": []}, "input.forecastMethods"),
        ({"forecastMethods": ["ses", "ses"]}, "input.forecastMethods"),
        ({"reviewCycleDays": 0}, "input.reviewCycleDays"),
        ({}, "input"),
    ],
)
def test_an_invalid_policy_names_its_field(
    world: World, change: dict[str, Any], field: str
) -> None:
    result = _policy(world, world.planner_segments[1], change)
    assert result["__typename"] == "InvalidInput" and result["field"] == field, result


def test_policy_out_of_scope_or_without_grant(world: World) -> None:
    outside = next(s for s in world.segments if s not in world.planner_segments)
    assert _policy(world, outside, {"reviewCycleDays": 3})["__typename"] == "NotFound"
    assert _policy(world, "NOPE", {"reviewCycleDays": 3}, "admin")["__typename"] == "NotFound"
    refused = _policy(world, outside, {"reviewCycleDays": 3}, "integration")
    assert refused["__typename"] == "Forbidden"


REPLAY = """mutation($id: ID!) { replayDeadLetter(deliveryId: $id) {
  __typename ... on UserError { message code }
  ... on DeadLetterReplayed { originalId replayId controlNumber } } }"""


def test_replay_a_dead_letter(world: World) -> None:
    planner = world.data(REPLAY, {"id": world.dead_letter}, as_="planner")
    assert planner["replayDeadLetter"]["__typename"] == "Forbidden"
    done = world.data(REPLAY, {"id": world.dead_letter}, as_="integration")["replayDeadLetter"]
    assert done["__typename"] == "DeadLetterReplayed" and done["originalId"] == world.dead_letter
    with world.sessions() as session:
        original = session.get(OutboxRow, world.dead_letter)
        replay = session.get(OutboxRow, done["replayId"])
        assert original is not None and original.status == "replayed"
        assert replay is not None and replay.replay_of == world.dead_letter
    assert _trail(world, world.dead_letter)[-1] == ("delivery.replayed", "integration:demo")
    twice = world.data(REPLAY, {"id": world.dead_letter}, as_="integration")["replayDeadLetter"]
    assert twice["__typename"] == "NotAllowedInState" and twice["code"] == "delivery.not_dead"
    missing = world.data(REPLAY, {"id": "nope"}, as_="admin")["replayDeadLetter"]
    assert missing["__typename"] == "NotFound"
