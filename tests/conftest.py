"""Fixtures: a migrated database on the backend named by GATEWAY_DATABASE_URL.

Without GATEWAY_DATABASE_URL each test gets its own SQLite file. With a PostgreSQL URL the
session creates a scratch database on that server, migrates it once, and empties it after
each test, so concurrent runs on one server do not meet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.support import engine_for_tests, require_postgres, scratch_postgres_database

# Test servers deliver nothing unless a test starts a worker itself (the sync tests do).
os.environ.setdefault("GATEWAY_RUN_WORKER", "false")
os.environ.setdefault("GATEWAY_RUN_QUALITY_WORKER", "false")


def _backend() -> str:
    url = os.environ.get("GATEWAY_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def pytest_report_header() -> str:
    return f"gateway database backend: {_backend()}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated scratch PostgreSQL database for this session."""
    from gateway.store.migrate import upgrade

    admin = require_postgres()
    with scratch_postgres_database(admin) as url:
        engine = engine_for_tests(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a migrated, empty database on the backend under test."""
    if _backend() == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        yield url
        _empty_postgres(url)
        return
    from gateway.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    engine = engine_for_tests(url)
    upgrade(engine)
    engine.dispose()
    yield url


# Reference data the migrations seed (role templates, the policy version) stays; the grants
# tests add to it go.
_SEEDED = {"access_rules", "access_policy_version"}


def _empty_postgres(url: str) -> None:
    from gateway.store.tables import Base

    names = ", ".join(
        f'"{table.name}"' for table in Base.metadata.sorted_tables if table.name not in _SEEDED
    )
    engine = engine_for_tests(url)
    with engine.begin() as connection:
        # TRUNCATE fires no row triggers, so the append-only audit log can be emptied here.
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        connection.execute(text("DELETE FROM access_rules WHERE ptype = 'g'"))
        connection.execute(text("UPDATE access_policy_version SET version = version + 1"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = engine_for_tests(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    from gateway.store.engine import make_session_factory

    return make_session_factory(engine)
