"""Pull connector throughput: one poller paging through a local supplier API, per backend.

Serves N pages of K inventory positions each (tests/supplier_api.py under uvicorn, in this
process), runs one poller over all of them (``PollRunner``: GET, store raw in the inbox,
process into documents, save the position, page after page), and compares with the same
pages fetched by a bare ``httpx.AsyncClient`` loop in the same run (the API's ceiling here,
no database). On SQLite (a temporary file) and on PostgreSQL (a scratch database).

Run: python bench/pollers.py [--pages 200] [--items 20] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.poller import PollerSettings, PollRunner  # noqa: E402
from gateway.store.document_tables import InventoryPositionRow  # noqa: E402
from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from gateway.store.pollers import add_poller  # noqa: E402
from sync import PollerConfig  # noqa: E402
from tests.supplier_api import SupplierApi, inventory  # noqa: E402
from tests.support import require_postgres, scratch_postgres_database, serve  # noqa: E402


async def _ceiling(url: str, pages: int) -> float:
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        for page in range(pages):
            response = await client.get(f"{url}/stock", params={"cursor": str(page)})
            response.raise_for_status()
    return time.perf_counter() - started


def _poll(database_url: str, url: str, pages: int) -> tuple[float, int]:
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    config = PollerConfig(
        partner_id="SUP1",
        name="bench",
        base_url=url,
        path="/stock",
        document_type="inventory_position",
        max_pages=pages + 1,
    )
    with sessions.begin() as session:
        add_poller(session, config)
    started = time.perf_counter()
    (report,) = PollRunner(sessions, PollerSettings()).run_due(due_only=False)
    seconds = time.perf_counter() - started
    assert report.ok and report.pages == pages, report
    with sessions() as session:
        documents = session.scalar(select(func.count()).select_from(InventoryPositionRow)) or 0
    engine.dispose()
    return seconds, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    api = SupplierApi()
    api.feeds["stock"] = [
        [inventory(f"R{p}-{i}", quantity=i) for i in range(args.items)] for p in range(args.pages)
    ]
    documents = args.pages * args.items
    with serve(api.app) as url, tempfile.TemporaryDirectory() as folder:  # type: ignore[arg-type]
        ceiling = asyncio.run(_ceiling(url, args.pages))
        print(f"{args.pages} pages x {args.items} documents ({documents} documents)")
        print(f"bare httpx loop (no database): {args.pages / ceiling:8.1f} pages/s")
        backends = {"sqlite": f"sqlite:///{folder}/bench.db"}
        if not args.no_postgres:
            backends["postgresql"] = ""
        for name, database_url in backends.items():
            if name == "postgresql":
                with scratch_postgres_database(require_postgres()) as scratch:
                    seconds, stored = _poll(scratch, url, args.pages)
            else:
                seconds, stored = _poll(database_url, url, args.pages)
            assert stored == documents, (stored, documents)
            print(
                f"poller on {name:10}: {args.pages / seconds:8.1f} pages/s, "
                f"{stored / seconds:8.1f} documents/s, ratio to bare httpx "
                f"{ceiling / seconds:.2f}"
            )


if __name__ == "__main__":
    main()
