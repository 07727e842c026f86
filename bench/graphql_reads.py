"""GraphQL latency and throughput on the demo, next to a trivial query in the same run.

Builds the demo supply chain (``--items``, default 500 items; 40 suppliers; findings from one
quality run) in a scratch SQLite file, or uses an existing database (``--url``), serves it
with ``gateway serve`` in its own process on loopback, and drives each query below with C
concurrent clients (httpx, one asyncio loop in this process) for a fixed time after a warm-up.
Prints p50, p99 and requests/s per query, and each query's p50 and throughput against the
trivial query's: the framework's ceiling on this machine (authentication included: every
request carries the planner's key, as a planner's would). Prints the load average before and
after: the machine may be shared.

The demo gets a classification proposal and a forecast run (as ``gateway demo`` does), so the
"segment health" query (``Segment.atRisk``: items at risk of stockout in 4 weeks, worst
shortfall first, with their primary suppliers' OTIF) runs on stored buffers and forecasts: the
first page (the default 50) and every item at risk (``first: 500``) of the planner's segment,
and all six segments at once (aliases, first pages). The demo's segments hold 50 to 130
items; ``--items 2075`` builds a catalogue whose FAST segment holds 500 (about four minutes).

Two servers run on the same database: one as deployed, where a repeated segment-health
question is answered from memory while its inputs are unchanged (gateway.graphql.answers),
and one with ``GATEWAY_GRAPHQL_REMEMBER_ANSWERS=false``, which resolves every field of every
request (the rows marked "executed"). Both keep the at-risk rows per inputs version; the cold
cost of those (the statement itself, uncached) is timed in this process on the same database
and printed before the table.

Add a query: one entry in ``cases``. ``--only WORD`` runs the trivial query and the cases
whose name contains WORD.

Run: python bench/graphql_reads.py [--seconds 10] [--concurrency 8] [--url URL] [--segment FAST]
     [--items 500] [--keep FILE] [--only health]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from access import Scope  # noqa: E402
from gateway.demo import generate_demo, load_demo  # noqa: E402
from gateway.graphql.pagination import DEFAULT_PAGE, MAX_PAGE  # noqa: E402
from gateway.graphql.planning_fetch import at_risk  # noqa: E402
from gateway.planning import propose, recompute  # noqa: E402
from gateway.quality_run import run_quality  # noqa: E402
from gateway.store.access import create_key  # noqa: E402
from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from gateway.store.planning import latest_run_key  # noqa: E402
from gateway.store.tables import ItemRow, utcnow  # noqa: E402
from tests.support import free_port, wait_until_ready  # noqa: E402

TRIVIAL = "{ __typename }"
ITEM_FIELDS = """
        id description critical
        sources { share isPrimary supplier { id name tier openFindingCount } }
        purchaseOrderLines(openOnly: true, first: 10) {
          totalCount
          nodes { poNumber quantity openQuantity requestedDate }
        }"""
SEGMENT_OVERVIEW = f"""query SegmentOverview($segment: ID!) {{
  segment(id: $segment) {{
    name itemCount openFindingCount
    items(first: 500) {{ nodes {{ {ITEM_FIELDS} }} }}
  }}
}}"""
AT_RISK_FIELDS = (
    "itemId description onHand onOrder demand safetyStock projected stockout supplierId"
)
HEALTH_FIELDS = f"""atRisk(weeks: 4) {{
      items(first: FIRST) {{
        totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {AT_RISK_FIELDS} }}
      }}
      suppliers {{ id name scorecard(segmentId: $segment) {{ period otif otifTrend rank }} }}
    }}"""


def segment_health(first: int) -> str:
    fields = HEALTH_FIELDS.replace("FIRST", str(first))
    return f"""query SegmentHealth($segment: ID!) {{
  segment(id: $segment) {{ name {fields} }}
}}"""


SEGMENTS = ("FAST", "SEAS", "SPARE", "NPI", "EOL", "PREM")
ALL_HEALTH = (
    "query AllSegmentsHealth {\n"
    + "\n".join(
        f'  {s.lower()}: segment(id: "{s}") {{ name '
        + HEALTH_FIELDS.replace("$segment", f'"{s}"').replace("FIRST", str(DEFAULT_PAGE))
        + " }"
        for s in SEGMENTS
    )
    + "\n}"
)
ALL_ITEMS = f"""query AllItems {{ items(first: 500) {{ nodes {{ {ITEM_FIELDS} }} }} }}"""


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    caller: str = "planner:demo"
    remember: bool = True  # False: on the server that executes every question


def cases(segment: str) -> list[Case]:
    gql = "/graphql"
    health = {
        f"segment health ({segment}), page of {DEFAULT_PAGE}": (
            {"query": segment_health(DEFAULT_PAGE), "variables": {"segment": segment}},
            "planner:demo",
        ),
        f"segment health ({segment}), all at risk": (
            {"query": segment_health(MAX_PAGE), "variables": {"segment": segment}},
            "planner:demo",
        ),
        "segment health, 6 segments (admin)": ({"query": ALL_HEALTH}, "admin:demo"),
    }
    return [
        Case("trivial { __typename }", "POST", gql, {"query": TRIVIAL}),
        *(
            Case(f"{name}{label}", "POST", gql, body, caller, remember)
            for name, (body, caller) in health.items()
            for remember, label in ((True, ""), (False, ", executed"))
        ),
        Case(
            f"segment overview ({segment})",
            "POST",
            gql,
            {"query": SEGMENT_OVERVIEW, "variables": {"segment": segment}},
        ),
        Case("500 items, same fields (admin)", "POST", gql, {"query": ALL_ITEMS}, "admin:demo"),
        Case("REST GET /api/v1/segments", "GET", "/api/v1/segments"),
    ]


@dataclass
class Result:
    latencies_s: list[float]
    seconds: float
    errors: int

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_s) * 1000

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    @property
    def per_second(self) -> float:
        return len(self.latencies_s) / self.seconds


async def drive(url: str, key: str, case: Case, seconds: float, concurrency: int) -> Result:
    headers = {"Authorization": f"Bearer {key}"}  # the key of case.caller
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=60
    ) as client:

        async def one() -> None:
            nonlocal errors
            start = time.perf_counter()
            response = await client.request(case.method, case.path, json=case.body)
            elapsed = time.perf_counter() - start
            if response.status_code != 200 or b'"errors"' in response.content[:20]:
                errors += 1
            latencies.append(elapsed)

        async def client_loop(until: float) -> None:
            while time.perf_counter() < until:
                await one()

        await asyncio.gather(*(client_loop(time.perf_counter() + 2) for _ in range(concurrency)))
        latencies.clear()
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(client_loop(until) for _ in range(concurrency)))
        return Result(latencies, time.perf_counter() - started, errors)


def build_demo(url: str, items: int) -> None:
    """Load the demo (and its findings) into an empty database."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    demo = generate_demo(7, as_of=dt.date(2026, 11, 20), items=items)
    load_demo(sessions, demo, lambda *_: None)
    run_quality(sessions, utcnow())
    with sessions.begin() as session:
        propose(session, actor="bench")
    with sessions.begin() as session:
        recompute(session, actor="bench")
    print(f"demo built in {time.perf_counter() - started:.0f} s")
    engine.dispose()


