"""Ship notices per second through ``POST /api/v1/ship-notices`` vs a bare FastAPI endpoint.

Both servers run the same way (one uvicorn process on loopback, started as a subprocess);
an async httpx load generator keeps ``--concurrency`` requests in flight. The peer endpoint
only parses the JSON body (FastAPI's ceiling for this body); ours authenticates the key,
commits the raw message to the inbox, validates the ship notice, checks the sender may send
it and stores it with its lines, then answers 202. On SQLite and PostgreSQL in one run:

    python bench/ship_notices.py [--n 1000] [--concurrency 16] [--pg URL] [--profile]

``--profile`` runs the gateway under cProfile instead and prints where its time went.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from access import PrincipalKind  # noqa: E402
from gateway.model import Segment, Supplier, SupplierSegment  # noqa: E402
from gateway.store import access as access_store  # noqa: E402
from gateway.store import make_engine, make_session_factory  # noqa: E402
from gateway.store.master import save_segments, save_suppliers  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BARE_APP = textwrap.dedent(
    """
    from typing import Any
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse
    app = FastAPI()

    @app.post("/api/v1/ship-notices", status_code=202)
    async def ship_notice(body: dict[str, Any]) -> JSONResponse:
        return JSONResponse({"status": "parsed", "lines": len(body.get("lines", []))}, 202)
    """
)
PROFILED_GATEWAY = textwrap.dedent(
    """
    import cProfile, os, pstats, sys, threading, uvicorn
    from gateway.app import create_app
    from gateway.settings import Settings
    app = create_app(Settings(database_url=os.environ["BENCH_DATABASE_URL"]))
    profiles = []

    def profile_thread(*_args):
        # one profiler per thread (the event loop's and the pool's: the inbox runs there)
        profiler = cProfile.Profile()
        profiles.append(profiler)
        profiler.enable()

    if __name__ == "__main__":
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[1]),
                                               log_level="warning", access_log=False))
        threading.setprofile(profile_thread)
        profile_thread()
        try:
            server.run()
        finally:
            threading.setprofile(None)
            pstats.Stats(*profiles).dump_stats(os.environ["BENCH_PROFILE"])
    """
)
GATEWAY_APP = textwrap.dedent(
    """
    import os
    from gateway.app import create_app
    from gateway.settings import Settings
    app = create_app(Settings(database_url=os.environ["BENCH_DATABASE_URL"]))
    """
)


def notice(i: int, lines: int = 5) -> bytes:
    """A ship notice of ``lines`` lines (distinct per i, so none is a re-send)."""
    import json

    body = {
        "shipment_id": f"SH{i:07d}",
        "ship_date": "2026-11-20",
        "expected_delivery": "2026-11-23",
        "carrier": "UPSN",
        "lines": [
            {"po_number": f"PO{i % 97:05d}", "line_number": str(n + 1),
             "buyer_item": f"ITM{(i + n) % 500:05d}", "quantity": 12 + n, "uom": "EA",
             "sscc": f"00{i:016d}{n}"[:20]}
            for n in range(lines)
        ],
    }  # fmt: skip
    return json.dumps(body).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    source: str, folder: Path, env: dict[str, str], profile: Path | None
) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn in a subprocess on a free loopback port, one process, access log off."""
    module = folder / f"app_{uuid.uuid4().hex[:8]}.py"
    module.write_text(source)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", f"{module.stem}:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    if profile is not None:
        command = [sys.executable, str(module), str(port)]
    environment = {**os.environ, **env, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
                   "GATEWAY_RUN_WORKER": "false", "BENCH_PROFILE": str(profile)}  # fmt: skip
    process = subprocess.Popen(command, env=environment, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/openapi.json", timeout=2)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on {url} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    # SIGINT: uvicorn shuts down, then re-raises it as KeyboardInterrupt, so the profiled
    # server's ``finally`` still writes its file (SIGTERM would end the process first).
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


async def load(url: str, headers: dict[str, str], bodies: list[bytes], concurrency: int) -> float:
    """Documents per second with ``concurrency`` requests in flight; every answer must be 202."""
    queue = iter(bodies)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as c:

        async def worker() -> None:
            for body in queue:
                answer = await c.post("/api/v1/ship-notices", content=body,
                                      headers={"Content-Type": "application/json"})  # fmt: skip
                if answer.status_code != 202:
                    raise RuntimeError(f"{answer.status_code}: {answer.text[:300]}")

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(bodies) / (time.perf_counter() - start)


def prepare_database(url: str) -> str:
    """Migrate the database and issue a supplier key; return the token."""
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        save_segments(session, [Segment(id="FAST", name="Fast", service_level_target=0.98)])
        save_suppliers(
            session,
            [
                Supplier(
                    id="BENCH",
                    name="Bench",
                    tier="approved",
                    segments=[SupplierSegment(segment_id="FAST")],
                )
            ],
        )
        session.flush()
        access_store.ensure_principal(
            session, "supplier:BENCH", PrincipalKind.SUPPLIER, supplier_id="BENCH", actor="bench"
        )
        session.flush()
        access_store.add_rules(
            session, [["g", "supplier:BENCH", "role:execution_only", "FAST"]], actor="bench"
        )  # fmt: skip
        token = access_store.create_key(
            session, "supplier:BENCH", name="bench", actor="bench"
        ).token
    engine.dispose()
    return token


def scratch_postgres(admin_url: str) -> str:
    name = f"gw_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin_url: str, url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def measure(
    source: str,
    folder: Path,
    env: dict[str, str],
    headers: dict[str, str],
    bodies: list[bytes],
    concurrency: int,
    profile: Path | None = None,
) -> float:
    process, url = start_server(source, folder, env, profile)
    try:
        asyncio.run(load(url, headers, bodies[:50], concurrency))  # warm up: imports, pools
        return asyncio.run(load(url, headers, bodies[50:], concurrency))
    finally:
        stop(process)


