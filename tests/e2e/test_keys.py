"""API key lifecycle and policy changes, through the admin API, the CLI and two processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.model import Segment, Supplier, SupplierSegment
from gateway.settings import Settings
from gateway.store.master import save_segments, save_suppliers
from gateway.store.tables import AuditRow
from tests.support import bearer, free_port, issue_key, serve, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(database_url: str, sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions.begin() as session:
        save_segments(
            session,
            [
                Segment(id="FAST", name="Fast", service_level_target=0.98),
                Segment(id="SEAS", name="Seasonal", service_level_target=0.95),
            ],
        )
        save_suppliers(
            session,
            [
                Supplier(
                    id="SUP001",
                    name="One",
                    tier="approved",
                    segments=[SupplierSegment(segment_id="FAST")],
                )
            ],
        )
    return bearer(
        issue_key(
            database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
        )
    )


@pytest.fixture
def url(database_url: str, engine: Engine, admin: dict[str, str]) -> Iterator[str]:
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as base:
        yield base


def _new_key(url: str, admin: dict[str, str], **extra: object) -> dict[str, str]:
    httpx.post(
        f"{url}/api/v1/admin/principals",
        headers=admin,
        json={"id": "supplier:SUP001", "kind": "supplier", "supplier_id": "SUP001"},
    )
    httpx.post(
        f"{url}/api/v1/admin/policies",
        headers=admin,
        json={"rules": [["g", "supplier:SUP001", "role:execution_only", "FAST"]]},
    )
    created = httpx.post(
        f"{url}/api/v1/admin/keys",
        headers=admin,
        json={"principal_id": "supplier:SUP001", "name": "erp", **extra},
    )
    assert created.status_code == 201, created.text
    return created.json()


def _status(url: str, token: str) -> tuple[int, str | None]:
    response = httpx.get(f"{url}/api/v1/me", headers=bearer(token))
    return response.status_code, response.json().get("code")


def test_create_use_rotate_revoke(
    url: str, admin: dict[str, str], sessions: sessionmaker[Session]
) -> None:
    first = _new_key(url, admin)
    assert _status(url, first["token"]) == (200, None)
    listed = httpx.get(f"{url}/api/v1/admin/keys", headers=admin).json()
    mine = next(k for k in listed if k["key_id"] == first["key_id"])
    assert mine["last_used_at"] is not None and "token" not in mine and "secret_hash" not in mine

    rotated = httpx.post(
        f"{url}/api/v1/admin/keys/{first['key_id']}/rotate",
        headers=admin,
        params={"overlap_hours": 1},
    ).json()
    assert _status(url, first["token"]) == (200, None)  # both valid during the overlap
    assert _status(url, rotated["token"]) == (200, None)

    again = httpx.post(
        f"{url}/api/v1/admin/keys/{rotated['key_id']}/rotate",
        headers=admin,
        params={"overlap_hours": 0},
    ).json()
    assert _status(url, rotated["token"]) == (401, "access.key_expired")
    assert _status(url, again["token"]) == (200, None)

    httpx.post(f"{url}/api/v1/admin/keys/{again['key_id']}/revoke", headers=admin)
    assert _status(url, again["token"]) == (401, "access.key_revoked")
    with sessions() as session:
        actions = session.scalars(
            select(AuditRow.action).where(AuditRow.subject_type == "api_key").order_by(AuditRow.id)
        ).all()
    assert actions == [
        "key.created",  # the admin's own key
        "key.created",
        "key.created",
        "key.rotated",
        "key.created",
        "key.rotated",
        "key.revoked",
    ]


def test_an_expired_key_is_refused(url: str, admin: dict[str, str]) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    key = _new_key(url, admin, expires_at=past)
    assert _status(url, key["token"]) == (401, "access.key_expired")


def test_a_read_only_key_cannot_write(url: str, admin: dict[str, str]) -> None:
    key = _new_key(url, admin, scopes=["read"])
    response = httpx.post(f"{url}/api/v1/documents", headers=bearer(key["token"]), json={})
    assert response.status_code == 403 and response.json()["code"] == "access.key_scope"


def test_a_principal_for_an_unknown_supplier_is_refused(url: str, admin: dict[str, str]) -> None:
    response = httpx.post(
        f"{url}/api/v1/admin/principals",
        headers=admin,
        json={"id": "supplier:NOPE", "kind": "supplier", "supplier_id": "NOPE"},
    )
    assert response.status_code == 422 and "no supplier NOPE" in response.json()["detail"]


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_keys_and_policies_from_the_cli(database_url: str, url: str) -> None:
    granted = _cli(
        database_url, "policy", "add", "g", "supplier:SUP001", "role:execution_only", "FAST"
    )
    assert granted.returncode == 0 and "1 rule added" in granted.stderr
    created = _cli(database_url, "keys", "create", "supplier:SUP001", "--name", "portal")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert _status(url, token) == (200, None)
    key_id = token.split("_")[1]
    assert key_id in _cli(database_url, "keys", "list").stdout
    assert (
        "supplier:SUP001, role:execution_only, FAST" in _cli(database_url, "policy", "list").stdout
    )
    rotated = _cli(database_url, "keys", "rotate", key_id, "--overlap-hours", "0")
    assert rotated.returncode == 0 and _status(url, rotated.stdout.strip()) == (200, None)
    assert _status(url, token) == (401, "access.key_expired")
    assert (
        _cli(database_url, "keys", "revoke", rotated.stdout.strip().split("_")[1]).returncode == 0
    )
    assert _status(url, rotated.stdout.strip()) == (401, "access.key_revoked")
    bad = _cli(database_url, "keys", "create", "supplier:NOPE")
    assert (
        bad.returncode == 1 and "no supplier NOPE" in bad.stderr and "Traceback" not in bad.stderr
    )
    wrong = _cli(database_url, "policy", "add", "g", "only-two")
    assert wrong.returncode == 2 and "rule is" in wrong.stderr


def test_a_policy_change_reaches_another_process(database_url: str, admin: dict[str, str]) -> None:
    supplier = issue_key(
        database_url,
        "supplier:SUP001",
        "supplier",
        supplier_id="SUP001",
        grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]],
    )
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url}
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--no-migrate", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        first, second = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (first, second):
            wait_until_ready(base, timeout=60)
        segments = httpx.get(f"{second}/api/v1/segments", headers=bearer(supplier)).json()
        assert [s["id"] for s in segments] == ["FAST"]  # the second process has cached it
        added = httpx.post(
            f"{first}/api/v1/admin/policies",
            headers=admin,
            json={"rules": [["g", "supplier:SUP001", "role:advisory", "SEAS"]]},
        )
        assert added.json() == {"added": 1}
        segments = httpx.get(f"{second}/api/v1/segments", headers=bearer(supplier)).json()
        assert [s["id"] for s in segments] == ["FAST", "SEAS"]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
