"""Worker processes side by side: none delivers a message twice, none is left, a kill loses none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.outbox import new_delivery_id, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import utcnow
from tests.sink import Sink
from tests.support import serve

WORKER = [sys.executable, "-m", "gateway.cli_sync", "worker", "--poll", "0.05"]


@pytest.fixture
def sink() -> Iterator[tuple[Sink, str]]:
    partner = Sink(slow_s=3)
    with serve(partner.app) as url:  # type: ignore[arg-type]
        yield partner, url


def _queue_many(sessions: sessionmaker[Session], n: int) -> list[str]:
    now = utcnow()
    rows = [
        {
            "id": new_delivery_id(),
            "partner_id": "SUP1",
            "document_type": "json:po",
            "content_type": "application/json",
            "body": b'{"n": %d}' % i,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now,
        }
        for i in range(n)
    ]
    with sessions.begin() as session:
        session.execute(insert(OutboxRow), rows)
    return [r["id"] for r in rows]


def _start(database_url: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url}
    with log.open("ab") as stderr:  # the child keeps its own descriptor
        return subprocess.Popen([*WORKER, *args], env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def _counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
        return {status: count for status, count in rows}


@pytest.mark.postgres
@pytest.mark.slow
def test_two_worker_processes_deliver_every_message_once(
    database_url: str, sessions: sessionmaker[Session], sink: tuple[Sink, str], tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several worker processes need PostgreSQL (SKIP LOCKED)")
    partner, url = sink
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/in")
    ids = _queue_many(sessions, 2000)
    log = tmp_path / "workers.log"
    workers = [_start(database_url, log, "--until-idle", "--batch", "25") for _ in range(2)]
    for process in workers:
        assert process.wait(timeout=240) == 0, log.read_text()
    assert _counts(sessions) == {"delivered": 2000}
    assert partner.hits["in"] == 2000  # not one POST twice
    assert set(partner.accepted) == set(ids)
    assert all(partner.requests[i] == 1 for i in ids)


@pytest.mark.slow
def test_a_killed_worker_loses_nothing(
    database_url: str, sessions: sessionmaker[Session], sink: tuple[Sink, str], tmp_path: Path
) -> None:
    log = tmp_path / "workers.log"
    partner, url = sink
    partner.modes["in"] = "slow"  # the first worker hangs inside its first delivery
    with sessions.begin() as session:
        set_channel(
            session, partner_id="SUP1", document_type="*", primary_url=f"{url}/in", timeout_s=60
        )
    ids = _queue_many(sessions, 20)
    first = _start(database_url, log, "--batch", "5", "--lease", "1")
    deadline = time.monotonic() + 60
    while partner.hits["in"] == 0:
        assert time.monotonic() < deadline and first.poll() is None, "no delivery started"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    in_flight = _counts(sessions).get("in_flight", 0)
    assert in_flight == 5  # the dead worker's claim is still held...
    partner.modes["in"] = "ok"
    second = _start(database_url, log, "--batch", "5", "--lease", "1")
    try:
        deadline = time.monotonic() + 60
        while _counts(sessions) != {"delivered": 20}:  # ...until its lease runs out
            assert time.monotonic() < deadline, _counts(sessions)
            assert second.poll() is None
            time.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert second.returncode == 0, log.read_text()
    assert set(partner.accepted) >= set(ids)
    # the message cut off by the kill was sent again under the same delivery id
    assert sum(partner.requests[i] for i in ids) == 21
