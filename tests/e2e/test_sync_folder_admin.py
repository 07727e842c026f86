"""Drop-folder channels set up the way an admin does: the CLI and REST, as real processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.app.sync import install
from gateway.settings import Settings
from gateway.store.outbox import enqueue
from gateway.store.sync_tables import ChannelRow
from gateway.store.tables import AuditRow
from tests.e2e.test_sync_cli import sync_cli
from tests.support import bearer, issue_key, serve


def test_cli_sets_a_folder_channel_and_a_worker_delivers_into_it(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    primary, secondary = tmp_path / "share a", tmp_path / "share-b"
    secondary.mkdir()  # the primary is not mounted: the worker fails over
    refused = sync_cli(
        database_url, "sync", "channels", "set", "SUP1", "*", "--kind", "folder",
        "--primary", "drop/relative",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "absolute directory path" in refused.stdout + refused.stderr
    done = sync_cli(
        database_url, "sync", "channels", "set", "SUP1", "*", "--kind", "folder",
        "--primary", str(primary), "--secondary", str(secondary), "--max-attempts", "6",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sessions() as session:
        row = session.get_one(ChannelRow, ("SUP1", "*"))
        assert (row.primary_url, row.secondary_url) == (primary.as_uri(), secondary.as_uri())
    assert "folder" in sync_cli(database_url, "sync", "channels", "list").stdout
    with sessions.begin() as session:
        ids = [
            enqueue(
                session,
                partner_id="SUP1",
                document_type="json:po",
                body=b'{"po": %d}' % n,
                content_type="application/json",
            )
            for n in range(4)
        ]
    worker = sync_cli(
        database_url, "worker", "--until-idle", "--poll", "0.05", "--retry-initial", "0.01",
        "--jitter", "0.01", "--cooldown", "3600",
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    assert {p.name: p.read_bytes() for p in secondary.iterdir()} == {
        f"{i}.json-po.json": b'{"po": %d}' % n for n, i in enumerate(ids)
    }


@pytest.fixture
def api(database_url: str, engine: Engine) -> Iterator[tuple[str, str]]:
    key = issue_key(
        database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
    )
    app = create_app(Settings(database_url=database_url), engine=engine)
    install(app)
    with serve(app) as url:  # type: ignore[arg-type]
        yield url, key


def test_rest_sets_a_folder_channel_and_names_a_bad_path(
    api: tuple[str, str], sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    url, key = api
    channel = f"{url}/api/v1/sync/channels/SUP1/850"
    good = {"kind": "folder", "primary_url": str(tmp_path), "secondary_url": "/mnt/dr/in"}
    answer = httpx.put(channel, json=good, headers=bearer(key), timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json()["kind"] == "folder"
    assert answer.json()["primary_url"] == tmp_path.as_uri()
    assert answer.json()["secondary_url"] == "file:///mnt/dr/in"

    for bad in ("in/../../etc", "/srv/../etc", "https://edi.example/in"):
        refused = httpx.put(
            channel, json={**good, "primary_url": bad}, headers=bearer(key), timeout=10
        )
        assert refused.status_code == 422, refused.text
        assert "primary_url" in refused.text
    http_with_path = {"primary_url": "/srv/drop"}  # kind http by default
    assert (
        httpx.put(channel, json=http_with_path, headers=bearer(key), timeout=10).status_code == 422
    )

    listed = httpx.get(f"{url}/api/v1/sync/channels", headers=bearer(key), timeout=10).json()
    assert [c["kind"] for c in listed["items"]] == ["folder"]
    with sessions() as session:
        audit = session.scalars(select(AuditRow).where(AuditRow.action == "channel.set")).all()
        assert [a.actor for a in audit] == ["admin:root"]
