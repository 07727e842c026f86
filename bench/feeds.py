"""File feed throughput: a 10,000-row CSV through POST /api/v1/files, next to its peers.

Three numbers from the same rows in the same run:

- **parse**: ``read_feed`` alone, in process (decode, sniff, map, validate, group): the
  ceiling of the adapter;
- **upload**: the CSV over HTTP to a gateway on loopback (uvicorn in a thread), stored raw,
  read, and its documents stored: what a supplier sees;
- **json** (the named peer): the same rows as canonical JSON documents, one
  ``POST /api/v1/inventory-positions`` per document, as a supplier without files would send them.

Rows are inventory lines, 100 per report. Each round uses new report ids (no re-send is
recognised). Run: python bench/feeds.py [--rows 10000] [--rounds 3] [--postgres URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.api.feeds import FileFormat, default_mapping, read_feed  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from gateway.store.engine import make_engine  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from tests.support import bearer, issue_key, scratch_postgres_database, serve  # noqa: E402

PER_REPORT = 100


def csv_rows(rows: int, tag: str) -> bytes:
    lines = ["report_id,as_of,location_id,buyer_item,quantity_on_hand,uom"]
    lines += [
        f"R{tag}-{i // PER_REPORT:05d},2026-11-20,DC1,ITM{i % 5000:05d},{i % 977}.5,EA"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def json_documents(rows: int, tag: str) -> list[bytes]:
    documents = []
    for start in range(0, rows, PER_REPORT):
        lines = [
            {"buyer_item": f"ITM{i % 5000:05d}", "quantity_on_hand": f"{i % 977}.5", "uom": "EA"}
            for i in range(start, min(start + PER_REPORT, rows))
        ]
        document = {
            "report_id": f"J{tag}-{start // PER_REPORT:05d}",
            "as_of": "2026-11-20",
            "location_id": "DC1",
            "lines": lines,
        }
        documents.append(json.dumps(document).encode())
    return documents


@contextlib.contextmanager
def database(postgres: str | None) -> Iterator[str]:
    if postgres:
        with scratch_postgres_database(postgres) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def run(rows: int, rounds: int, postgres: str | None) -> None:
    mapping = default_mapping("inventory_position")
    parse = []
    for r in range(rounds):
        data = csv_rows(rows, f"p{r}")
        started = time.perf_counter()
        result = read_feed(data, FileFormat.CSV, mapping).result
        parse.append(time.perf_counter() - started)
        assert result.rows_accepted == rows
    with database(postgres) as url:
        engine = make_engine(url)
        upgrade(engine)
        headers = bearer(
            issue_key(url, "admin:bench", "admin", grants=[["g", "admin:bench", "role:admin", "*"]])
        )
        settings = Settings(database_url=url, run_worker=False)
        with (
            serve(create_app(settings, engine=engine)) as base,
            httpx.Client(timeout=300) as client,
        ):
            upload, peer = [], []
            for r in range(rounds):
                data = csv_rows(rows, f"u{r}")
                started = time.perf_counter()
                answer = client.post(
                    f"{base}/api/v1/files",
                    params={"type": "inventory_position"},
                    content=data,
                    headers={**headers, "Content-Type": "text/csv"},
                )
                upload.append(time.perf_counter() - started)
                assert answer.status_code == 202 and answer.json()["rows_accepted"] == rows, (
                    answer.text
                )
                documents = json_documents(rows, f"j{r}")
                started = time.perf_counter()
                for body in documents:
                    sent = client.post(
                        f"{base}/api/v1/inventory-positions",
                        content=body,
                        headers={**headers, "Content-Type": "application/json"},
                    )
                    assert sent.status_code == 202, sent.text
                peer.append(time.perf_counter() - started)
        engine.dispose()
    backend = "PostgreSQL" if postgres else "SQLite"
    report(rows, rounds, backend, {"parse": parse, "upload": upload, "json": peer})


LABELS = {
    "parse": "read_feed only (adapter ceiling)",
    "upload": "POST /api/v1/files (CSV upload)",
    "json": "POST /inventory-positions (JSON peer)",
}


def report(rows: int, rounds: int, backend: str, times: dict[str, list[float]]) -> None:
    median = {name: rows / statistics.median(spans) for name, spans in times.items()}
    print(f"{rows:,} inventory rows, {rows // PER_REPORT} documents, {rounds} rounds, {backend}")
    print(f"{'path':<40} {'rows/s (best)':>14} {'rows/s (median)':>16}")
    for name, spans in times.items():
        print(f"{LABELS[name]:<40} {rows / min(spans):>14,.0f} {median[name]:>16,.0f}")
    print(f"ratio upload / JSON peer: {median['upload'] / median['json']:.2f}")
    print(f"ratio upload / adapter ceiling: {median['upload'] / median['parse']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server for a scratch db")
    args = parser.parse_args()
    run(args.rows, args.rounds, args.postgres)


if __name__ == "__main__":
    main()
