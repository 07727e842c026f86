"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gateway.app.deps import DbEngine
from gateway.app.problems import problem
from gateway.store.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database is reachable and its schema is current",
    responses={503: {"description": "Not ready: database unreachable or migrations pending"}},
)
def readyz(engine: DbEngine) -> Any:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = current_revision(engine)
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
        return problem(503, "Not ready", f"database unreachable: {reason}", database="down")
    head = head_revision()
    if current != head:
        return problem(
            503,
            "Not ready",
            f"database schema is at {current or 'nothing'}, code expects {head}: "
            "run `gateway db upgrade`",
            database="up",
            migrations={"current": current, "head": head},
        )
    return JSONResponse(
        {"status": "ready", "database": "up", "migrations": {"current": current, "head": head}}
    )
