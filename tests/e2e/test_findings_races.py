"""A lifecycle move over HTTP while another writer touches the same finding: locked on
PostgreSQL, compared on SQLite (409 QUALITY_CONCURRENT_CHANGE), never overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.quality_run import run_quality
from gateway.settings import Settings
from gateway.store.findings import audit_events, findings_by_fingerprint, update_unless_changed
from gateway.store.quality_tables import FindingRow
from quality import apply_action
from tests.integration.test_quality_stream import _doc, ingest
from tests.support import bearer, issue_key, serve

NOON = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture
def world(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[str, dict[str, str], str]]:
    ingest(sessions, _doc("ship_notice"))
    run_quality(sessions, NOON)
    with sessions() as session:
        query = select(FindingRow.fingerprint).where(FindingRow.rule == "ASN_UNKNOWN_PO")
        fingerprint = session.scalars(query).one()
    grants = [["g", "admin:root", "role:admin", "*"]]
    admin = bearer(issue_key(database_url, "admin:root", "admin", grants=grants))
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield url, admin, fingerprint


def _state(sessions: sessionmaker[Session], fingerprint: str) -> str:
    with sessions() as session:
        [finding] = findings_by_fingerprint(session, [fingerprint])
        return finding.state.value


def test_a_move_that_lost_a_race_is_refused_not_written(
    world: tuple[str, dict[str, str], str],
    sessions: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, admin, fingerprint = world
    original = apply_action
    outcome: list[str] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        """Between the route's read and its write, another writer acknowledges."""
        if database_url.startswith("postgresql"):
            with sessions.begin() as other:  # the route holds the row: no one else gets it
                other.execute(text("SET LOCAL lock_timeout = '100ms'"))
                try:
                    findings_by_fingerprint(other, [fingerprint], lock=True)
                except OperationalError:
                    outcome.append("locked")
        else:
            with sessions.begin() as other:
                [before] = findings_by_fingerprint(other, [fingerprint])
                moved = original(before, "acknowledge", "planner:ann", NOON)
                assert update_unless_changed(other, before, moved.finding)
                audit_events(other, [moved.event])
            outcome.append("acknowledged meanwhile")
        return original(*args, **kwargs)

    monkeypatch.setattr("gateway.app.findings.apply_action", meanwhile)
    response = httpx.post(
        f"{url}/api/v1/findings/{fingerprint}/resolve", headers=admin, json={"reason": "credited"}
    )
    if database_url.startswith("postgresql"):
        assert outcome == ["locked"] and response.status_code == 200
        assert _state(sessions, fingerprint) == "resolved"
    else:
        assert outcome == ["acknowledged meanwhile"]
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "QUALITY_CONCURRENT_CHANGE"
        assert _state(sessions, fingerprint) == "acknowledged"  # not overwritten
