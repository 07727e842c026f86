"""Over real HTTP: a bad ship notice posted to the gateway is found by the quality worker in
``gateway serve`` without the batch, once across restarts, and shows on /metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import EnvelopeParams, render_document
from gateway.app import create_app
from gateway.app.inbound import parse_canonical
from gateway.model import ShipNotice
from gateway.settings import Settings
from gateway.store import process_message, store_message
from gateway.store.quality_tables import FindingRow, QualityPendingRow
from tests.support import bearer, issue_key, serve

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = ROOT / "tests" / "data" / "canonical"
BOUND_S = 30.0  # generous: poll_s + one micro-batch, on a busy shared machine


@pytest.fixture
def admin(database_url: str) -> dict[str, str]:
    return bearer(
        issue_key(
            database_url, "admin:tests", "admin", grants=[["g", "admin:tests", "role:admin", "*"]]
        )
    )


def _settings(database_url: str, *, checking: bool) -> Settings:
    return Settings(
        database_url=database_url,
        run_quality_worker=checking,
        quality_poll_s=0.2,
        quality_linger_s=0.5,
    )


def _post(url: str, headers: dict[str, str], name: str, **changes: Any) -> None:
    data: dict[str, Any] = json.loads((CANONICAL / f"{name}.json").read_text())
    data.update(changes)
    if name == "ship_notice":
        data["lines"][0]["quantity"] += 500  # over the PO line's quantity
    answer = httpx.post(f"{url}/api/v1/documents", json=data, headers=headers)
    assert answer.status_code == 202, answer.text


def _metrics(url: str, headers: dict[str, str]) -> dict[tuple[str, tuple[str, ...]], float]:
    answer = httpx.get(f"{url}/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    samples: dict[tuple[str, tuple[str, ...]], float] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            if sample.name.startswith("gateway_quality"):
                labels = tuple(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                samples[(sample.name, labels)] = sample.value
    return samples


def _findings(url: str, headers: dict[str, str], rule: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{url}/api/v1/findings", headers=headers, params={"rule": rule})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def _eventually(probe: Callable[[], bool]) -> None:
    deadline = time.monotonic() + BOUND_S
    while not probe():
        assert time.monotonic() < deadline, "the quality worker did not catch up"
        time.sleep(0.1)


def _value(samples: dict[tuple[str, tuple[str, ...]], float], name: str, **labels: str) -> float:
    wanted = {f"{k}={v}" for k, v in labels.items()}
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def test_a_bad_ship_notice_is_found_once_across_restarts(
    database_url: str, engine: Engine, admin: dict[str, str]
) -> None:
    with serve(create_app(_settings(database_url, checking=False), engine=engine)) as url:
        _post(url, admin, "purchase_order")
        _post(url, admin, "ship_notice")
        assert _findings(url, admin, "ASN_OVER_SHIPMENT") == []
        samples = _metrics(url, admin)
        assert samples[("gateway_quality_stream_pending", ())] == 2
        assert samples[("gateway_quality_stream_lag_seconds", ())] > 0
    with serve(create_app(_settings(database_url, checking=True), engine=engine)) as url:
        _eventually(lambda: bool(_findings(url, admin, "ASN_OVER_SHIPMENT")))
        samples = _metrics(url, admin)
        assert samples[("gateway_quality_stream_pending", ())] == 0
        assert samples[("gateway_quality_stream_lag_seconds", ())] == 0
        raised = _value(samples, "gateway_quality_findings_raised_total", rule="ASN_OVER_SHIPMENT")
        assert raised >= 1
        assert _value(samples, "gateway_quality_open_findings", rule="ASN_OVER_SHIPMENT") >= 1
        assert _value(samples, "gateway_quality_last_run_timestamp_seconds", check="stream") > 0
    with serve(create_app(_settings(database_url, checking=True), engine=engine)) as url:
        # After a restart another document is checked; the notice is not checked again.
        _post(url, admin, "purchase_order", po_number="PO-OTHER")
        _eventually(lambda: _metrics(url, admin)[("gateway_quality_stream_pending", ())] == 0)
        samples = _metrics(url, admin)
        again = _value(samples, "gateway_quality_findings_raised_total", rule="ASN_OVER_SHIPMENT")
        assert again == raised
        runs = _value(samples, "gateway_quality_last_run_timestamp_seconds", check="freshness")
        assert runs > 0  # the worker also judged feed freshness on its schedule


def test_metrics_need_a_key_with_health_read(database_url: str, engine: Engine) -> None:
    with serve(create_app(_settings(database_url, checking=False), engine=engine)) as url:
        assert httpx.get(f"{url}/metrics").status_code == 401


def test_an_x12_ship_notice_is_checked_too(
    database_url: str, engine: Engine, admin: dict[str, str]
) -> None:
    notice = ShipNotice.model_validate_json((CANONICAL / "ship_notice.json").read_text())
    params = EnvelopeParams(
        sender_id="SUP001",
        receiver_id="ACME-BUYER",
        interchange_control_number=11,
        group_control_number=11,
    )
    body = render_document(notice, params).encode()
    with serve(create_app(_settings(database_url, checking=True), engine=engine)) as url:
        answer = httpx.post(
            f"{url}/api/v1/x12",
            content=body,
            headers={**admin, "Content-Type": "application/edi-x12"},
        )
        assert answer.status_code == 202, answer.text
        _eventually(lambda: bool(_findings(url, admin, "ASN_UNKNOWN_PO")))
        (finding,) = _findings(url, admin, "ASN_UNKNOWN_PO")
        assert finding["doc_key"] == notice.shipment_id


def test_the_worker_command_drains_the_queue(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    for name in ("purchase_order", "ship_notice"):
        data = json.loads((CANONICAL / f"{name}.json").read_text())
        if name == "ship_notice":
            data["lines"][0]["quantity"] += 500
        stored = store_message(
            sessions, partner_id="SUP001", channel="api", content_type="application/json",
            body=json.dumps(data).encode(),
        )  # fmt: skip
        process_message(sessions, stored.message_id, parse_canonical)
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "quality", "worker", "--until-idle", "--poll", "0.1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sessions() as session:
        rules = set(session.scalars(select(FindingRow.rule)))
        assert "ASN_OVER_SHIPMENT" in rules
        assert session.scalar(select(func.count()).select_from(QualityPendingRow)) == 0
