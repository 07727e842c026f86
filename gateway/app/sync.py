"""Deliveries for integration teams: dead letters, replay, channels, partner health, metrics.

Mount with ``install(app)``: the routers under ``/api/v1/sync`` and ``/api/v1/health/partners``,
and Prometheus metrics at ``/metrics`` (read from the store at scrape time, so every worker
process is counted, not only one running in this process).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import BaseModel, Field, ValidationInfo, field_validator
from sqlalchemy import select

from access import Forbidden, NotVisible
from gateway.app.auth import Caller, CurrentCaller
from gateway.app.deps import Sessions
from gateway.app.http_metrics import GraphqlAnswersCollector, HttpCollector
from gateway.app.poller_metrics import PollerCollector
from gateway.app.quality_metrics import QualityCollector
from gateway.app.sync_metrics import DeliveryCollector
from gateway.store import dead_letters
from gateway.store.audit import record
from gateway.store.outbox import list_channels, set_channel
from gateway.store.poller_health import poller_health
from gateway.store.sync_health import attempt_timeline, partner_health
from gateway.store.sync_tables import AttemptRow, ChannelRow, OutboxRow
from gateway.store.tables import utcnow
from gateway.sync_x12 import renumber_for_replay
from sync import ChannelKind, channel_endpoint, kind_of

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])
health_router = APIRouter(prefix="/api/v1/health", tags=["health"])
metrics_router = APIRouter(tags=["health"])
DELIVERY = "delivery"


def _require(caller: Caller, act: str) -> None:
    scope = caller.scope(DELIVERY, act)
    # deliveries belong to partners, not segments: only a global grant reaches them
    if scope.segments is not None:
        raise Forbidden("deliveries need a global grant (integration or admin)", "access.scope")


def _allowed(check: Callable[[], object]) -> bool:
    try:
        check()
    except Forbidden:
        return False
    return True


@router.get("/permissions", summary="What this key may do here (the dashboard asks first)")
def permissions(caller: CurrentCaller) -> dict[str, Any]:
    # Asked rather than tried: a dashboard probing routes it may not use would fill the audit
    # log with denials every refresh.
    return {
        "principal": caller.principal.id,
        "health": _allowed(lambda: caller.scope("health", "read")),
        "deliveries": _allowed(lambda: _require(caller, "read")),
        "replay": _allowed(lambda: _require(caller, "write")),
    }


def _summary(row: OutboxRow) -> dict[str, Any]:
    return {
        "delivery_id": row.id,
        "partner_id": row.partner_id,
        "document_type": row.document_type,
        "content_type": row.content_type,
        "status": row.status,
        "attempts": row.attempts,
        "created_at": row.created_at.isoformat(),
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
        "endpoint": row.endpoint,
        "last_error": row.last_error,
        "dead_reason": row.dead_reason,
        "control_number": row.control_number,
        "replay_of": row.replay_of,
    }


def _attempt(row: AttemptRow) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(),
        "endpoint": row.endpoint,
        "ok": row.ok,
        "status_code": row.status_code,
        "error": row.error,
        "duration_ms": round(row.duration_ms, 1),
    }


@router.get("/deliveries", summary="Deliveries, newest first (filter by status, partner, type)")
def deliveries(
    caller: CurrentCaller,
    sessions: Sessions,
    status: str | None = None,
    partner_id: str | None = None,
    document_type: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    _require(caller, "read")
    with sessions() as session:
        rows = dead_letters.list_deliveries(
            session, status=status, partner_id=partner_id, document_type=document_type, limit=limit
        )
        return {"items": [_summary(r) for r in rows]}


@router.get("/dead-letters", summary="Dead letters, newest first")
def dead(
    caller: CurrentCaller,
    sessions: Sessions,
    partner_id: str | None = None,
    document_type: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    return deliveries(caller, sessions, "dead", partner_id, document_type, limit)


@router.get("/deliveries/{delivery_id}", summary="One delivery with its body and attempts")
def delivery(delivery_id: str, caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    _require(caller, "read")
    with sessions() as session:
        row = session.get(OutboxRow, delivery_id)
        if row is None:
            raise NotVisible(f"no delivery {delivery_id}")
        out = _summary(row)
        try:
            out["body"] = row.body.decode("utf-8")
        except UnicodeDecodeError:
            out["body_base64"] = base64.b64encode(row.body).decode("ascii")
        out["attempt_log"] = [_attempt(a) for a in dead_letters.attempts_of(session, row.id)]
        out["replays"] = list(
            session.scalars(select(OutboxRow.id).where(OutboxRow.replay_of == row.id))
        )
        return out


class ReplayIn(BaseModel):
    body: str | None = Field(None, description="Fixed content to send instead of the original.")


@router.post(
    "/deliveries/{delivery_id}/replay",
    status_code=202,
    summary="Queue a dead letter again (X12 gets fresh control numbers); audited",
)
def replay_one(
    delivery_id: str,
    caller: CurrentCaller,
    sessions: Sessions,
    fix: ReplayIn | None = None,
) -> dict[str, Any]:
    _require(caller, "write")
    body = fix.body.encode("utf-8") if fix and fix.body is not None else None
    try:
        with sessions.begin() as session:
            done = dead_letters.replay(
                session,
                delivery_id,
                actor=caller.principal.id,
                renumber=renumber_for_replay,
                body=body,
            )
    except LookupError:
        raise NotVisible(f"no delivery {delivery_id}") from None
    except ValueError as error:
        raise HTTPException(409, str(error)) from None
    return {"original": done.original, "replay": done.replay, "control_number": done.control_number}


class BulkReplayIn(BaseModel):
    partner_id: str | None = None
    document_type: str | None = None
    limit: int = Field(500, ge=1, le=10_000)


@router.post(
    "/dead-letters/replay", status_code=202, summary="Replay matching dead letters; audited"
)
def replay_bulk(body: BulkReplayIn, caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    _require(caller, "write")
    with sessions.begin() as session:
        done = dead_letters.replay_many(
            session,
            actor=caller.principal.id,
            partner_id=body.partner_id,
            document_type=body.document_type,
            limit=body.limit,
            renumber=renumber_for_replay,
        )
    return {
        "replayed": len(done),
        "items": [{"original": d.original, "replay": d.replay} for d in done],
    }


class ChannelIn(BaseModel):
    """``kind`` http: ``http(s)://`` URLs; folder: absolute directory paths (a mounted share)."""

    kind: ChannelKind = ChannelKind.HTTP
    primary_url: str = Field(max_length=1000)  # checked against the column in the validator
    secondary_url: str | None = Field(None, max_length=1000)
    timeout_s: float = Field(10.0, gt=0, le=300)
    max_attempts: int = Field(8, ge=1, le=100)
    enabled: bool = True

    @field_validator("primary_url", "secondary_url")
    @classmethod
    def _fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind", ChannelKind.HTTP)
        return None if value is None else channel_endpoint(kind, value)


