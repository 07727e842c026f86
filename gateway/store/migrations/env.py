"""Alembic environment: runs on the connection the gateway hands over in ``attributes``."""

from __future__ import annotations

from alembic import context

# Importing the table modules registers every table on Base.metadata.
import gateway.store.access_tables
import gateway.store.document_tables
import gateway.store.feed_tables
import gateway.store.planning_tables
import gateway.store.poller_tables
import gateway.store.quality_tables
import gateway.store.sync_tables
import gateway.store.x12_tables  # noqa: F401
from gateway.store.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `gateway db upgrade`, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
