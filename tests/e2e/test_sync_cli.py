"""`gateway worker` and `gateway sync` as real processes (run as ``python -m gateway.cli_sync``)."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.outbox import enqueue
from gateway.store.sync_tables import ChannelRow, OutboxRow
from gateway.store.tables import AuditRow
from tests.e2e.test_cli import ROOT, environment
from tests.support import free_port


def sync_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli_sync", *args],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_channel_worker_dead_letter_and_replay(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/in"  # connection refused
    done = sync_cli(
        database_url,
        "sync",
        "channels",
        "set",
        "SUP1",
        "*",
        "--primary",
        nobody,
        "--max-attempts",
        "2",
        "--timeout",
        "1",
    )
    assert done.returncode == 0, done.stderr
    with sessions() as session:
        channel = session.get_one(ChannelRow, ("SUP1", "*"))
        assert (channel.primary_url, channel.max_attempts) == (nobody, 2)
    with sessions.begin() as session:
        delivery_id = enqueue(
            session,
            partner_id="SUP1",
            document_type="json:po",
            body=b"{}",
            content_type="application/json",
        )
    worker = sync_cli(
        database_url,
        "worker",
        "--until-idle",
        "--poll",
        "0.05",
        "--retry-initial",
        "0.01",
        "--jitter",
        "0.01",
    )
    assert worker.returncode == 0, worker.stderr
    listed = sync_cli(database_url, "sync", "dead", "list")
    assert delivery_id in listed.stdout
    shown = json.loads(sync_cli(database_url, "sync", "dead", "show", delivery_id).stdout)
    assert shown["status"] == "dead" and "ConnectError" in shown["dead_reason"]
    assert len(shown["attempt_log"]) == 2

    replayed = sync_cli(database_url, "sync", "dead", "replay", delivery_id, "--actor", "ann")
    assert replayed.returncode == 0, replayed.stderr
    original, replay = replayed.stdout.strip().split(" -> ")
    assert original == delivery_id
    with sessions() as session:
        assert session.get_one(OutboxRow, replay).replay_of == delivery_id
        actors = session.scalars(
            select(AuditRow.actor).where(AuditRow.action == "delivery.replayed")
        ).all()
    assert actors == ["ann"]
    again = sync_cli(database_url, "sync", "dead", "replay", delivery_id)
    assert again.returncode == 1 and "only dead letters" in again.stderr
