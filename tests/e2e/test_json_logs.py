"""GATEWAY_LOG_FORMAT=json: `gateway serve` and `gateway worker` write one JSON object per line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.outbox import enqueue, set_channel
from tests.e2e.test_cli import ROOT, environment
from tests.sink import Sink
from tests.support import free_port, issue_key, serve, wait_until_ready


def _records(stderr: str) -> list[dict[str, Any]]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line: {line!r}\n--- all of stderr:\n{stderr}")
    for record in records:
        assert {"timestamp", "level", "logger", "message"} <= set(record), record
    return records


@pytest.fixture
def partner() -> Iterator[tuple[Sink, str]]:
    sink = Sink()
    with serve(sink.app) as url:  # type: ignore[arg-type]
        yield sink, url


def test_serve_logs_each_request_as_json_with_its_request_id(database_url: str) -> None:
    key = issue_key(
        database_url,
        "integration:ops",
        "integration",
        grants=[["g", "integration:ops", "role:integration", "*"]],
    )
    port = free_port()
    env = environment(database_url, GATEWAY_LOG_FORMAT="json", GATEWAY_PORT=str(port))
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, timeout=90)
        headers = {"Authorization": f"Bearer {key}", "X-Request-Id": "req-42"}
        answer = httpx.get(f"{base}/api/v1/health/partners", headers=headers, timeout=10)
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "req-42"
        generated = httpx.get(f"{base}/api/v1/health/partners", timeout=10)
        assert generated.status_code == 401 and len(generated.headers["x-request-id"]) == 32
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    records = _records(stderr)
    access = {r["context"]["request_id"]: r for r in records if r["logger"] == "gateway.access"}
    mine = access["req-42"]["context"]
    assert mine["principal"] == "integration:ops" and mine["status"] == 200
    assert mine["method"] == "GET" and mine["path"] == "/api/v1/health/partners"
    assert access[generated.headers["x-request-id"]]["context"]["status"] == 401
    assert not [r for r in records if r["logger"] == "uvicorn.access"]  # no second access line
    assert any(r["message"].startswith("serving on") for r in records)


def test_worker_logs_each_attempt_as_json_with_the_delivery_context(
    database_url: str, sessions: sessionmaker[Session], partner: tuple[Sink, str]
) -> None:
    sink, url = partner
    sink.modes["bad"] = "500"
    with sessions.begin() as session:
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{url}/ok")
        set_channel(session, partner_id="SUP2", document_type="*", primary_url=f"{url}/bad")
        good = enqueue(session, partner_id="SUP1", document_type="850", body=b"x",
                       content_type="application/edi-x12")  # fmt: skip
        failing = enqueue(session, partner_id="SUP2", document_type="json:po", body=b"{}",
                          content_type="application/json")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "worker", "--until-idle", "--retry-initial", "600"],
        cwd=ROOT, env=environment(database_url, GATEWAY_LOG_FORMAT="json"),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = _records(done.stderr)
    by_delivery = {
        r["context"]["delivery_id"]: r for r in records if "delivery_id" in r.get("context", {})
    }
    delivered = by_delivery[good]
    assert delivered["level"] == "INFO" and delivered["logger"] == "gateway.sync"
    assert delivered["context"] | {"duration_ms": 0} == {
        "delivery_id": good, "partner_id": "SUP1", "document_type": "850", "attempt": 1,
        "endpoint": f"{url}/ok", "status_code": 200, "duration_ms": 0, "outcome": "delivered",
    }  # fmt: skip
    retry = by_delivery[failing]
    assert retry["level"] == "WARNING" and retry["context"]["outcome"] == "pending"
    assert retry["context"]["status_code"] == 500 and retry["context"]["next_attempt_at"]
    assert any("nothing due within" in r["message"] for r in records)  # why it stopped
