"""Sustained mixed load on PostgreSQL with several processes: throughput, p99, memory, errors.

Builds the demo supply chain (``gateway.demo``, planned) in a scratch PostgreSQL database and
runs the deployment the README describes: ``gateway serve --workers N`` with the workers off
(``GATEWAY_RUN_WORKER=false``, ``GATEWAY_RUN_QUALITY_WORKER=false``), separate ``gateway
worker`` delivery processes and a ``gateway quality worker``, and a partner on loopback
(``bench/sync_sink.py``, its own process) that counts every delivery id. Then, for
``--minutes``, ``--concurrency`` clients (httpx, one asyncio loop here) send a weighted mix:

- a supplier (the demo's key): X12 856 interchanges (``POST /api/v1/x12``) and their 997
  (``GET`` the ``ack_url``), JSON ship notices and inventory positions
  (``POST /api/v1/documents``), CSV inventory files (``POST /api/v1/files``), its purchase
  orders (``GET /api/v1/purchase-orders``);
- the planner (the demo's key): X12 850 purchase orders, GraphQL segment health and an item
  list, and ``publishForecast``, which queues an X12 830 to the supplier in the sync outbox:
  the deliveries the workers make to the partner while the load runs.

Every answer is checked (status and content: an X12 message accepted with one document, a
processed JSON document, a 997, GraphQL without errors); anything else, a transport error or a
timeout is an error. Every ``--every`` seconds it prints requests/s per class, errors,
deliveries and the RSS of every process (from /proc); at the end, per class count, req/s,
p50/p99 and errors; deliveries expected (ids answered by publishing), at the partner,
missing and duplicated; RSS per process at minute 1 and at the end with the slope over the
second half, and a verdict. The ceiling next to it: ``GET /healthz`` at the same concurrency
on the same servers, measured before the mix. Exit status 1 on any error, a missing
delivery or growing memory. Every child process is stopped at the end, on Ctrl-C and on
error; the scratch database is dropped.

    python bench/load.py                            # 10 minutes, 2 servers, 2 delivery workers
    python bench/load.py --minutes 0.5 --every 5    # a short run
    python bench/load.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test --servers 4
    python bench/load.py --sqlite --minutes 1       # SQLite: one server, one delivery worker
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_fleet import Fleet  # noqa: E402
from bench.load_report import Run, report  # noqa: E402
from bench.load_world import Mix, Request, World, build_world  # noqa: E402
from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.quality_tables import QualityPendingRow  # noqa: E402
from gateway.store.sync_tables import OutboxRow  # noqa: E402
from gateway.store.tables import InboxRow  # noqa: E402
from tests.support import (  # noqa: E402
    DEFAULT_POSTGRES,
    free_port,
    scratch_postgres_database,
    wait_until_ready,
)

# The planner's 850s are the orders the supplier's ship notices answer (an 856, or a JSON
# ship notice every other JSON document), so about as many orders as ship notices.
WEIGHTS = {
    "x12 850": 3,
    "x12 856": 2,
    "json document": 2,
    "csv file": 1,
    "rest orders": 1,
    "graphql health": 2,
    "graphql items": 2,
    "graphql publish": 1,
}
CLASSES = [*WEIGHTS, "x12 997 GET"]


async def send(
    client: httpx.AsyncClient, keys: dict[str, str], request: Request, run: Run
) -> bytes | None:
    """One request, timed and checked; the answer's body if it was right."""
    headers = {"Authorization": f"Bearer {keys[request.principal]}", **request.headers}
    started = time.perf_counter()
    try:
        answer = await client.request(
            request.method, request.path, content=request.body, headers=headers
        )
        elapsed = time.perf_counter() - started
        try:
            problem = request.check(answer.status_code, answer.content)
        except (ValueError, KeyError, TypeError) as error:
            problem = f"unreadable answer ({error!r}): {answer.content[:120]!r}"
    except httpx.HTTPError as error:
        elapsed, problem = (
            time.perf_counter() - started,
            f"transport: {type(error).__name__} {error}",
        )
        answer = None
    run.record(request.load_class, elapsed, problem)
    return answer.content if answer is not None and problem is None else None


async def client_loop(
    client: httpx.AsyncClient, world: World, mix: Mix, run: Run, until: float
) -> None:
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.monotonic() < until:
        request: Request | None = mix.make(mix.rng.choices(names, weights)[0])
        while request is not None:
            body = await send(client, world.keys, request, run)
            request = request.follow(body) if body is not None and request.follow else None


