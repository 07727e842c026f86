"""Recompute on the demo, SQLite and PostgreSQL: seconds per step, and bulk storing vs the ORM.

Builds the demo (500 items, 841 item-locations x 130 weeks by default) in a scratch SQLite
file and a scratch PostgreSQL database, runs ``recompute`` (26-week horizon) ``--runs`` times
on each and prints the seconds of every step. The peer, in the same run: the same forecast
cells stored the naive way (one ORM object per row, ``session.add_all``), rolled back; the
ratio says what the bulk path (executemany on SQLite, COPY on PostgreSQL) saves.

Run: python bench/recompute.py [--runs 2] [--pg postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.demo import generate_demo, load_demo  # noqa: E402
from gateway.planning import recompute  # noqa: E402
from gateway.store.engine import make_engine, make_session_factory  # noqa: E402
from gateway.store.migrate import upgrade  # noqa: E402
from gateway.store.planning import bulk_insert, latest_run_id  # noqa: E402
from gateway.store.planning_tables import ForecastCellRow, ForecastRunRow  # noqa: E402
from tests.support import scratch_postgres_database  # noqa: E402


def _orm_store(sessions: sessionmaker[Session]) -> tuple[float, float]:
    """(bulk seconds, ORM seconds) to store the latest run's forecast cells again."""
    import pandas as pd

    with sessions() as session:
        run_id = latest_run_id(session)
        rows = session.execute(select(ForecastCellRow).where(ForecastCellRow.run_id == run_id))
        columns = [c.name for c in ForecastCellRow.__table__.columns if c.name != "run_id"]
        frame = pd.DataFrame([{c: getattr(r, c) for c in columns} for (r,) in rows])
    timings = []
    for bulk in (True, False):
        with sessions() as session:
            run = ForecastRunRow(as_of=dt.date.today(), created_by="bench", status="bench",
                                 horizon=0, series_count=0, timings={})  # fmt: skip
            session.add(run)
            session.flush()
            start = time.perf_counter()
            if bulk:
                bulk_insert(session, ForecastCellRow, frame.assign(run_id=run.id))
            else:
                records = frame.assign(run_id=run.id).to_dict("records")
                session.add_all([ForecastCellRow(**r) for r in records])
            session.flush()
            timings.append(time.perf_counter() - start)
            session.rollback()
    return timings[0], timings[1]


def bench(name: str, url: str, runs: int, items: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    data = generate_demo(7, as_of=dt.date(2026, 11, 20), items=items)
    load_demo(sessions, data, lambda _name, _count: None)
    for index in range(runs):
        start = time.perf_counter()
        with sessions.begin() as session:
            result = recompute(session, actor="bench")
        wall = time.perf_counter() - start
        steps = "  ".join(f"{k} {v:.2f}" for k, v in result.timings.items() if k != "total")
        print(f"{name:10} run {index + 1}: {wall:6.2f} s wall (commit included); "
              f"{result.series} series, {result.forecast_cells} cells; {steps}")  # fmt: skip
    bulk, orm = _orm_store(sessions)
    how = "COPY" if name == "postgresql" else "executemany"
    print(f"{name:10} store {result.forecast_cells} forecast cells: {how} {bulk:.2f} s, "
          f"ORM objects {orm:.2f} s, ratio {orm / bulk:.1f}x")  # fmt: skip
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", args.runs, args.items)
    if not args.no_pg:
        with scratch_postgres_database(args.pg) as url:
            bench("postgresql", url, args.runs, args.items)


if __name__ == "__main__":
    main()
