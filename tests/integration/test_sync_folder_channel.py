"""Drop-folder channels end to end: the outbox, a real worker, real directories.

Read-only directories are real: ``chmod 0555`` for an ordinary user; as root (which ignores
modes) the immutable attribute (``chattr +i``, EPERM) or a read-only bind mount (EROFS).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway import sync_folder
from gateway.store import dead_letters
from gateway.store.audit import AuditRow
from gateway.store.outbox import enqueue, set_channel
from gateway.store.sync_health import partner_health
from gateway.store.sync_tables import AttemptRow, ChannelRow, EndpointRow, OutboxRow
from gateway.store.tables import utcnow
from gateway.sync_worker import DeliveryWorker
from tests.integration.test_sync_worker import FAST, HEALS_NOW, STAYS_OPEN, _drain, _statuses
from tests.sink import Sink
from tests.support import serve

X12 = b"ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUP1           *~GS*PO~ST*850~"


def _folder_channel(
    sessions: sessionmaker[Session], primary: Path, secondary: Path | None, attempts: int = 10
) -> None:
    with sessions.begin() as session:
        set_channel(
            session,
            kind="folder",
            partner_id="SUP1",
            document_type="*",
            primary_url=str(primary),
            secondary_url=str(secondary) if secondary else None,
            max_attempts=attempts,
        )


def _queue(
    sessions: sessionmaker[Session], n: int, document_type: str = "850", body: bytes = X12
) -> list[str]:
    content_type = "application/json" if document_type.startswith("json:") else "text/plain"
    with sessions.begin() as session:
        return [
            enqueue(
                session,
                partner_id="SUP1",
                document_type=document_type,
                body=body + str(i).encode(),
                content_type=content_type,
            )
            for i in range(n)
        ]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` really refuse new files for the time of the block."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") and _run("chattr", "+i", str(folder)):
        try:
            yield
        finally:
            _run("chattr", "-i", str(folder))
        return
    if _run("mount", "--bind", "-o", "ro", str(folder), str(folder)):
        try:
            yield
        finally:
            _run("umount", str(folder))
        return
    pytest.skip("as root without chattr or mount, no directory can be made read-only")


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def test_each_delivery_is_one_complete_file_named_by_id_and_type(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _folder_channel(sessions, drop, None)
    x12 = _queue(sessions, 3)
    json_ = _queue(sessions, 2, "json:forecast", b'{"weeks": 12, "n": ')
    _drain(sessions, FAST)

    expected = {f"{i}.850.x12": X12 + str(n).encode() for n, i in enumerate(x12)} | {
        f"{i}.json-forecast.json": b'{"weeks": 12, "n": ' + str(n).encode()
        for n, i in enumerate(json_)
    }
    assert _files(drop) == expected  # nothing else: no temp file left behind
    rows = _statuses(sessions)
    assert all(rows[i].status == "delivered" and rows[i].attempts == 1 for i in x12 + json_)
    assert {rows[i].endpoint for i in x12} == {drop.as_uri()}


def test_delivering_the_same_id_again_keeps_one_file(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _folder_channel(sessions, drop, None)
    [delivery] = _queue(sessions, 1)
    _drain(sessions, FAST)
    with sessions.begin() as session:  # as if the worker died before recording its success
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == delivery)
            .values(status="pending", next_attempt_at=utcnow())
        )
    _drain(sessions, FAST)
    assert _files(drop) == {f"{delivery}.850.x12": X12 + b"0"}
    assert _statuses(sessions)[delivery].attempts == 2


def test_a_missing_primary_fails_over_then_back_when_it_returns(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    primary, secondary = tmp_path / "primary", tmp_path / "secondary"
    secondary.mkdir()  # the primary share is not mounted
    _folder_channel(sessions, primary, secondary)
    first = _queue(sessions, 6)
    _drain(sessions, STAYS_OPEN)
    rows = _statuses(sessions)
    assert all(rows[i].status == "delivered" for i in first)
    assert sorted(_files(secondary)) == sorted(f"{i}.850.x12" for i in first)
    assert not primary.exists()  # never created: that would hide an unmounted share
    assert sum(rows[i].attempts for i in first) == 6 + 3  # three failures opened the breaker
    with sessions() as session:
        entries = partner_health(session, utcnow(), STAYS_OPEN.breaker)
        [health] = [h for h in entries if h.document_type == "850"]
        assert health.active_endpoint == secondary.as_uri()
        assert health.breakers == {primary.as_uri(): "open", secondary.as_uri(): "closed"}
        assert health.last_error == f"ENOENT: No such file or directory: {primary}"

    primary.mkdir()  # the share is back; the breaker is half-open once its cooldown passed
    second = _queue(sessions, 6)
    _drain(sessions, HEALS_NOW)
    assert sorted(_files(primary)) == sorted(f"{i}.850.x12" for i in second)
    assert all(_statuses(sessions)[i].status == "delivered" for i in second)
    with sessions() as session:
        assert session.get(EndpointRow, primary.as_uri()).state == "closed"  # type: ignore[union-attr]


def test_a_read_only_folder_is_retried_then_dead_lettered_and_replayed_under_the_same_name(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _folder_channel(sessions, drop, None, attempts=3)
    ids = _queue(sessions, 2)
    with _read_only(drop):
        _drain(sessions, HEALS_NOW)  # every cooldown over at once: each cycle probes again
        assert _files(drop) == {}
    rows = _statuses(sessions)
    for i in ids:
        assert rows[i].status == "dead" and rows[i].attempts == 3
        reason = rows[i].dead_reason or ""
        assert reason.startswith("gave up after 3 attempts: E"), reason
        assert reason.endswith(f": {drop}") and any(
            code in reason for code in ("EACCES", "EPERM", "EROFS")
        )
    with sessions() as session:
        failed = session.scalars(select(AttemptRow).where(AttemptRow.delivery_id == ids[0])).all()
        assert [a.ok for a in failed] == [False, False, False]

    # an earlier attempt that wrote the file but failed to report it leaves a stale copy
    (drop / f"{ids[0]}.850.x12").write_bytes(b"stale")
    with sessions.begin() as session:
        replays = [dead_letters.replay(session, i, actor="ann").replay for i in ids]
    _drain(sessions, FAST)
    # the replay writes the file again under the original's name: one file per message
    assert _files(drop) == {f"{i}.850.x12": X12 + str(n).encode() for n, i in enumerate(ids)}
    rows = _statuses(sessions)
    assert [rows[r].status for r in replays] == ["delivered", "delivered"]
    assert [rows[i].status for i in ids] == ["replayed", "replayed"]
    with sessions() as session:
        actions = session.scalars(select(AuditRow.action).where(AuditRow.actor == "ann")).all()
        assert list(actions) == ["delivery.replayed", "delivery.replayed"]


def test_a_replay_of_a_replay_keeps_the_first_name(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    _folder_channel(sessions, drop, None, attempts=1)  # the directory does not exist yet
    [original] = _queue(sessions, 1)
    _drain(sessions, HEALS_NOW)
    with sessions.begin() as session:
        second = dead_letters.replay(session, original, actor="ann").replay
    _drain(sessions, HEALS_NOW)
    drop.mkdir()
    with sessions.begin() as session:
        third = dead_letters.replay(session, second, actor="ann").replay
    _drain(sessions, FAST)
    assert _files(drop) == {f"{original}.850.x12": X12 + b"0"}
    assert _statuses(sessions)[third].status == "delivered"


def test_a_write_cut_off_by_a_full_disk_leaves_nothing_and_is_retried(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _folder_channel(sessions, drop, None)
    [delivery] = _queue(sessions, 1, body=b"x" * 100_000)
    real_write = os.write

    def half_then_full(fd: int, data: memoryview) -> int:
        if len(data) > 50_000:  # the first half goes to disk, then the disk is full
            return real_write(fd, bytes(data[:50_000]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sync_folder.os, "write", half_then_full)
    with DeliveryWorker(sessions, FAST) as worker:
        assert worker.run_once() == 1
    assert _files(drop) == {}  # neither a partial file nor its temp file
    row = _statuses(sessions)[delivery]
    assert row.status == "pending" and (row.last_error or "").startswith("ENOSPC: ")

    monkeypatch.setattr(sync_folder.os, "write", real_write)  # space freed
    _drain(sessions, FAST)
    assert _files(drop) == {f"{delivery}.850.x12": b"x" * 100_000 + b"0"}


def test_folder_and_http_channels_share_one_worker(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _folder_channel(sessions, drop, None)
    partner = Sink()
    with serve(partner.app) as url:  # type: ignore[arg-type]
        with sessions.begin() as session:
            set_channel(session, partner_id="SUP2", document_type="*", primary_url=f"{url}/in")
            posted = enqueue(
                session,
                partner_id="SUP2",
                document_type="json:po",
                body=b"{}",
                content_type="application/json",
            )
        [written] = _queue(sessions, 1)
        _drain(sessions, FAST)
    assert partner.accepted[posted] == ["in"]
    assert _files(drop) == {f"{written}.850.x12": X12 + b"0"}


def test_a_stored_folder_endpoint_that_is_not_absolute_is_a_dead_letter(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:  # written around set_channel, which refuses it
        session.add(ChannelRow(partner_id="SUP1", document_type="*", primary_url="file:drop"))
    [delivery] = _queue(sessions, 1)
    _drain(sessions, FAST)
    row = _statuses(sessions)[delivery]
    assert (row.status, row.attempts) == ("dead", 1)
    assert "absolute directory" in (row.dead_reason or "")