def cold_at_risk(url: str, segment: str, runs: int = 5) -> None:
    """The segment-health statement uncached (as the first question after a change pays it),
    timed in this process on the same database, with the segment's size."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        items = session.scalar(select(func.count()).where(ItemRow.segment_id == segment))
        run = latest_run_key(session)
        assert run is not None, "no forecast run: build the demo with this bench"
        times, rows = [], []
        for _ in range(runs):
            started = time.perf_counter()
            rows = at_risk(session, Scope(segments=None), [segment], 4, run)[0]
            times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    print(
        f"{segment}: {items} items, {len(rows)} at risk in 4 weeks; at-risk statement "
        f"uncached: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"({runs} runs)"
    )


def issue_keys(url: str, principals: set[str]) -> dict[str, str]:
    """A fresh key for each demo principal the cases call as."""
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        keys = {p: create_key(session, p, name="bench", actor="bench").token for p in principals}
    engine.dispose()
    return keys


@contextmanager
def server(url: str, remember: bool) -> Iterator[str]:
    port = free_port()
    env = dict(
        os.environ,
        GATEWAY_DATABASE_URL=url,
        GATEWAY_RUN_WORKER="false",
        GATEWAY_LOG_LEVEL="warning",
        GATEWAY_GRAPHQL_REMEMBER_ANSWERS=str(remember).lower(),
    )
    command = [sys.executable, "-m", "gateway", "serve", "--no-migrate", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def report(results: dict[str, Result]) -> None:
    names = list(results)
    base = results[names[0]]
    print(
        f"{'query':<48} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'p50 x':>7} {'req/s x':>8} errors"
    )
    for name, r in results.items():
        print(
            f"{name:<48} {r.p50_ms:8.1f} {r.p99_ms:8.1f} {r.per_second:8.1f} "
            f"{r.p50_ms / base.p50_ms:7.1f} {r.per_second / base.per_second:8.2f} {r.errors}"
        )
    print(f"(x = against {names[0]}, same run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--segment", default="FAST")
    parser.add_argument("--url", help="an existing demo database (default: build one)")
    parser.add_argument("--only", help="run the trivial query and the cases naming this")
    parser.add_argument(
        "--items", type=int, default=500, help="catalogue size (2075: FAST holds 500 items)"
    )
    parser.add_argument(
        "--keep", type=Path, help="build the demo into this new SQLite file (reuse: --url)"
    )
    args = parser.parse_args()
    if args.keep and args.keep.exists():
        parser.error(f"{args.keep} exists: pass --url sqlite:///{args.keep} to reuse it")
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{args.keep or Path(folder) / 'bench.db'}"
        if not args.url:
            build_demo(url, args.items)
        cold_at_risk(url, args.segment)
        todo = cases(args.segment)
        if args.only:
            todo = [c for i, c in enumerate(todo) if i == 0 or args.only in c.name]
        keys = issue_keys(url, {case.caller for case in todo})
        with server(url, remember=True) as remembering, server(url, remember=False) as executing:
            results = {}
            for case in todo:
                base = remembering if case.remember else executing
                results[case.name] = asyncio.run(
                    drive(base, keys[case.caller], case, args.seconds, args.concurrency)
                )
        print(f"{args.concurrency} concurrent clients, {args.seconds:.0f} s per query, loopback")
        report(results)
    print(f"load average after: {load_average()}")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


if __name__ == "__main__":
    main()
