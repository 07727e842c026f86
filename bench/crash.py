"""Crash consistency at full size: 10,000 mixed messages (X12 856, JSON ship notices, CSV
inventory files) posted by concurrent clients while `gateway serve` and `gateway worker` are
killed with SIGKILL at random moments; every message without a 2xx is re-sent. Prints what
the store and a loopback partner saw, against what was sent (the peer: the client's own
record of its 2xx answers and the queued delivery ids).

    python bench/crash.py --messages 10000 --kills 5                      # SQLite file
    python bench/crash.py --postgres --messages 10000 --kills 5           # 2 servers + a worker
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from tests.crash_harness import run  # noqa: E402
from tests.support import DEFAULT_POSTGRES, scratch_postgres_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--deliveries", type=int, default=2_000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--delivery-s", type=float, default=0.02, help="the sink's answer time")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_POSTGRES, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            with scratch_postgres_database(args.postgres) as url:
                figures = _run(url, Path(folder), args, server_workers=2)
        else:
            figures = _run(f"sqlite:///{folder}/crash.db", Path(folder), args, server_workers=1)
    print(json.dumps(figures, indent=2))
    sent, acked = args.messages, figures["acknowledged (2xx)"]
    print(
        f"acknowledged/sent: {acked}/{sent} = {acked / sent:.4f}; problems: {figures['problems']}"
    )
    return 1 if figures["problems"] else 0


def _run(
    url: str, folder: Path, args: argparse.Namespace, server_workers: int
) -> dict[str, object]:
    engine = make_engine(url)
    upgrade(engine)
    try:
        figures = run(
            url,
            make_session_factory(engine),
            folder / "gateway.log",
            n_messages=args.messages,
            kills=args.kills,
            deliveries=args.deliveries,
            server_workers=server_workers,
            threads=args.threads,
            seed=args.seed,
            delivery_s=args.delivery_s,
        )
    finally:
        engine.dispose()
    summary = figures.summary()
    summary["backend"] = engine.dialect.name
    summary["messages/s including restarts"] = round(args.messages / figures.seconds, 1)
    return summary


if __name__ == "__main__":
    sys.exit(main())
