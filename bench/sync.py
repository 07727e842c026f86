"""Delivery throughput: 1, 2 and 4 worker processes on PostgreSQL against a local sink.

Queues N messages (10,000 by default) in a scratch PostgreSQL database, starts a raw ASGI
sink under uvicorn (one process), and times ``gateway worker --until-idle`` with 1, 2 and 4
processes draining the queue. The sink's own ceiling is measured in the same run: the same
number of processes POSTing as fast as they can with httpx, no database. Each run checks that
every message was delivered once and none is left.

Run: python bench/sync.py [--messages 10000] [--url postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from gateway.store.outbox import new_delivery_id, set_channel  # noqa: E402
from gateway.store.sync_tables import AttemptRow, OutboxRow  # noqa: E402
from gateway.store.tables import utcnow  # noqa: E402
from tests.support import free_port, scratch_postgres_database  # noqa: E402


def _sink(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.sync_sink:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/stats", timeout=1)
            return process
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _post_many(url: str, n: int) -> tuple[float, float]:
    with httpx.Client() as client:
        client.get(url.rsplit("/", 1)[0] + "/stats")  # connect before the clock starts
        started = time.time()
        for _ in range(n):
            client.post(url, content=b'{"n": 1}', headers={"X-Delivery-Id": uuid.uuid4().hex})
        return started, time.time()


def ceiling(url: str, processes: int, n: int) -> float:
    """Messages per second that ``processes`` plain httpx loops get from the sink."""
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        spans = pool.starmap(_post_many, [(url, n // processes)] * processes)
    # from the first request to the last, so process start-up is not counted
    return n / (max(end for _, end in spans) - min(start for start, _ in spans))


def drain(database_url: str, sink: str, processes: int, n: int) -> tuple[float, float]:
    """Messages per second from the first attempt to the last, and over the wall clock."""
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE sync_outbox, sync_attempts, sync_endpoints"))
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
        set_channel(session, partner_id="SUP1", document_type="*", primary_url=f"{sink}/in")
        session.execute(insert(OutboxRow), rows)
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "gateway.cli_sync",
        "worker",
        "--until-idle",
        "--batch",
        "50",
        "--poll",
        "0.05",
    ]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        for _ in range(processes)
    ]
    for worker in workers:
        if worker.wait(timeout=1800) != 0:
            raise SystemExit("a worker failed")
    elapsed = time.perf_counter() - started
    with sessions() as session:
        statuses = dict(
            session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all()
        )
        attempts = session.scalar(select(func.count()).select_from(AttemptRow))
        first, last = session.execute(
            select(func.min(AttemptRow.at), func.max(AttemptRow.at))
        ).one()
    engine.dispose()
    if statuses != {"delivered": n} or attempts != n:
        raise SystemExit(f"lost or repeated deliveries: {statuses}, {attempts} attempts")
    return n / (last - first).total_seconds(), n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    port = free_port()
    sink = f"http://127.0.0.1:{port}"
    sink_process = _sink(port)
    results = []
    try:
        with scratch_postgres_database(args.url) as database_url:
            engine = make_engine(database_url)
            upgrade(engine)
            engine.dispose()
            for processes in (int(p) for p in args.workers.split(",")):
                top = ceiling(f"{sink}/in", processes, args.messages)
                rate, wall = drain(database_url, sink, processes, args.messages)
                results.append(
                    {
                        "workers": processes,
                        "messages": args.messages,
                        "delivered_per_s": round(rate),
                        "delivered_per_s_with_startup": round(wall),
                        "sink_ceiling_per_s": round(top),
                    }
                )
                print(json.dumps(results[-1]), flush=True)
    finally:
        sink_process.terminate()
        sink_process.wait()
    print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
