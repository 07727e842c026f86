"""Ingest with the streaming quality check on vs off, in the same run.

The peer is ingest without the check (``process_message(check_quality=False)``, no quality
worker): the throughput the gateway had before. Ours queues each processed message and runs
the quality worker on a thread of the same process (as ``gateway serve`` does), micro-batching
the document rules while messages keep coming. Both ingest the same purchase orders, ship
notices and receipts (in date order, so notices find their orders) into a fresh database
with the demo's master data. Runs alternate off/on ``--repeat`` times; medians are printed,
with the slowdown (target: at most 20 %), the time the worker needed after the last message
to drain the queue, and the largest lag seen.

Run: python bench/quality_ingest.py [--n 1500] [--repeat 3] [--url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app.inbound import parse_canonical
from gateway.demo import generate_demo
from gateway.quality_worker import QualityWorkerConfig, start_quality_worker
from gateway.store import make_engine, make_session_factory, process_message, store_message
from gateway.store.master import save_items, save_locations, save_segments, save_suppliers
from gateway.store.migrate import reset_schema, upgrade
from gateway.store.quality_health import stream_backlog
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import utcnow

AS_OF = dt.date(2026, 11, 20)


def workload(count: int) -> tuple[object, list[bytes]]:
    demo = generate_demo(1, as_of=AS_OF, items=120, suppliers=12, weeks=80)
    flows = demo.flows
    docs = [*flows.purchase_orders, *flows.ship_notices, *flows.receipts]
    docs.sort(key=lambda d: getattr(d, "order_date", None) or getattr(d, "ship_date", None)
              or d.received_date)  # fmt: skip
    bodies = [d.model_dump_json(exclude={"provenance"}).encode() for d in docs]
    # Distinct bodies, so none is recognised as a re-send (a wrap-around repeats documents).
    return demo, [bodies[i % len(bodies)] + b" " * (i // len(bodies)) for i in range(count)]


@dataclass
class Run:
    ingest_s: float
    cpu_s: float = 0.0  # CPU of this process (ingest, and a worker thread) until drained
    drain_s: float = 0.0
    max_lag_s: float = 0.0
    findings: int = 0


def fresh_sessions(url: str, demo: object) -> sessionmaker[Session]:
    engine = make_engine(url)
    if url.startswith("postgresql"):
        reset_schema(engine)
    upgrade(engine)
    sessions = make_session_factory(engine)
    catalog = getattr(demo, "catalog")  # noqa: B009
    with sessions.begin() as session:
        save_segments(session, catalog.segments)
        save_locations(session, catalog.locations)
        save_suppliers(session, catalog.suppliers)
        save_items(session, catalog.items)
    return sessions


def ingest(sessions: sessionmaker[Session], bodies: list[bytes], *, check: bool) -> float:
    start = time.perf_counter()
    for body in bodies:
        stored = store_message(
            sessions, partner_id="SUP001", channel="api",
            content_type="application/json", body=body,
        )  # fmt: skip
        outcome = process_message(sessions, stored.message_id, parse_canonical, check_quality=check)
        assert outcome.status == "processed", outcome.error
    return time.perf_counter() - start


def run_off(url: str, demo: object, bodies: list[bytes]) -> Run:
    sessions = fresh_sessions(url, demo)
    cpu = time.process_time()
    run = Run(ingest(sessions, bodies, check=False))
    run.cpu_s = time.process_time() - cpu
    return run


class WorkerProcess:
    """``gateway quality worker`` as its own process, as on a dedicated host."""

    def __init__(self, url: str, poll_s: float, linger_s: float) -> None:
        env = {**os.environ, "GATEWAY_DATABASE_URL": url}
        command = [sys.executable, "-m", "gateway", "quality", "worker"]
        command += ["--poll", str(poll_s), "--linger", str(linger_s)]
        root = Path(__file__).resolve().parents[1]
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stderr=subprocess.PIPE, text=True
        )
        # Its start (importing pandas) is not part of ingest: wait until it is polling.
        assert self.process.stderr is not None
        while "quality worker started" not in self.process.stderr.readline():
            assert self.process.poll() is None, "the quality worker did not start"
        threading.Thread(target=self.process.stderr.read, daemon=True).start()  # drain

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)


def run_on(
    url: str, demo: object, bodies: list[bytes], poll_s: float, linger_s: float, mode: str
) -> Run:
    sessions = fresh_sessions(url, demo)
    config = QualityWorkerConfig(poll_s=poll_s, linger_s=linger_s, freshness_every_s=3600)
    worker = (
        start_quality_worker(sessions, config)
        if mode == "thread"
        else WorkerProcess(url, poll_s, linger_s)
    )
    lags: list[float] = []
    sampling = threading.Event()

    def sample() -> None:  # the lag as /metrics would show it, twice a second
        while not sampling.wait(0.5):
            with sessions() as session:
                lags.append(stream_backlog(session).lag_s(utcnow()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = time.process_time()
    run = Run(ingest(sessions, bodies, check=True))
    ended = time.perf_counter()
    while True:
        with sessions() as session:
            backlog = stream_backlog(session)
        if backlog.pending == 0:
            break
        lags.append(backlog.lag_s(utcnow()))
        time.sleep(0.05)
    run.drain_s = time.perf_counter() - ended
    run.cpu_s = time.process_time() - cpu
    sampling.set()
    sampler.join()
    worker.stop()
    run.max_lag_s = max(lags, default=0.0)
    with sessions() as session:
        run.findings = int(session.scalar(select(func.count()).select_from(FindingRow)) or 0)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1500, help="messages to ingest per run")
    parser.add_argument("--repeat", type=int, default=3, help="off/on pairs")
    parser.add_argument("--poll", type=float, default=1.0, help="quality worker poll, s")
    parser.add_argument("--linger", type=float, default=5.0, help="quality worker linger, s")
    parser.add_argument("--url", help="database URL (default: a SQLite file per run)")
    parser.add_argument(
        "--mode",
        choices=["thread", "process"],
        default="thread",
        help="the worker on a thread of the ingesting process (as in gateway serve) "
        "or as a gateway quality worker process",
    )
    args = parser.parse_args()
    demo, bodies = workload(args.n)
    offs: list[Run] = []
    ons: list[Run] = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.repeat):
            url_off = args.url or f"sqlite:///{Path(folder) / f'off{i}.db'}"
            url_on = args.url or f"sqlite:///{Path(folder) / f'on{i}.db'}"
            offs.append(run_off(url_off, demo, bodies))
            ons.append(run_on(url_on, demo, bodies, args.poll, args.linger, args.mode))
            print(f"pair {i + 1}: off {args.n / offs[-1].ingest_s:,.0f} msg/s, "
                  f"on {args.n / ons[-1].ingest_s:,.0f} msg/s, "
                  f"max lag {ons[-1].max_lag_s:.1f} s", flush=True)  # fmt: skip
    off = statistics.median(r.ingest_s for r in offs)
    on = statistics.median(r.ingest_s for r in ons)
    backend = "PostgreSQL" if args.url else "SQLite"
    print(f"{args.n} messages (orders, notices, receipts), {backend}, worker as a {args.mode}, "
          f"median of {args.repeat}")  # fmt: skip
    print(f"peer  ingest, no quality check          {args.n / off:8,.0f} msg/s")
    print(f"ours  ingest, streaming check running   {args.n / on:8,.0f} msg/s")
    print(f"ratio ours / peer throughput            {off / on:8.2f}")
    print(f"slowdown (target <= 20 %)               {100 * (on - off) / on:7.1f} %")
    # The machine's load moves both runs of a pair alike: the ratio per pair is steadier.
    losses = sorted(100 * (1 - a.ingest_s / b.ingest_s) for a, b in zip(offs, ons, strict=True))
    print(f"slowdown per pair: median {statistics.median(losses):.1f} %, "
          f"range {losses[0]:.1f} to {losses[-1]:.1f} %")  # fmt: skip
    cpu_off = statistics.median(r.cpu_s for r in offs) / args.n * 1000
    cpu_on = statistics.median(r.cpu_s for r in ons) / args.n * 1000
    where = "ingest + worker thread" if args.mode == "thread" else "ingest (worker apart)"
    print(f"CPU per message off / on ({where}) {cpu_off:5.1f} / {cpu_on:.1f} ms")
    drain = statistics.median(r.drain_s for r in ons)
    print(f"queue drained after the last message    {drain:8.2f} s")
    print(f"largest lag seen (oldest unchecked)     {max(r.max_lag_s for r in ons):8.2f} s")
    findings = statistics.median(r.findings for r in ons)
    print(f"findings opened by the streaming check  {findings:8,.0f}")


if __name__ == "__main__":
    main()
