"""Claims: a poller is run by one worker at a time, and one partner is polled by one worker."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.poller import PollRunner
from gateway.store.engine import make_session_factory
from gateway.store.poller_health import poller_health
from gateway.store.poller_tables import PollerRow, PollerRunRow
from gateway.store.pollers import add_poller, claim
from gateway.store.tables import utcnow
from sync import PollerConfig
from tests.e2e.test_cli import ROOT, environment
from tests.integration.test_pollers import FAST
from tests.supplier_api import SupplierApi, inventory
from tests.support import engine_for_tests, serve


def _add(sessions: sessionmaker[Session], partner: str, name: str, url: str, **kw: object) -> None:
    values: dict[str, object] = {
        "partner_id": partner,
        "name": name,
        "base_url": url,
        "path": f"/{name}",
        "document_type": "inventory_position",
        "interval_s": 60,
    }
    with sessions.begin() as session:
        add_poller(session, PollerConfig.model_validate(values | kw))


def test_a_claim_holds_until_its_lease_lapses(sessions: sessionmaker[Session]) -> None:
    _add(sessions, "SUP1", "stock", "http://127.0.0.1:9")
    now = utcnow()
    (first,) = claim(sessions, lease_s=60, now=now)
    assert first.config.key == "SUP1/stock"
    assert claim(sessions, lease_s=60, now=now, due_only=False) == []
    later = now + dt.timedelta(seconds=61)  # the holder is presumed dead
    (second,) = claim(sessions, lease_s=60, now=later)
    assert second.token != first.token


def test_one_partner_is_claimed_once_at_a_time(sessions: sessionmaker[Session]) -> None:
    for partner, name in (("SUP1", "stock"), ("SUP1", "stock2"), ("SUP2", "stock")):
        _add(sessions, partner, name, "http://127.0.0.1:9")
    now = utcnow()
    claimed = claim(sessions, lease_s=60, now=now)
    assert sorted(c.config.partner_id for c in claimed) == ["SUP1", "SUP2"]
    assert claim(sessions, lease_s=60, now=now) == []  # SUP1's other poller waits its turn


def test_disabled_and_not_yet_due_pollers_are_left_alone(sessions: sessionmaker[Session]) -> None:
    _add(sessions, "SUP1", "stock", "http://127.0.0.1:9", enabled=False)
    _add(sessions, "SUP2", "stock", "http://127.0.0.1:9")
    now = utcnow()
    assert claim(sessions, lease_s=60, now=now - dt.timedelta(minutes=1)) == []  # not due yet
    (only,) = claim(sessions, lease_s=60, now=now + dt.timedelta(seconds=1))
    assert only.config.partner_id == "SUP2"


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_never_poll_one_partner_at_once(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers run on PostgreSQL; SQLite runs one")
    api = SupplierApi(slow_s=0.15)
    api.feeds["stock"] = api.feeds["stock2"] = [[inventory("R1")], [inventory("R2")]]
    with serve(api.app) as url:  # type: ignore[arg-type]
        api.modes["stock"] = api.modes["stock2"] = ["slow"] * 1000
        engines = [engine_for_tests(database_url) for _ in range(2)]
        sessions = [make_session_factory(e) for e in engines]
        _add(sessions[0], "SUP1", "stock", url, interval_s=0.01)
        _add(sessions[0], "SUP1", "stock2", url, interval_s=0.01)
        runs = [0, 0]
        stop = threading.Event()

        def work(index: int) -> None:
            runner = PollRunner(sessions[index], FAST)
            while not stop.is_set():
                done = runner.run_due()
                runs[index] += len(done)
                if not done:
                    time.sleep(0.005)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(runs) < 16 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join(30)
        for engine in engines:
            engine.dispose()
    assert sum(runs) >= 16, runs
    assert all(runs), runs  # both workers polled SUP1, taking turns
    assert api.most_in_flight_all == 1  # never two requests to SUP1 at once


def test_a_broken_stored_configuration_does_not_stop_the_others(
    sessions: sessionmaker[Session],
) -> None:
    _add(sessions, "SUP1", "stock", "http://127.0.0.1:9")
    _add(sessions, "SUP2", "stock", "http://127.0.0.1:9")
    with sessions.begin() as session:
        session.get_one(PollerRow, ("SUP1", "stock")).config = {"name": "stock", "path": "/x"}
    (only,) = claim(sessions, lease_s=60)
    assert only.config.partner_id == "SUP2"
    with sessions() as session:
        assert [h.partner_id for h in poller_health(session, utcnow())] == ["SUP1", "SUP2"]


@pytest.mark.postgres
@pytest.mark.slow
def test_two_worker_processes_take_turns_on_one_partner(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers run on PostgreSQL; SQLite runs one")
    api = SupplierApi(slow_s=0.1)
    api.feeds["stock"] = api.feeds["stock2"] = [[inventory("R1")], [inventory("R2")]]
    with serve(api.app) as url:  # type: ignore[arg-type]
        api.modes["stock"] = api.modes["stock2"] = ["slow"] * 10_000
        _add(sessions, "SUP1", "stock", url, interval_s=0.01)
        _add(sessions, "SUP1", "stock2", url, interval_s=0.01)
        command = [sys.executable, "-m", "gateway", "pollers", "run", "--poll", "0.01"]
        workers = [
            subprocess.Popen(command, cwd=ROOT, env=environment(database_url)) for _ in range(2)
        ]
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and len(_workers_seen(sessions)) < 2:
                time.sleep(0.2)
            target = _runs(sessions) + 10
            while time.monotonic() < deadline and _runs(sessions) < target:
                time.sleep(0.2)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(60)
    assert len(_workers_seen(sessions)) == 2  # both processes polled SUP1
    assert _runs(sessions) >= 10
    assert api.most_in_flight_all == 1  # never at the same time


def _runs(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(PollerRunRow)) or 0


def _workers_seen(sessions: sessionmaker[Session]) -> set[str]:
    with sessions() as session:
        return set(session.scalars(select(PollerRunRow.worker).distinct()))
