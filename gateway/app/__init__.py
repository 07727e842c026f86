"""The FastAPI application factory; nothing is connected at import time."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from gateway import __version__
from gateway.app import (
    admin,
    auth,
    findings,
    health,
    inbound,
    openapi,
    problems,
    reads,
    supplier_reads,
    sync,
    x12,
)
from gateway.settings import Settings, get_settings
from gateway.store.engine import make_engine, make_session_factory
from gateway.sync_worker import start_worker

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the gateway app; the engine is made from settings unless one is given."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.database_url, pool_size=settings.db_pool_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = start_worker(app.state.sessions) if settings.run_worker else None
        yield
        if worker is not None:
            worker.stop()
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="Supplier collaboration gateway",
        version=__version__,
        description="X12 EDI, REST and file feeds from suppliers into one canonical model.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)
    # SQLite has one writer at a time: writes from the thread pool queue here rather than
    # meet "database is locked" when a read transaction would upgrade to a write.
    app.state.write_lock = threading.Lock() if engine.dialect.name == "sqlite" else None
    app.state.access = auth.AccessControl(app.state.sessions)
    problems.install(app)
    auth.install(app)
    app.include_router(health.router)
    app.include_router(inbound.router)
    app.include_router(x12.router)
    app.include_router(reads.router)
    app.include_router(supplier_reads.router)
    app.include_router(findings.router)
    app.include_router(admin.router)
    sync.install(app)
    openapi.install(app)
    return app
