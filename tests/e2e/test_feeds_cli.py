"""`gateway feeds mapping ...` and `gateway watch DIR --once`, run as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.inbox import get_message, store_message
from gateway.store.tables import InboxRow
from tests.e2e.test_cli import ROOT, environment, gateway

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


def _set_acme_mapping(database_url: str) -> None:
    env = environment(database_url)
    result = gateway(
        "feeds", "mapping", "set", "SUP001", str(DATA / "acme-asn-mapping.json"), env=env
    )
    assert result.returncode == 0, result.stderr
    assert "ship_notice mapping of SUP001 created" in result.stderr


def test_mapping_set_show_list(database_url: str, tmp_path: Path) -> None:
    env = environment(database_url)
    _set_acme_mapping(database_url)
    shown = gateway("feeds", "mapping", "show", "SUP001", env=env)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["columns"]["quantity"] == "Qty"
    listed = gateway("feeds", "mapping", "list", env=env)
    assert "SUP001" in listed.stdout and "ship_notice" in listed.stdout
    again = gateway(
        "feeds", "mapping", "set", "SUP001", str(DATA / "acme-asn-mapping.json"), env=env
    )
    assert "replaced" in again.stderr


def test_an_invalid_mapping_is_refused_with_the_reason(database_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "document_type": "ship_notice",
                "columns": {"quantity_shipped": "Qty"},
                "date_format": "%Y",
            }
        )
    )
    result = gateway("feeds", "mapping", "set", "SUP001", str(bad), env=environment(database_url))
    assert result.returncode == 2
    assert "is not a strptime date format" in result.stderr
    assert "columns: quantity_shipped: not field(s) of ship_notice" in result.stderr
    missing = gateway("feeds", "mapping", "show", "SUP001", env=environment(database_url))
    assert missing.returncode == 1


def _drop_folder(root: Path) -> Path:
    acme = root / "SUP001"
    (acme / "inventory_position").mkdir(parents=True)
    shutil.copy(DATA / "acme-asn.csv", acme / "acme-asn.csv")
    shutil.copy(DATA / "inventory.csv", acme / "inventory_position" / "stock.csv")
    (acme / "still-uploading.csv.part").write_text("half a file")
    (acme / ".hidden.csv").write_text("not for us")
    outside = root.parent / "secret.csv"
    outside.write_text("report_id,as_of\nSECRET,2026-01-01\n")
    (acme / "escape.csv").symlink_to(outside)
    (root / "SUP002").mkdir()
    (root / "SUP002" / "no-mapping.csv").write_text("a,b\n1,2\n")
    (root / "SUP002" / "huge.csv").write_bytes(b"x" * 5000)
    return outside


def test_watch_once_reads_moves_and_reports(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _set_acme_mapping(database_url)
    root = tmp_path / "drop"
    outside = _drop_folder(root)
    env = environment(database_url, GATEWAY_MAX_FILE_BYTES="4096")
    result = gateway("watch", str(root), "--once", "--settle", "0", env=env)
    assert result.returncode == 1, result.stderr  # some files failed
    acme = root / "SUP001"
    assert sorted(p.name for p in (acme / "done").iterdir()) == [
        "acme-asn.csv",
        "acme-asn.csv.errors.csv",
        "acme-asn.csv.report.json",
    ]
    report = json.loads((acme / "done" / "acme-asn.csv.report.json").read_text())
    assert report["rows_accepted"] == 3 and report["documents"] == 2
    assert (
        "row,column,reason\n4,Qty,'lots' is not a number"
        in (acme / "done" / "acme-asn.csv.errors.csv").read_text()
    )
    stock = json.loads((acme / "inventory_position" / "done" / "stock.csv.report.json").read_text())
    assert stock["document_type"] == "inventory_position" and stock["rows_accepted"] == 2
    # left alone: files still being written, hidden files
    assert {p.name for p in acme.iterdir() if p.is_file()} == {
        "still-uploading.csv.part",
        ".hidden.csv",
    }
    # the symlink out of the folder is moved aside, unread; its target is untouched
    escaped = json.loads((acme / "failed" / "escape.csv.report.json").read_text())
    assert escaped["error"] == "symbolic links are refused" and outside.exists()
    failed = root / "SUP002" / "failed"
    assert (
        "no feed mapping"
        in json.loads((failed / "no-mapping.csv.report.json").read_text())["error"]
    )
    huge = json.loads((failed / "huge.csv.report.json").read_text())
    assert huge["error"] == "the file exceeds the 4096-byte limit"
    with sessions() as session:
        bodies = session.scalars(select(InboxRow.body)).all()
    assert not any(b"SECRET" in body for body in bodies)
    assert len(bodies) == 3  # the two acme files and the file without a mapping

    rerun = gateway("watch", str(root), "--once", "--settle", "0", env=env)
    assert rerun.returncode == 0 and "nothing to read" in rerun.stdout


def test_a_file_stored_before_a_crash_is_finished_not_doubled(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _set_acme_mapping(database_url)
    root = tmp_path / "drop"
    (root / "SUP001").mkdir(parents=True)
    body = (DATA / "acme-asn.csv").read_bytes()
    (root / "SUP001" / "acme-asn.csv").write_bytes(body)
    # the watcher committed the raw file, then died before processing or moving it
    first = store_message(
        sessions, partner_id="SUP001", channel="csv", content_type="text/csv", body=body
    )
    result = gateway("watch", str(root), "--once", "--settle", "0", env=environment(database_url))
    assert result.returncode == 0, result.stderr
    report = json.loads((root / "SUP001" / "done" / "acme-asn.csv.report.json").read_text())
    assert report["message_id"] == first.message_id and report["documents"] == 2
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxRow)) == 1
    message = get_message(sessions, first.message_id)
    assert message is not None and message.status == "processed"
    assert not os.path.exists(root / "SUP001" / "acme-asn.csv")


def test_watch_keeps_watching_and_waits_for_complete_files(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    root = tmp_path / "drop"
    folder = root / "SUP003" / "inventory_position"
    folder.mkdir(parents=True)
    env = environment(database_url)
    command = [sys.executable, "-m", "gateway", "watch", str(root), "--interval", "0.2"]
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    try:
        partial = folder / "stock.csv.part"  # written under a temporary name...
        partial.write_bytes((DATA / "inventory.csv").read_bytes())
        partial.rename(folder / "stock.csv")  # ...then renamed: now complete
        report = folder / "done" / "stock.csv.report.json"
        deadline = time.monotonic() + 90
        while not report.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert report.exists(), log.read_text()
        assert json.loads(report.read_text())["rows_accepted"] == 2
        assert process.poll() is None  # still watching
    finally:
        process.terminate()
        process.wait(timeout=30)
