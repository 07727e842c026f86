"""Does the streaming quality check keep memory? The same messages re-checked for minutes.

``bench/load.py`` saw the quality worker's RSS rise while the servers' and delivery workers'
stayed flat. Under load two things grow at once: what the worker has checked, and the store
it reads related documents from (orders, notices, receipts, inventory reports). This holds
the store still: the demo's master data and documents, then ``--messages`` of its newest
orders, ship notices, receipts and inventory reports stored through the inbox; every round
queues all of them again and ``StreamChecker.check_once`` drains the queue (micro-batches of
200, findings reconciled and written as in the worker). RSS is sampled from /proc every few
rounds; a check that kept something per message would show a steady slope. The peer is the
first sample: flat means the growth under load follows the data, not the number of checks.

Run: python bench/quality_memory.py [--minutes 4] [--messages 600] [--url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from gateway.app.inbound import parse_canonical
from gateway.demo import generate_demo, load_demo
from gateway.quality_stream import StreamChecker
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.inbox import process_message, store_message
from gateway.store.migrate import upgrade
from gateway.store.quality_tables import QualityPendingRow
from gateway.store.tables import utcnow

KINDS = ("purchase orders", "ship notices", "receipts", "inventory positions")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4.0)
    parser.add_argument("--messages", type=int, default=600, help="about this many, all kinds")
    parser.add_argument("--url", help="a migrated-or-empty database (default: a scratch SQLite)")
    args = parser.parse_args()

    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/quality-memory.db"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    data = generate_demo(7, as_of=dt.date(2026, 11, 20))
    load_demo(sessions, data, lambda _name, _count: None)
    per_kind = max(1, args.messages // len(KINDS))
    documents = [
        document
        for kind, group in data.documents()
        if kind in KINDS
        for document in list(group)[-per_kind:]
    ]
    ids: list[str] = []
    for n, document in enumerate(documents):
        stored = store_message(
            sessions,
            partner_id="BENCH",
            channel="api",
            content_type="application/json",
            body=document.model_dump_json().encode(),
            dedupe_key=f"bench:{n}",
        )
        process_message(sessions, stored.message_id, parse_canonical, check_quality=False)
        ids.append(stored.message_id)

    checker = StreamChecker(sessions, batch=200)
    samples: list[tuple[float, float]] = []
    started, rounds = time.monotonic(), 0
    print(f"{len(ids)} messages re-checked every round; RSS sampled every 5 rounds")
    while time.monotonic() - started < args.minutes * 60:
        with sessions.begin() as session:
            now = utcnow()
            session.execute(
                insert(QualityPendingRow), [{"message_id": i, "processed_at": now} for i in ids]
            )
        while checker.check_once().messages:
            pass
        rounds += 1
        if rounds % 5 == 0:
            samples.append((time.monotonic() - started, rss_mb()))
            print(f"{samples[-1][0]:6.0f} s  round {rounds:4d}  RSS {samples[-1][1]:.1f} MB")
    engine.dispose()
    if len(samples) < 2:
        print("too short to sample: raise --minutes")
        return
    half = [s for s in samples if s[0] >= samples[-1][0] / 2]
    minutes = max((half[-1][0] - half[0][0]) / 60, 1e-9)
    slope = (half[-1][1] - half[0][1]) / minutes
    print(
        f"{len(ids) * rounds:,} message checks ({len(ids)} x {rounds} rounds): RSS "
        f"{samples[0][1]:.1f} MB at the first sample, {samples[-1][1]:.1f} MB at the end, "
        f"{slope:+.2f} MB/min over the second half"
    )


if __name__ == "__main__":
    main()
