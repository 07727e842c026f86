"""The per-request context: the caller, its scopes, one database session and the loaders.

Resolvers are async (DataLoaders batch on the event loop) while the store is synchronous
SQLAlchemy, so every database call goes through ``Context.run``: one worker thread at a time
per request, on the request's own session, which is closed when the response is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from access import NOTHING, Forbidden, Scope
from gateway.app.auth import Caller, current_caller
from gateway.store.planning import RunKey, latest_run_key

T = TypeVar("T")


@dataclass
class Context(BaseContext):
    """What every resolver of one request shares."""

    caller: Caller | None
    sessions: sessionmaker[Session]
    _session: Session | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _scopes: dict[tuple[str, str], Scope | Forbidden] = field(default_factory=dict)
    _loaders: Any = None
    _plan_run: Any = field(default=False)  # False: not read yet; None: no run
    _inputs_version: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def require_caller(self) -> Caller:
        assert self.caller is not None  # the context getter refused requests without a key
        return self.caller

    @property
    def principal_id(self) -> str:
        return self.require_caller().principal.id

    def scope(self, obj: str, act: str = "read") -> Scope:
        """The caller's scope for ``obj``; NOTHING where it has none (the field's permission
        has already answered with an error, so loaders only ever narrow)."""
        decided = self.decide(obj, act)
        return NOTHING if isinstance(decided, Forbidden) else decided

    def decide(self, obj: str, act: str) -> Scope | Forbidden:
        """The scope, or the Forbidden that says why not; decided once per request."""
        key = (obj, act)
        if key not in self._scopes:
            if self.caller is None:
                self._scopes[key] = Forbidden("no API key", "access.key_missing")
            else:
                try:
                    self._scopes[key] = self.caller.scope(obj, act)
                except Forbidden as denied:
                    self._scopes[key] = denied
        return self._scopes[key]

    async def run(self, call: Callable[[Session], T]) -> T:
        """Run ``call`` with the request's session in a worker thread, one call at a time."""
        async with self._lock:
            return await run_in_threadpool(call, self._db())

    async def write(self, call: Callable[[Session], T]) -> T:
        """Run ``call`` in its own transaction (committed on return) in a worker thread."""

        def transaction() -> T:
            with self.sessions.begin() as session:
                return call(session)

        return await run_in_threadpool(transaction)

    def plan_run(self, session: Session) -> RunKey | None:
        """The newest complete forecast run, read once per request, so every planning field
        of a response reads the same run."""
        if self._plan_run is False:
            self._plan_run = latest_run_key(session)
        return self._plan_run  # type: ignore[no-any-return]

    def inputs_version(self, session: Session) -> tuple[Any, ...]:
        """Segment health's inputs version (``remembered.inputs_version``), read once per
        request: a remembered answer and the at-risk rows it holds carry the same one."""
        if self._inputs_version is None:
            from gateway.graphql.remembered import inputs_version

            self._inputs_version = inputs_version(session)
        return self._inputs_version

    @property
    def known_run(self) -> RunKey | None:
        """The request's run if it has been read already (``plan_run``), else None."""
        return self._plan_run or None

    @property
    def engine(self) -> Engine:
        bind = self.sessions.kw["bind"]
        return bind.engine  # type: ignore[no-any-return]

    @property
    def loaders(self) -> Any:
        if self._loaders is None:
            from gateway.graphql.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    def _db(self) -> Session:
        if self._session is None:
            self._session = self.sessions()
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def _wants_ide(request: Request) -> bool:
    # GraphiQL is a page: a browser's GET without a query gets it, key or no key.
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def get_context(request: Request) -> Iterator[Context]:
    """FastAPI dependency: authenticate like every REST route (a missing or bad key answers
    401 problem details with its code, and is audited), then yield the context."""
    caller = None if _wants_ide(request) else current_caller(request)
    context = Context(caller=caller, sessions=request.app.state.sessions)
    try:
        yield context
    finally:
        context.close()


GraphInfo: TypeAlias = Info[Context, None]
"""What resolvers receive as ``info``: its ``context`` is the request's Context."""