def run_backend(name: str, database_url: str, folder: Path, args: argparse.Namespace) -> None:
    token = prepare_database(database_url)
    headers = {"Authorization": f"Bearer {token}"}
    env = {"BENCH_DATABASE_URL": database_url}
    bodies = [notice(i) for i in range(args.n + 50)]
    if args.profile:
        out = folder / f"{name}.prof"
        measure(PROFILED_GATEWAY, folder, env, headers, bodies, args.concurrency, profile=out)
        print_profile(name, out)
        return
    ours = measure(GATEWAY_APP, folder, env, headers, bodies, args.concurrency)
    bare = measure(BARE_APP, folder, {}, {}, bodies, args.concurrency)
    print(f"{name:<11} {bare:>10.0f} {ours:>10.0f} {ours / bare:>7.3f}")


def print_profile(name: str, path: Path) -> None:
    import pstats

    print(f"--- {name}: cumulative time over all threads (the pool's threads wait, so their")
    print("    totals overlap), gateway modules and the database driver")
    stats = pstats.Stats(str(path))
    shown = r"gateway/|access/|sqlalchemy/orm/session|pydantic/main|psycopg/cursor|sqlite3"
    stats.sort_stats("cumulative").print_stats(shown, 25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="ship notices per server")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL admin URL ('' to skip)")
    parser.add_argument("--profile", action="store_true", help="profile the gateway instead")
    args = parser.parse_args()
    print(f"{args.n} ship notices of 5 lines, {args.concurrency} in flight, one uvicorn process")
    print(f"{'backend':<11} {'bare /s':>10} {'ours /s':>10} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_backend("sqlite", f"sqlite:///{folder / 'bench.db'}", folder, args)
        if args.pg:
            url = scratch_postgres(args.pg)
            try:
                run_backend("postgresql", url, folder, args)
            finally:
                drop_postgres(args.pg, url)


if __name__ == "__main__":
    main()