@asynccontextmanager
async def connected(base: str, concurrency: int) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One client per concurrent user, each with its own keep-alive connection.

    The connections are opened one after another: asyncio accepts every pending connection
    in one go, so connections opened at once would all land on one server process.
    """
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(concurrency):
            client = httpx.AsyncClient(base_url=base, limits=one, timeout=60)
            clients.append(await stack.enter_async_context(client))
            (await client.get("/healthz")).raise_for_status()
        yield clients


async def ceiling(clients: list[httpx.AsyncClient], seconds: float) -> tuple[float, float, float]:
    """req/s, p50 and p99 (ms) of ``GET /healthz`` from the same clients: the servers' and
    this client's ceiling on this machine."""
    latencies: list[float] = []

    async def loop(client: httpx.AsyncClient, until: float) -> None:
        while time.monotonic() < until:
            started = time.perf_counter()
            (await client.get("/healthz")).raise_for_status()
            latencies.append(time.perf_counter() - started)

    started = time.monotonic()
    await asyncio.gather(*(loop(client, started + seconds) for client in clients))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return (
        len(ordered) / elapsed,
        statistics.median(ordered) * 1000,
        ordered[int(len(ordered) * 0.99)] * 1000,
    )


class Sampler:
    """Every ``every`` seconds: requests/s per class, errors, deliveries, RSS per process."""

    def __init__(
        self, fleet: Fleet, sessions: Any, sink: str, mix: Mix, run: Run, every: float
    ) -> None:
        self.fleet, self.sessions, self.sink, self.mix, self.run = fleet, sessions, sink, mix, run
        self.every = every

    async def loop(self, started: float, until: float) -> None:
        last = started
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                await asyncio.sleep(max(0.0, min(self.every, until - time.monotonic())))
                now = time.monotonic()
                await self.sample(client, now - started, now - last)
                last = now
                if now >= until:
                    return

    def cpu_baseline(self) -> None:
        """CPU times before the mix, so that the report counts the mix's only."""
        for name, (_, cpu) in self.fleet.usage().items():
            self.run.cpu_s[name] = (cpu, cpu)

    async def sample(self, client: httpx.AsyncClient, elapsed: float, interval: float) -> None:
        usage = self.fleet.usage()
        rss = {name: mb for name, (mb, _) in usage.items()}
        self.run.memory.append((elapsed, rss))
        for name, (_, cpu) in usage.items():
            self.run.cpu_s[name] = (self.run.cpu_s.get(name, (cpu, cpu))[0], cpu)
        self.run.load_average.append(os.getloadavg()[0])
        rates = []
        for name, stats in self.run.stats.items():
            rates.append(f"{name} {stats.since_sample / interval:.1f}")
            stats.since_sample = 0
        sink = (await client.get(f"{self.sink}/stats")).json()
        outbox, checks = await asyncio.to_thread(backlog, self.sessions)
        print(
            f"[{elapsed:6.0f} s] req/s: {', '.join(rates)}\n"
            f"          errors {self.run.errors}; deliveries published {len(self.mix.published)}, "
            f"at the partner {sink['distinct']} ({sink['requests']} requests), outbox waiting "
            f"{outbox}; quality checks waiting {checks}; load {os.getloadavg()[0]:.1f}\n"
            f"          RSS MB: {', '.join(f'{n} {mb:.0f}' for n, mb in rss.items())}",
            flush=True,
        )


def backlog(sessions: Any) -> tuple[int, int]:
    """Deliveries not made yet, and processed messages the quality check has not judged."""
    with sessions() as session:
        outbox = session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.status.in_(("pending", "in_flight")))
        )
        checks = session.scalar(
            select(func.count())
            .select_from(QualityPendingRow)
            .where(QualityPendingRow.failed_at.is_(None))
        )
        return int(outbox or 0), int(checks or 0)


async def exercise(
    args: argparse.Namespace, world: World, fleet: Fleet, sessions: Any
) -> tuple[tuple[float, float, float], Run, Mix]:
    """The ceiling, then the mix for ``--minutes``, from the same clients."""
    async with connected(fleet.url, args.concurrency) as clients:
        top = await ceiling(clients, min(args.ceiling_s, args.minutes * 6))
        print(f"ceiling GET /healthz: {top[0]:.0f} req/s, p50 {top[1]:.1f} ms, "
              f"p99 {top[2]:.1f} ms", flush=True)  # fmt: skip
        run = Run(CLASSES)
        mix = Mix(world, run=f"{os.getpid()}", rng=random.Random(args.seed))
        sampler = Sampler(fleet, sessions, fleet.sink_url, mix, run, args.every)
        started = time.monotonic()
        until = started + args.minutes * 60
        sampler.cpu_baseline()
        sampling = asyncio.create_task(sampler.loop(started, until))
        await asyncio.gather(*(client_loop(c, world, mix, run, until) for c in clients))
        run.seconds = time.monotonic() - started  # in-flight requests finish after ``until``
        await sampling
    return top, run, mix


