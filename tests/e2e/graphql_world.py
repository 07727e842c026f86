"""A small demo supply chain with findings and a dead letter, served on loopback once per
test module, for the GraphQL tests; and a plain-httpx GraphQL client."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.demo import generate_demo, load_demo
from gateway.demo.access import showcase_supplier
from gateway.quality_run import run_quality
from gateway.settings import Settings
from gateway.store.engine import make_session_factory
from gateway.store.migrate import upgrade
from gateway.store.outbox import enqueue
from gateway.store.sync_tables import OutboxRow
from tests.support import engine_for_tests, require_postgres, scratch_postgres_database, serve

NOON = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@dataclass
class World:
    url: str
    database_url: str
    engine: Engine
    sessions: sessionmaker[Session]
    keys: dict[str, str]  # supplier, planner, integration, admin -> token
    supplier_id: str
    planner_segments: list[str]
    segments: list[str]
    dead_letter: str

    def query(
        self, text: str, variables: dict[str, Any] | None = None, *, as_: str | None = "admin"
    ) -> httpx.Response:
        headers = {} if as_ is None else {"Authorization": f"Bearer {self.keys[as_]}"}
        body: dict[str, Any] = {"query": text}
        if variables:
            body["variables"] = variables
        return httpx.post(f"{self.url}/graphql", json=body, headers=headers, timeout=60)

    def data(
        self, text: str, variables: dict[str, Any] | None = None, *, as_: str = "admin"
    ) -> Any:
        """The data of a query that must succeed without errors."""
        response = self.query(text, variables, as_=as_)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert "errors" not in payload, (len(payload["errors"]), payload["errors"][:3])
        return payload["data"]


@contextmanager
def _database() -> Iterator[str]:
    if os.environ.get("GATEWAY_DATABASE_URL", "").startswith("postgresql"):
        with scratch_postgres_database(require_postgres()) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'graphql.db'}"


@contextmanager
def graphql_world(items: int = 60, *, plan: bool = False) -> Iterator[World]:
    """The world; ``plan`` adds a classification proposal (pending) and a forecast run."""
    with _database() as database_url:
        engine = engine_for_tests(database_url)
        try:
            upgrade(engine)
            sessions = make_session_factory(engine)
            data = generate_demo(5, as_of=NOON.date(), items=items, suppliers=8, weeks=70)
            issued = load_demo(sessions, data, lambda *_: None)
            run_quality(sessions, NOON)
            if plan:
                _plan(sessions)
            keys = {k.principal_id.split(":")[0]: k.token for k in issued}
            segments = [s.id for s in data.catalog.segments]
            with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
                yield World(
                    url=url,
                    database_url=database_url,
                    engine=engine,
                    sessions=sessions,
                    keys=keys,
                    supplier_id=showcase_supplier(data.catalog),
                    planner_segments=segments[:2],
                    segments=segments,
                    dead_letter=_dead_letter(sessions, showcase_supplier(data.catalog)),
                )
        finally:
            engine.dispose()


def _plan(sessions: sessionmaker[Session]) -> None:
    from gateway.planning import propose, recompute

    with sessions.begin() as session:
        propose(session, actor="test")
    with sessions.begin() as session:
        recompute(session, actor="test")


def _dead_letter(sessions: sessionmaker[Session], partner_id: str) -> str:
    with sessions.begin() as session:
        delivery = enqueue(
            session,
            partner_id=partner_id,
            document_type="purchase_order",
            body=b'{"type": "purchase_order"}',
            content_type="application/json",
        )
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == delivery)
            .values(status="dead", dead_reason="HTTP 400 from the partner")
        )
    return delivery


def forget_remembered() -> None:
    """Drop the answers the server process remembers across requests (gateway.graphql.answers
    and .remembered), so a test sees a cold request."""
    from gateway.graphql import answers, remembered

    for memory in (answers._answers, remembered._AT_RISK, remembered._RUN_RESULTS):
        memory.clear()
