"""Findings from the demo's planted flaws, stored once, served by scope, moved through their
lifecycle with an audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.demo import generate_demo, load_demo
from gateway.quality_run import run_quality
from gateway.settings import Settings
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import AuditRow
from tests.support import bearer, issue_key, serve

NOON = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture
def demo_world(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[str, str]]:
    data = generate_demo(5, as_of=NOON.date(), items=60, suppliers=8, weeks=70)
    load_demo(sessions, data, lambda *_: None)
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield url, data.catalog.suppliers[0].id


def test_a_run_stores_each_problem_once(
    demo_world: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    first = run_quality(sessions, NOON)
    assert first.findings > 0 and first.created == first.findings
    assert first.by_rule["ASN_UNDER_SHIPMENT"] > 0
    again = run_quality(sessions, NOON + dt.timedelta(hours=1))
    assert again.created == 0 and again.updated == first.findings
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == first.findings
        opened = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "finding.opened")
        )
    assert opened == first.findings


def _findings(url: str, headers: dict[str, str], **params: object) -> list[dict[str, object]]:
    response = httpx.get(f"{url}/api/v1/findings", headers=headers, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_each_caller_sees_findings_in_scope(
    demo_world: tuple[str, str], sessions: sessionmaker[Session], database_url: str
) -> None:
    url, supplier_id = demo_world
    run_quality(sessions, NOON)
    admin = bearer(
        issue_key(
            database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
        )
    )
    everything = _findings(url, admin)
    supplier = bearer(
        issue_key(
            database_url,
            f"supplier:{supplier_id}",
            "supplier",
            supplier_id=supplier_id,
            grants=[
                ["g", f"supplier:{supplier_id}", "role:execution_only", seg]
                for seg in ("FAST", "SEAS", "SPARE", "NPI", "EOL", "PREM")
            ],
        )
    )
    own = _findings(url, supplier)
    assert own and {f["supplier_id"] for f in own} == {supplier_id}
    assert len(own) < len(everything)
    planner = bearer(
        issue_key(
            database_url,
            "planner:ann",
            "planner",
            grants=[["g", "planner:ann", "role:planner", "SPARE"]],
        )
    )
    assert {f["segment_id"] for f in _findings(url, planner)} == {"SPARE"}
    shortages = _findings(url, admin, rule="ASN_UNDER_SHIPMENT", state="open")
    assert shortages and {f["rule"] for f in shortages} == {"ASN_UNDER_SHIPMENT"}
    summary = httpx.get(f"{url}/api/v1/findings/summary", headers=admin).json()
    assert sum(row["count"] for row in summary) == len(everything)


def test_lifecycle_over_http_is_audited(
    demo_world: tuple[str, str], sessions: sessionmaker[Session], database_url: str
) -> None:
    url, _ = demo_world
    run_quality(sessions, NOON)
    planner = bearer(
        issue_key(
            database_url,
            "planner:ann",
            "planner",
            grants=[["g", "planner:ann", "role:planner", "FAST"]],
        )
    )
    target = _findings(url, planner)[0]["fingerprint"]
    base = f"{url}/api/v1/findings/{target}"
    acked = httpx.post(f"{base}/acknowledge", headers=planner, json={})
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    no_reason = httpx.post(f"{base}/resolve", headers=planner, json={})
    assert no_reason.status_code == 409 and no_reason.json()["code"].startswith("QUALITY_")
    done = httpx.post(f"{base}/resolve", headers=planner, json={"reason": "supplier credited"})
    assert done.json()["state"] == "resolved" and done.json()["resolution_note"]
    again = httpx.post(f"{base}/acknowledge", headers=planner, json={})
    assert again.status_code == 409
    with sessions() as session:
        trail = session.scalars(
            select(AuditRow).where(AuditRow.subject_id == target).order_by(AuditRow.id)
        ).all()
    assert [(a.action, a.actor) for a in trail][-2:] == [
        ("finding.acknowledged", "planner:ann"),
        ("finding.resolved", "planner:ann"),
    ]
    outsider = bearer(
        issue_key(
            database_url,
            "planner:bob",
            "planner",
            grants=[["g", "planner:bob", "role:planner", "EOL"]],
        )
    )
    assert httpx.post(f"{base}/reopen", headers=outsider, json={"reason": "x"}).status_code == 404


def test_a_segment_escalation_path_hands_waiting_findings_on(
    demo_world: tuple[str, str], sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from gateway.quality_run import escalate

    policy = tmp_path / "quality.json"
    policy.write_text(
        json.dumps(
            {
                "thresholds": {"segments": {"FAST": {"under_shipment_tolerance": 0.5}}},
                "routing": {
                    "default_owner": "integration-team",
                    "escalation": {
                        "FAST": {
                            "owners": ["fast-planners", "supply-director"],
                            "after_hours": 4,
                            "severities": ["warning"],
                        }
                    },
                },
            }
        )
    )
    lenient = run_quality(sessions, NOON, policy_file=policy)
    strict = run_quality(sessions, NOON, policy_file=None)  # default tolerance 0.05
    assert lenient.by_rule["ASN_UNDER_SHIPMENT"] < strict.by_rule["ASN_UNDER_SHIPMENT"]
    assert escalate(sessions, NOON + dt.timedelta(hours=3), policy_file=policy) == []
    first = escalate(sessions, NOON + dt.timedelta(hours=5), policy_file=policy)
    assert first and {e.to_owner for e in first} == {"fast-planners"}
    assert {e.finding.finding.segment_id for e in first} == {"FAST"}
    assert escalate(sessions, NOON + dt.timedelta(hours=6), policy_file=policy) == []
    second = escalate(sessions, NOON + dt.timedelta(hours=10), policy_file=policy)
    assert {e.to_owner for e in second} == {"supply-director"} and len(second) == len(first)
    with sessions() as session:
        escalated = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "finding.escalated")
        )
    assert escalated == 2 * len(first)


def test_a_bad_policy_file_says_what_is_wrong(tmp_path: Path) -> None:
    from gateway.quality_policy import PolicyError, load_policy

    policy = tmp_path / "quality.json"
    policy.write_text('{"thresholds": {"segments": {"FAST": {"no_such_threshold": 1}}}}')
    with pytest.raises(PolicyError, match="no_such_threshold"):
        load_policy(policy, [])
    policy.write_text("{not json")
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(policy, [])
