"""Drop-folder writes: the atomic write (temp, fsync, rename, directory fsync) against a plain one.

``write_delivery`` is timed against its peer in the same run, ``Path.write_bytes`` of the
same bytes to the same names (not atomic, not durable: what a naive channel would do), and
against the atomic recipe without the two ``fsync`` calls, which shows what durability costs.
Every run checks that the directory holds exactly the expected files and no temp file.
Then the whole path: one in-process ``DeliveryWorker`` draining the same number of queued
deliveries into a folder channel (a scratch SQLite database, or ``--url``), against the
bare ``write_delivery`` rate above.

Run: python bench/sync_folder.py [--files 2000] [--size 4096] [--dir /path/on/the/share]
     [--url postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway import sync_folder  # noqa: E402
from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from gateway.store.outbox import enqueue, set_channel  # noqa: E402
from gateway.sync_folder import write_delivery  # noqa: E402
from gateway.sync_worker import DeliveryWorker, WorkerConfig  # noqa: E402
from sync import Verdict  # noqa: E402

Write = Callable[[Path, str, bytes], None]


def _atomic(folder: Path, name: str, body: bytes) -> None:
    assert write_delivery(folder, name, body).verdict is Verdict.DELIVERED


def _plain(folder: Path, name: str, body: bytes) -> None:
    (folder / name).write_bytes(body)


def _run(label: str, write: Write, base: Path, files: int, body: bytes) -> float:
    folder = base / label.replace(" ", "-")
    folder.mkdir()
    names = [f"{n:032x}.850.x12" for n in range(files)]
    started = time.perf_counter()
    for name in names:
        write(folder, name, body)
    elapsed = time.perf_counter() - started
    assert sorted(p.name for p in folder.iterdir()) == names  # no temp file, nothing missing
    rate = files / elapsed
    print(f"{label:<34} {rate:10.0f} files/s  ({elapsed * 1000 / files:.3f} ms per file)")
    return rate


def _worker(base: Path, files: int, body: bytes, url: str | None) -> float:
    folder = base / "worker"
    folder.mkdir()
    engine = make_engine(url or f"sqlite:///{base / 'bench.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        set_channel(
            session, kind="folder", partner_id="BENCH", document_type="*", primary_url=str(folder)
        )
        ids = [
            enqueue(
                session,
                partner_id="BENCH",
                document_type="850",
                body=body,
                content_type="application/edi-x12",
            )
            for _ in range(files)
        ]
    started = time.perf_counter()
    with DeliveryWorker(sessions, WorkerConfig(batch=50, ack_check_s=None)) as worker:
        while worker.run_once():
            pass
    elapsed = time.perf_counter() - started
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i}.850.x12" for i in ids)
    engine.dispose()
    rate = files / elapsed
    label = f"DeliveryWorker ({engine.dialect.name})"
    print(f"{label:<34} {rate:10.0f} files/s  ({elapsed * 1000 / files:.3f} ms per file)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--size", type=int, default=4096, help="bytes per file")
    parser.add_argument("--dir", type=Path, default=None, help="where to write (a temp dir)")
    parser.add_argument("--url", default=None, help="database for the worker (scratch SQLite)")
    args = parser.parse_args()
    body = os.urandom(args.size)
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        base = Path(scratch)
        plain = _run("plain write_bytes (peer)", _plain, base, args.files, body)
        with mock.patch.object(sync_folder.os, "fsync", lambda _fd: None):
            no_sync = _run("atomic, no fsync", _atomic, base, args.files, body)
        atomic = _run("write_delivery (atomic + fsync)", _atomic, base, args.files, body)
        whole = _worker(base, args.files, body, args.url)
    print(f"write_delivery / plain: {atomic / plain:.2f}x the rate")
    print(f"atomic without fsync / plain: {no_sync / plain:.2f}x the rate")
    print(f"worker / write_delivery: {whole / atomic:.2f}x the rate")


if __name__ == "__main__":
    main()
