"""Endpoint breakers in the store, so every worker process sees an endpoint open or heal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.store.sync_tables import EndpointRow
from sync import Breaker, BreakerState


def load_breakers(session: Session) -> dict[str, Breaker]:
    """Every endpoint's breaker as last written."""
    return {
        row.url: Breaker(BreakerState(row.state), row.failures, row.opened_at)
        for row in session.scalars(select(EndpointRow))
    }


def save_breaker(session: Session, url: str, breaker: Breaker, now: dt.datetime) -> None:
    """Upsert one endpoint's breaker (two workers may write the same new endpoint at once)."""
    values = {
        "url": url,
        "state": breaker.state.value,
        "failures": breaker.failures,
        "opened_at": breaker.opened_at,
        "updated_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EndpointRow).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[EndpointRow.url],
            set_={k: v for k, v in values.items() if k != "url"},
        )
    )
