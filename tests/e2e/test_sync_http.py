"""Dead letters, replay, partner health and metrics over real HTTP, with a failing partner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.app.sync import install
from gateway.settings import Settings
from gateway.store.outbox import enqueue, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import AuditRow
from gateway.sync_x12 import X12_MEDIA
from sync import BreakerPolicy
from tests.integration.test_sync_worker import FAST, _drain
from tests.sink import Sink
from tests.support import bearer, issue_key, serve
from tests.unit.sync.test_renumber import BODY


@dataclass
class World:
    api: str
    partner: Sink
    partner_url: str
    sessions: sessionmaker[Session]
    keys: dict[str, str]

    def call(self, who: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        return httpx.request(
            method, f"{self.api}{path}", headers=bearer(self.keys[who]), timeout=10, **kwargs
        )  # type: ignore[arg-type]


@pytest.fixture
def world(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[World]:
    keys = {
        "integration": issue_key(
            database_url,
            "integration:ops",
            "integration",
            grants=[["g", "integration:ops", "role:integration", "*"]],
        ),
        "admin": issue_key(
            database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
        ),
        "planner": issue_key(
            database_url,
            "planner:ann",
            "planner",
            grants=[["g", "planner:ann", "role:planner", "*"]],
        ),
    }
    app = create_app(Settings(database_url=database_url), engine=engine)
    install(app)
    partner = Sink()
    with serve(partner.app) as partner_url, serve(app) as api:  # type: ignore[arg-type]
        yield World(api, partner, partner_url, sessions, keys)


def test_dead_letter_fix_and_replay_with_fresh_control_numbers(world: World) -> None:
    world.partner.modes["edi"] = "400"
    with world.sessions.begin() as session:
        set_channel(
            session, partner_id="SUP1", document_type="850", primary_url=f"{world.partner_url}/edi"
        )
        original = enqueue(
            session,
            partner_id="SUP1",
            document_type="850",
            body=BODY.encode(),
            content_type=X12_MEDIA,
            control_number="000000042",
        )
    _drain(world.sessions)

    listed = world.call("integration", "GET", "/api/v1/sync/dead-letters").json()["items"]
    assert [d["delivery_id"] for d in listed] == [original]
    assert "permanent error: HTTP 400" in listed[0]["dead_reason"]
    shown = world.call("integration", "GET", f"/api/v1/sync/deliveries/{original}").json()
    assert shown["body"] == BODY and shown["attempt_log"][0]["status_code"] == 400

    assert world.call("planner", "GET", "/api/v1/sync/dead-letters").status_code == 403
    world.partner.modes["edi"] = "ok"  # the partner fixed its side
    replayed = world.call("integration", "POST", f"/api/v1/sync/deliveries/{original}/replay")
    assert replayed.status_code == 202, replayed.text
    replay = replayed.json()["replay"]
    assert replayed.json()["control_number"] not in (None, "000000042")
    again = world.call("integration", "POST", f"/api/v1/sync/deliveries/{original}/replay")
    assert again.status_code == 409  # a replayed dead letter is not replayed twice
    _drain(world.sessions)

    with world.sessions() as session:
        row = session.get_one(OutboxRow, replay)
        assert (row.status, row.replay_of) == ("delivered", original)
        assert session.get_one(OutboxRow, original).status == "replayed"
        audit = session.scalars(
            select(AuditRow).where(AuditRow.action == "delivery.replayed")
        ).one()
    assert (audit.actor, audit.subject_id, audit.detail["replay"]) == (
        "integration:ops",
        original,
        replay,
    )
    sent = world.partner.bodies[replay].decode()
    assert f"*{row.control_number}*" in sent and "000000042" not in sent
    assert world.partner.accepted[replay] == ["edi"]


def test_bulk_replay_and_partner_health_and_metrics(world: World) -> None:
    world.partner.modes["p"] = "500"
    with world.sessions.begin() as session:
        set_channel(
            session,
            partner_id="SUP2",
            document_type="*",
            primary_url=f"{world.partner_url}/p",
            max_attempts=2,
        )
        ids = [
            enqueue(
                session,
                partner_id="SUP2",
                document_type="json:forecast",
                body=b"{}",
                content_type="application/json",
            )
            for _ in range(3)
        ]
    # the worker's cooldown decides when an open breaker may be probed again
    stays_open = replace(FAST, breaker=BreakerPolicy(6, cooldown_s=3600))  # opens at the last
    heals_now = replace(FAST, breaker=BreakerPolicy(3, cooldown_s=0))
    _drain(world.sessions, stays_open)
    health = world.call("integration", "GET", "/api/v1/health/partners").json()["items"]
    (entry,) = [h for h in health if h["document_type"] == "json:forecast"]
    assert entry["dead_letters"] == 3 and entry["queue_depth"] == 0
    assert entry["last_error"].startswith("HTTP 500") and entry["last_success_at"] is None
    assert entry["attempts_last_hour"] == 6 and entry["error_rate_last_hour"] == 1.0
    assert entry["breakers"][f"{world.partner_url}/p"] == "open"

    world.partner.modes["p"] = "ok"
    bulk = world.call(
        "admin", "POST", "/api/v1/sync/dead-letters/replay", json={"partner_id": "SUP2"}
    )
    assert bulk.json()["replayed"] == 3
    health = world.call("integration", "GET", "/api/v1/health/partners").json()["items"]
    (entry,) = [h for h in health if h["document_type"] == "json:forecast"]
    assert entry["queue_depth"] == 3 and entry["oldest_pending_age_s"] >= 0
    assert httpx.get(f"{world.api}/metrics", timeout=10).status_code == 401  # names partners
    metrics = world.call("integration", "GET", "/metrics").text
    assert 'gateway_sync_queue_depth{document_type="json:forecast",partner="SUP2"} 3.0' in metrics
    assert 'gateway_sync_dead_letters{document_type="json:forecast",partner="SUP2"} 0.0' in metrics
    assert "gateway_sync_breaker_state{" in metrics

    _drain(world.sessions, heals_now)
    health = world.call("integration", "GET", "/api/v1/health/partners").json()["items"]
    (entry,) = [h for h in health if h["document_type"] == "json:forecast"]
    assert entry["queue_depth"] == 0 and entry["delivered"] == 3
    assert entry["last_success_at"] is not None
    assert entry["active_endpoint"] == f"{world.partner_url}/p"
    assert all(world.partner.accepted[i] == [] for i in ids)  # the originals never got through
