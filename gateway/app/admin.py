"""Admin API: principals, keys, policies and the audit log. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from access import PrincipalKind
from gateway.app.auth import CurrentCaller
from gateway.app.deps import Sessions
from gateway.store import access as store
from gateway.store.tables import AuditRow

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


class PrincipalIn(BaseModel):
    id: str = Field(min_length=3, max_length=120, pattern=r"^[a-z]+:[A-Za-z0-9._@-]+$")
    kind: PrincipalKind
    supplier_id: str | None = None
    display_name: str = ""


class KeyIn(BaseModel):
    principal_id: str
    name: str = Field(min_length=1, max_length=200)
    owner: str = ""
    scopes: list[Literal["read", "write"]] = Field(default=["read", "write"])
    expires_at: dt.datetime | None = None


class RulesIn(BaseModel):
    rules: list[list[str]] = Field(
        min_length=1,
        examples=[[["g", "supplier:SUP001", "role:advisory", "SEAS"]]],
        description="Casbin rules: ['p', role, domain, object, action] or "
        "['g', subject, role, domain].",
    )


@router.post("/principals", status_code=201, summary="Create a principal")
def create_principal(
    body: PrincipalIn, caller: CurrentCaller, sessions: Sessions
) -> dict[str, str]:
    caller.scope("principal", "write")
    try:
        with sessions.begin() as session:
            store.ensure_principal(
                session,
                body.id,
                body.kind,
                supplier_id=body.supplier_id,
                display_name=body.display_name,
                actor=caller.principal.id,
            )
    except (LookupError, ValueError) as error:
        raise HTTPException(422, str(error)) from None
    return {"id": body.id}


@router.post("/keys", status_code=201, summary="Issue an API key (the token is shown once)")
def create_key(body: KeyIn, caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    caller.scope("key", "write")
    try:
        with sessions.begin() as session:
            issued = store.create_key(
                session,
                body.principal_id,
                name=body.name,
                owner=body.owner,
                scopes=body.scopes,
                expires_at=body.expires_at,
                actor=caller.principal.id,
            )
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    return {"key_id": issued.key_id, "principal_id": issued.principal_id, "token": issued.token}


@router.get("/keys", summary="List API keys (never their secrets)")
def list_keys(caller: CurrentCaller, sessions: Sessions) -> list[dict[str, Any]]:
    caller.scope("key", "read")
    with sessions() as session:
        return [_key(row) for row in store.list_keys(session)]


@router.post("/keys/{key_id}/revoke", summary="Revoke a key now")
def revoke_key(key_id: str, caller: CurrentCaller, sessions: Sessions) -> dict[str, str]:
    caller.scope("key", "write")
    try:
        with sessions.begin() as session:
            store.revoke_key(session, key_id, actor=caller.principal.id)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    return {"key_id": key_id, "status": "revoked"}


@router.post("/keys/{key_id}/rotate", summary="Issue a successor; the old key overlaps a while")
def rotate_key(
    key_id: str,
    caller: CurrentCaller,
    sessions: Sessions,
    overlap_hours: Annotated[float, Query(ge=0, le=24 * 30)] = 24,
) -> dict[str, Any]:
    caller.scope("key", "write")
    try:
        with sessions.begin() as session:
            issued = store.rotate_key(
                session,
                key_id,
                actor=caller.principal.id,
                overlap=dt.timedelta(hours=overlap_hours),
            )
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    except ValueError as error:
        raise HTTPException(409, str(error)) from None
    return {"key_id": issued.key_id, "replaces": key_id, "token": issued.token}


@router.get("/policies", summary="Every Casbin rule and the policy version")
def list_policies(caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    caller.scope("policy", "read")
    with sessions() as session:
        rules, version = store.load_rules(session)
    return {"version": version, "rules": rules}


@router.post("/policies", summary="Add rules (takes effect on every process at once)")
def add_policies(body: RulesIn, caller: CurrentCaller, sessions: Sessions) -> dict[str, int]:
    caller.scope("policy", "write")
    try:
        with sessions.begin() as session:
            added = store.add_rules(session, body.rules, actor=caller.principal.id)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return {"added": added}


@router.post("/policies/remove", summary="Remove rules")
def remove_policies(body: RulesIn, caller: CurrentCaller, sessions: Sessions) -> dict[str, int]:
    caller.scope("policy", "write")
    try:
        with sessions.begin() as session:
            removed = store.remove_rules(session, body.rules, actor=caller.principal.id)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return {"removed": removed}


@router.get("/audit", summary="The audit log, newest first")
def audit(
    caller: CurrentCaller,
    sessions: Sessions,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    caller.scope("audit", "read")
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if action:
        query = query.where(AuditRow.action == action)
    with sessions() as session:
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "subject_type": r.subject_type,
                "subject_id": r.subject_id,
                "detail": r.detail,
            }
            for r in session.scalars(query)
        ]


def _key(row: Any) -> dict[str, Any]:
    stamp = {
        name: (getattr(row, name).isoformat() if getattr(row, name) else None)
        for name in ("created_at", "expires_at", "last_used_at", "revoked_at")
    }
    return {
        "key_id": row.id,
        "principal_id": row.principal_id,
        "name": row.name,
        "owner": row.owner,
        "scopes": row.scopes,
        "replaced_by": row.replaced_by,
        **stamp,
    }
