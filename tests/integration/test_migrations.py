"""Migrations build the schema from empty on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from gateway.store import current_revision, head_revision, reset_schema, upgrade
from gateway.store.tables import Base
from tests.support import engine_for_tests, require_postgres, scratch_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a brand-new, empty database of each backend."""
    if request.param == "sqlite":
        engine = engine_for_tests(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    with scratch_postgres_database(require_postgres()) as url:
        engine = engine_for_tests(url)
        yield engine
        engine.dispose()


def test_upgrade_from_empty_reaches_head(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_audit_log_refuses_updates_and_deletes(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, detail) "
                "VALUES (CURRENT_TIMESTAMP, 'tester', 'test', 'thing', '1', '{}')"
            )
        )
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), empty_engine.begin() as connection:
            connection.execute(text(statement))
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT actor FROM audit_log")).scalar_one() == "tester"


def test_reset_drops_everything_and_upgrade_rebuilds(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    reset_schema(empty_engine)
    assert current_revision(empty_engine) is None
    assert not set(Base.metadata.tables) & set(inspect(empty_engine).get_table_names())
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def test_migration_0016_fills_inventory_current_from_history(empty_engine: Engine) -> None:
    """The newest report per location and item, worked out from the stored lines, is what the
    migration puts in ``inventory_current`` for a database that already holds reports."""
    from tests.integration.test_inventory_current import (
        expected_and_current,
        insert_history,
        reports,
    )

    upgrade(empty_engine, "0015")
    insert_history(empty_engine, reports(4, 60))
    upgrade(empty_engine)
    expected, current = expected_and_current(empty_engine)
    assert expected and current == expected
