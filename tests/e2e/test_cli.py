"""The `gateway` command line, run as a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import jsonschema
import pytest

from tests.support import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--items", "24", "--suppliers", "6", "--weeks", "60", "--as-of", "2026-11-20"]


def gateway(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def environment(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "GATEWAY_DATABASE_URL": database_url, "COLUMNS": "120", **extra}


def test_help_lists_the_commands() -> None:
    result = gateway("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "db", "schema"):
        assert command in result.stdout
    assert "upgrade" in gateway("db", "--help").stdout


def test_schema_prints_a_usable_json_schema() -> None:
    result = gateway("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    receipt = json.loads((ROOT / "tests" / "data" / "canonical" / "receipt.json").read_text())
    jsonschema.validate(receipt, schema)


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    env = environment(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert gateway("db", "current", env=env).returncode == 1  # empty: not current
    upgraded = gateway("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    current = gateway("db", "current", env=env)
    from gateway.store import head_revision

    assert current.returncode == 0 and f"current: {head_revision()}" in current.stdout


def test_demo_without_serving_builds_and_exits(database_url: str) -> None:
    result = gateway("demo", "--seed", "4", "--no-serve", *SMALL, env=environment(database_url))
    assert result.returncode == 0, result.stderr
    assert "purchase orders" in result.stderr and "Traceback" not in result.stderr
    again = gateway("demo", "--seed", "4", "--no-serve", *SMALL, env=environment(database_url))
    assert again.returncode == 0 and "already holds the demo built with seed 4" in again.stderr


def test_demo_then_serve_answers_over_http(tmp_path: Path) -> None:
    port = free_port()
    env = environment(f"sqlite:///{tmp_path / 'demo.db'}", GATEWAY_PORT=str(port))
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "demo", "--seed", "2", *SMALL],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", timeout=90)
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert "serving on" in stderr


def test_a_bare_postgresql_url_is_explained() -> None:
    result = gateway("db", "upgrade", env=environment("postgresql://postgres@127.0.0.1/test"))
    assert result.returncode == 2
    assert "postgresql+psycopg://" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_database_is_a_clear_error() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2"
    result = gateway("db", "upgrade", env=environment(url))
    assert result.returncode == 1
    assert "cannot migrate" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01"])
def test_a_bad_as_of_date_is_refused(bad: str, tmp_path: Path) -> None:
    env = environment(f"sqlite:///{tmp_path / 'x.db'}")
    result = gateway("demo", "--no-serve", "--as-of", bad, env=env)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_edi_ingest_files_and_folders(database_url: str, tmp_path: Path) -> None:
    from adapters.edi import EnvelopeParams, render_document
    from gateway.model import ShipNotice

    data = ROOT / "tests" / "data" / "canonical" / "ship_notice.json"
    notice = ShipNotice.model_validate_json(data.read_text())
    drop = tmp_path / "drop"
    drop.mkdir()
    for control in (1, 2):
        params = EnvelopeParams(
            sender_id="SUP001",
            receiver_id="ACME",
            interchange_control_number=control,
            group_control_number=control,
        )
        (drop / f"asn{control}.edi").write_text(render_document(notice, params))
    acks = tmp_path / "acks"
    env = environment(database_url)
    result = gateway("edi", "ingest", str(drop), "--acks", str(acks), env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.count("│ accepted ") == 2
    assert sorted(p.name for p in acks.iterdir()) == ["asn1.edi.ack", "asn2.edi.ack"]
    assert "AK9*A" in (acks / "asn1.edi.ack").read_text()
    again = gateway("edi", "ingest", str(drop / "asn1.edi"), env=env)
    assert again.returncode == 0 and "duplicate" in again.stdout
    broken = drop / "broken.edi"
    broken.write_text((drop / "asn2.edi").read_text().replace("000000002", "000000003", 1))
    rejected = gateway("edi", "ingest", str(broken), env=env)
    assert rejected.returncode == 1 and "rejected" in rejected.stdout
    missing = gateway("edi", "ingest", str(tmp_path / "nowhere"), env=env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
