"""The store: SQLAlchemy tables, migrations, the inbox, the audit log and document mapping."""

from gateway.store import (
    access_tables,
    document_tables,
    feed_tables,
    planning_tables,
    poller_tables,
    quality_tables,
    sync_tables,
    tables,
    x12_tables,
)
from gateway.store.audit import record
from gateway.store.documents import (
    MissingProvenanceError,
    document_ids_for_message,
    load_document,
    load_documents,
    save_document,
    save_documents,
)
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.inbox import Outcome, Stored, get_message, process_message, store_message
from gateway.store.migrate import current_revision, head_revision, reset_schema, upgrade

__all__ = [
    "MissingProvenanceError",
    "Outcome",
    "Stored",
    "access_tables",
    "current_revision",
    "document_ids_for_message",
    "document_tables",
    "feed_tables",
    "get_message",
    "head_revision",
    "load_document",
    "load_documents",
    "make_engine",
    "make_session_factory",
    "planning_tables",
    "poller_tables",
    "process_message",
    "quality_tables",
    "record",
    "reset_schema",
    "save_document",
    "save_documents",
    "store_message",
    "sync_tables",
    "tables",
    "upgrade",
    "x12_tables",
]