def _channel(row: ChannelRow) -> dict[str, Any]:
    return {
        "partner_id": row.partner_id,
        "document_type": row.document_type,
        "kind": kind_of(row.primary_url).value,
        "primary_url": row.primary_url,
        "secondary_url": row.secondary_url,
        "timeout_s": row.timeout_s,
        "max_attempts": row.max_attempts,
        "enabled": row.enabled,
    }


@router.get("/channels", summary="Partner channels")
def channels(caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    _require(caller, "read")
    with sessions() as session:
        return {"items": [_channel(c) for c in list_channels(session)]}


@router.put("/channels/{partner_id}/{document_type}", summary="Set a partner channel; audited")
def put_channel(
    partner_id: str, document_type: str, body: ChannelIn, caller: CurrentCaller, sessions: Sessions
) -> dict[str, Any]:
    _require(caller, "write")
    with sessions.begin() as session:
        row = set_channel(
            session, partner_id=partner_id, document_type=document_type, **body.model_dump()
        )
        record(
            session,
            caller.principal.id,
            "channel.set",
            "channel",
            f"{partner_id}/{document_type}",
            body.model_dump(mode="json"),
        )
        return _channel(row)


@health_router.get(
    "/partners",
    summary="Delivery health per partner and document type; inbound pollers under `pollers`",
)
def partners(caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    caller.scope("health", "read")
    now = utcnow()
    with sessions() as session:
        items = partner_health(session, now)
        pollers = poller_health(session, now)
    return {
        "as_of": now.isoformat(),
        "items": [h.as_dict() for h in items],
        "pollers": [p.as_dict() for p in pollers],
    }


@health_router.get(
    "/partners/timeline", summary="Delivery attempts and failures per minute (the last hour)"
)
def timeline(
    caller: CurrentCaller,
    sessions: Sessions,
    minutes: Annotated[int, Query(ge=1, le=1440)] = 60,
    partner_id: str | None = None,
) -> dict[str, Any]:
    caller.scope("health", "read")
    now = utcnow()
    with sessions() as session:
        counts = attempt_timeline(session, now, minutes=minutes, partner_id=partner_id)
    return {"as_of": now.isoformat(), "minutes": [c.__dict__ for c in counts]}


@metrics_router.get(
    "/metrics",
    summary="Prometheus metrics (a key with health read: scrape with a bearer token)",
    include_in_schema=True,
    response_class=PlainTextResponse,  # documents text/plain, not JSON
)
def metrics(request: Request, sessions: Sessions, caller: CurrentCaller) -> Response:
    # The metrics name partners and their endpoints; a supplier-facing gateway must not
    # hand that to anyone who can reach it, so the scraper presents a key like everyone.
    caller.scope("health", "read")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DeliveryCollector(sessions))
    registry.register(PollerCollector(sessions))
    registry.register(QualityCollector(sessions))
    registry.register(HttpCollector(request.app.state.body_timeouts))
    registry.register(GraphqlAnswersCollector())
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    """Mount the sync routes, the partner health and ``/metrics`` on the gateway app."""
    app.include_router(router)
    app.include_router(health_router)
    app.include_router(metrics_router)
