"""Inbox ingest: store + process canonical JSON vs a bare SQLite insert of the same bytes.

The peer is the floor of durable storage: one sqlite3 INSERT and COMMIT per message with the
same pragmas (WAL, synchronous=FULL). Ours commits the raw message, then validates it and
stores its document and lines in a second transaction. Run: python bench/ingest.py [--n 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.app.inbound import parse_canonical
from gateway.demo import generate_demo
from gateway.store import make_engine, make_session_factory, process_message, store_message
from gateway.store.migrate import upgrade


def messages(count: int) -> list[bytes]:
    demo = generate_demo(1, as_of=dt.date(2026, 11, 20), items=120, suppliers=12, weeks=80)
    docs = demo.flows.purchase_orders + demo.flows.ship_notices + demo.flows.receipts
    bodies = [d.model_dump_json(exclude={"provenance"}).encode() for d in docs]
    # Distinct bodies, so none is recognised as a re-send.
    return [bodies[i % len(bodies)] + b" " * (i // len(bodies)) for i in range(count)]


def bare_sqlite(folder: Path, bodies: list[bytes]) -> float:
    connection = sqlite3.connect(folder / "bare.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE inbox (id INTEGER PRIMARY KEY, sha256 TEXT, body BLOB)")
    start = time.perf_counter()
    for body in bodies:
        connection.execute(
            "INSERT INTO inbox (sha256, body) VALUES (?, ?)",
            (hashlib.sha256(body).hexdigest(), body),
        )
        connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def gateway_inbox(folder: Path, bodies: list[bytes]) -> float:
    engine = make_engine(f"sqlite:///{folder / 'gateway.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    start = time.perf_counter()
    for body in bodies:
        stored = store_message(
            sessions,
            partner_id="SUP001",
            channel="api",
            content_type="application/json",
            body=body,
        )
        outcome = process_message(sessions, stored.message_id, parse_canonical)
        assert outcome.status == "processed", outcome.error
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="messages to ingest")
    count = parser.parse_args().n
    bodies = messages(count)
    with tempfile.TemporaryDirectory() as folder:
        peer = bare_sqlite(Path(folder), bodies)
        ours = gateway_inbox(Path(folder), bodies)
    size = sum(map(len, bodies)) / count
    print(f"{count} messages, {size:,.0f} bytes each on average, SQLite, commit per message")
    print(f"peer  bare sqlite3 insert          {count / peer:10,.0f} msg/s")
    print(f"ours  store + validate + documents {count / ours:10,.0f} msg/s")
    print(f"ratio ours / peer                  {peer / ours:10.2f}")


if __name__ == "__main__":
    main()