async def settle(
    fleet: Fleet, sessions: Any, published: list[str], timeout: float
) -> dict[str, int]:
    """Wait (bounded) until what was published is delivered and every message checked; the
    partner's count of requests per delivery id."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            seen: dict[str, int] = (await client.get(f"{fleet.sink_url}/ids")).json()
            done = all(i in seen for i in published)
            if (done and await asyncio.to_thread(backlog, sessions) == (0, 0)) or (
                time.monotonic() > deadline
            ):
                return seen
            await asyncio.sleep(0.5)


def store_counts(sessions: Any) -> dict[str, dict[str, int]]:
    with sessions() as session:

        def grouped(column: Any) -> dict[str, int]:
            return {
                str(k): int(v)
                for k, v in session.execute(select(column, func.count()).group_by(column))
            }

        quality = {
            "waiting": session.scalar(
                select(func.count())
                .select_from(QualityPendingRow)
                .where(QualityPendingRow.failed_at.is_(None))
            ),
            "set aside (failed)": session.scalar(
                select(func.count())
                .select_from(QualityPendingRow)
                .where(QualityPendingRow.failed_at.is_not(None))
            ),
        }
        return {
            "inbox": grouped(InboxRow.status),
            "outbox": grouped(OutboxRow.status),
            "quality checks": {k: int(v or 0) for k, v in quality.items()},
        }


@contextmanager
def database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    if args.sqlite:
        yield f"sqlite:///{folder / 'load.db'}"
        return
    with scratch_postgres_database(args.url) as url:
        yield url


def measure(args: argparse.Namespace, url: str, fleet: Fleet) -> bool:
    """Build the world, start the processes, run the ceiling and the mix, report."""
    fleet.start_sink(free_port())
    started = time.perf_counter()
    world = build_world(
        url, fleet.sink_url, seed=args.seed, items=args.items, suppliers=args.suppliers
    )
    print(f"demo built and planned in {time.perf_counter() - started:.0f} s", flush=True)
    servers = 1 if args.sqlite else args.servers
    workers = 1 if args.sqlite else args.delivery_workers
    fleet.start_gateway(free_port(), servers=servers, delivery_workers=workers)
    wait_until_ready(fleet.url, timeout=120)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        top, run, mix = asyncio.run(exercise(args, world, fleet, sessions))
        seen = asyncio.run(settle(fleet, sessions, mix.published, timeout=120))
        store = store_counts(sessions)
    finally:
        engine.dispose()
    fleet.stop()
    return report(args, run, top, mix, seen, store, fleet.log_errors(), fleet)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8, help="clients in flight")
    parser.add_argument("--servers", type=int, default=2, help="gateway serve --workers")
    parser.add_argument("--delivery-workers", type=int, default=2)
    parser.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    parser.add_argument(
        "--url", default=DEFAULT_POSTGRES, help="PostgreSQL server for the scratch database"
    )
    parser.add_argument("--sqlite", action="store_true", help="a scratch SQLite file instead")
    parser.add_argument("--items", type=int, default=500, help="demo items")
    parser.add_argument("--suppliers", type=int, default=40, help="demo suppliers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ceiling-s", type=float, default=10.0, help="GET /healthz first, s")
    parser.add_argument("--leak-mb-per-min", type=float, default=1.0)
    return parser.parse_args()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = arguments()
    # SIGTERM ends the run like Ctrl-C: through the ``finally`` that stops the children.
    signal.signal(signal.SIGTERM, _interrupt)
    with tempfile.TemporaryDirectory() as tmp, database(args, Path(tmp)) as url:
        fleet = Fleet(url, Path(tmp) / "processes.log", root=ROOT)
        try:
            return 0 if measure(args, url, fleet) else 1
        except KeyboardInterrupt:
            print("interrupted: stopping every process", flush=True)
            return 130
        finally:
            fleet.stop()


if __name__ == "__main__":
    sys.exit(main())
