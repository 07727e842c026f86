"""Pollers end to end: the CLI, health and /metrics over HTTP, `serve`'s in-process worker."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from gateway.app import create_app
from gateway.cli_pollers import pollers_app
from gateway.settings import Settings
from gateway.store.document_tables import InventoryPositionRow
from gateway.store.poller_tables import PollerRow
from gateway.store.pollers import add_poller
from gateway.store.tables import AuditRow
from sync import PollerConfig
from tests.e2e.test_cli import ROOT, environment
from tests.supplier_api import SupplierApi, inventory
from tests.support import bearer, issue_key, serve


@pytest.fixture
def supplier() -> Iterator[tuple[SupplierApi, str]]:
    api = SupplierApi()
    api.feeds["stock"] = [[inventory("R1"), inventory("R2")], [inventory("R3")]]
    with serve(api.app) as url:  # type: ignore[arg-type]
        yield api, url


def pollers_cli(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", "pollers", *args],
        cwd=ROOT,
        env=environment(database_url, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def in_process(database_url: str, *args: str) -> tuple[int, str]:
    """The same commands without a process start-up (seconds each on a busy machine)."""
    env = {"GATEWAY_DATABASE_URL": database_url, "COLUMNS": "200"}
    result = CliRunner().invoke(pollers_app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())


def _last_error(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        return session.get_one(PollerRow, ("SUP1", "inventory-position")).last_error or ""


def _documents(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(InventoryPositionRow)) or 0


def test_add_list_run_once_and_remove(
    database_url: str, sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    common = ["SUP1", "--base-url", url, "--path", "/stock"]
    code, said = in_process(
        database_url, "add", *common, "--document-type", "inventory_position",
        "--auth-secret", "Bearer abc",
    )  # fmt: skip
    assert code == 2 and "auth_secret: " in said and "never the secret itself" in said
    code, said = in_process(database_url, "add", *common, "--document-type", "purchase_order")
    assert code == 2 and "document_type: " in said
    added = pollers_cli(
        database_url, "add", *common, "--document-type", "inventory_position",
        "--auth-secret", "env:SUP1_TOKEN", "--interval", "600",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    code, said = in_process(database_url, "add", *common, "--document-type", "inventory_position")
    assert code == 1 and "exists" in said

    ran = pollers_cli(database_url, "run", "SUP1", "--once", SUP1_TOKEN="t0k")
    assert ran.returncode == 0, ran.stderr
    assert "ran 1 poller(s), 0 failed" in ran.stderr
    assert _documents(sessions) == 3
    assert api.requests[0][2]["authorization"] == "Bearer t0k"
    code, listed = in_process(database_url, "list")
    assert code == 0 and "SUP1/inventory-position" in listed and "never" not in listed

    api.modes["stock"] = ["malformed"] * 3  # the last page again, now broken
    with sessions.begin() as session:  # and unconditionally, so the 304 does not hide it
        session.get_one(PollerRow, ("SUP1", "inventory-position")).etag = None
    code, said = in_process(database_url, "run", "--once")  # SUP1_TOKEN unset here
    assert code == 1 and "1 failed" in said
    with sessions() as session:
        assert "SUP1_TOKEN" in (
            session.get_one(PollerRow, ("SUP1", "inventory-position")).last_error or ""
        )
    failed = pollers_cli(database_url, "run", "--once", SUP1_TOKEN="t0k")
    assert failed.returncode == 1 and "1 failed" in failed.stderr
    with sessions() as session:
        error = session.get_one(PollerRow, ("SUP1", "inventory-position")).last_error or ""
        assert "pull.malformed_page" in error

    assert in_process(database_url, "remove", "SUP1", "inventory-position")[0] == 0
    assert in_process(database_url, "remove", "SUP1", "inventory-position")[0] == 1
    with sessions() as session:
        actions = session.scalars(select(AuditRow.action).where(AuditRow.subject_type == "poller"))
        assert sorted(actions) == ["poller.added", "poller.removed"]


def test_health_and_metrics_over_http(
    database_url: str,
    engine: Engine,
    sessions: sessionmaker[Session],
    supplier: tuple[SupplierApi, str],
) -> None:
    _, url = supplier
    key = issue_key(
        database_url,
        "integration:ops",
        "integration",
        grants=[["g", "integration:ops", "role:integration", "*"]],
    )
    with sessions.begin() as session:
        add_poller(
            session,
            PollerConfig(
                partner_id="SUP1",
                name="inventory",
                base_url=url,
                path="/stock",
                document_type="inventory_position",
            ),
        )
    app = create_app(Settings(database_url=database_url, run_worker=True), engine=engine)
    with serve(app) as api:  # the in-process worker of `gateway serve` polls
        deadline = time.monotonic() + 60
        while _documents(sessions) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _documents(sessions) == 3
        health = httpx.get(f"{api}/api/v1/health/partners", headers=bearer(key), timeout=10)
        metrics = httpx.get(f"{api}/metrics", headers=bearer(key), timeout=10).text
    body = health.json()
    assert set(body) == {"as_of", "items", "pollers"}
    (entry,) = body["pollers"]
    assert entry["partner_id"] == "SUP1" and entry["name"] == "inventory"
    assert entry["pages_last_hour"] == 2 and entry["documents_last_hour"] == 3
    assert entry["last_success_at"] and entry["consecutive_failures"] == 0
    assert entry["next_due_at"] > entry["last_success_at"]
    labels = 'document_type="inventory_position",partner="SUP1",poller="inventory"'
    assert f"gateway_poller_pages_total{{{labels}}} 2.0" in metrics
    assert f"gateway_poller_documents_total{{{labels}}} 3.0" in metrics
    assert f"gateway_poller_consecutive_failures{{{labels}}} 0.0" in metrics
