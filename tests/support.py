"""Helpers shared by the test suites: database backends and a real server on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_admin_url() -> str:
    """The PostgreSQL server the tests may create databases on."""
    url = os.environ.get("GATEWAY_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url
    return os.environ.get("GATEWAY_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def require_postgres() -> str:
    """The admin URL if PostgreSQL answers; skip (outside CI) or fail (in CI) if it does not."""
    url = postgres_admin_url()
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        reason = f"PostgreSQL unreachable at {make_url(url).render_as_string()}: {error}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@contextmanager
def scratch_postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test session, dropped afterwards."""
    name = f"gw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run the app on uvicorn on a loopback port in a thread; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def wait_until_ready(url: str, timeout: float = 60.0) -> None:
    """Poll /readyz of a server in another process until it answers 200."""
    import httpx

    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/readyz", timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as error:
            last = error
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready after {timeout}s: {last}")


def engine_for_tests(url: str) -> Engine:
    from gateway.store.engine import make_engine

    return make_engine(url)


def issue_key(
    database_url: str,
    principal_id: str,
    kind: str,
    *,
    supplier_id: str | None = None,
    grants: list[list[str]] | None = None,
    scopes: tuple[str, ...] = ("read", "write"),
) -> str:
    """Create a principal, its grants and an API key in the store; return the token."""
    from access import PrincipalKind
    from gateway.store import access
    from gateway.store.engine import make_session_factory

    engine = engine_for_tests(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            access.ensure_principal(
                session, principal_id, PrincipalKind(kind), supplier_id=supplier_id, actor="tests"
            )
            session.flush()
            if grants:
                access.add_rules(session, grants, actor="tests")
            return access.create_key(
                session, principal_id, name="tests", actor="tests", scopes=scopes
            ).token
    finally:
        engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
