"""Authentication and authorization for every route: one dependency, one decision point.

Each request reads the stored policy version (one indexed row); when another process changed
the policy, this process reloads the rules before deciding. Denials are audited.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from access import (
    AccessError,
    Authorizer,
    Forbidden,
    NotVisible,
    Principal,
    Scope,
    Unauthenticated,
    parse_bearer,
)
from gateway.app.problems import problem
from gateway.store.access import authenticate, load_rules, policy_version
from gateway.store.audit import record


class AccessControl:
    """The process's Authorizer, kept in step with the stored policy version."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._authorizer: Authorizer | None = None

    def authorizer(self, session: Session) -> Authorizer:
        version = policy_version(session)
        current = self._authorizer
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._authorizer is None or self._authorizer.version != version:
                rules, version = load_rules(session)
                if self._authorizer is None:
                    self._authorizer = Authorizer(rules, version)
                else:
                    self._authorizer.reload(rules, version)
            return self._authorizer


@dataclass(frozen=True)
class Caller:
    """An authenticated principal with the decisions it may ask for."""

    principal: Principal
    key_scopes: tuple[str, ...]
    authorizer: Authorizer

    def scope(self, obj: str, act: str) -> Scope:
        """Where this caller may ``act`` on ``obj``; Forbidden if nowhere."""
        if act not in self.key_scopes:
            raise Forbidden(
                f"this API key is limited to {', '.join(self.key_scopes)}", "access.key_scope"
            )
        return self.authorizer.require(self.principal, obj, act)

    def record_scope(self, obj: str) -> Scope:
        """The read scope for looking up one record: out of scope reads as not found."""
        try:
            return self.scope(obj, "read")
        except Forbidden:
            raise NotVisible(f"no such {obj}") from None


def current_caller(request: Request) -> Caller:
    control: AccessControl = request.app.state.access
    sessions: sessionmaker[Session] = request.app.state.sessions
    key_id, secret = parse_bearer(request.headers.get("authorization"))
    request.state.key_id = key_id
    with sessions.begin() as session:
        principal, scopes = authenticate(session, key_id, secret)
        authorizer = control.authorizer(session)
    request.state.principal = principal
    return Caller(principal, tuple(scopes), authorizer)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def install(app: FastAPI) -> None:
    """Answer access errors with problem details and write each denial to the audit log."""

    @app.exception_handler(AccessError)
    async def _denied(request: Request, error: AccessError) -> JSONResponse:
        await run_in_threadpool(_audit_denial, request, error)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
        response = problem(error.status, _TITLES[error.status], str(error), code=error.code)
        if headers:
            response.headers.update(headers)
        return response


_TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def _audit_denial(request: Request, error: AccessError) -> None:
    principal: Principal | None = getattr(request.state, "principal", None)
    key_id: str | None = getattr(request.state, "key_id", None)
    actor = principal.id if principal else (f"key:{key_id}" if key_id else "anonymous")
    sessions: sessionmaker[Session] = request.app.state.sessions
    with sessions.begin() as session:
        record(
            session,
            actor,
            "access.denied",
            "route",
            f"{request.method} {request.url.path}",
            {"code": error.code, "status": error.status, "reason": str(error)},
        )
