"""JSON API targets: the canonical model's parse, and POST /api/v1/documents in process.

``check_document`` is what ``gateway.app.inbound.parse_canonical`` does with a body: a
document, or a pydantic ``ValidationError`` that ``field_errors`` turns into named fields.
``check_api`` sends the bytes to the whole app (auth, raw store, validation, authorization,
typed store) over an in-process ASGI transport against a SQLite file: any answer under 500,
and a problem document for every refusal.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from gateway.app.inbound import DocumentRejected
from gateway.app.problems import field_errors
from gateway.model import Document

_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)


def check_document(data: bytes) -> None:
    """Any bytes as a canonical JSON document: a document, or field errors that say where."""
    try:
        document = _DOCUMENT.validate_json(data)
    except ValidationError as error:
        errors = field_errors(list(error.errors()))
        assert errors and all(isinstance(e["field"], str) and e["message"] for e in errors)
        assert str(DocumentRejected(errors))
        return
    again = _DOCUMENT.validate_json(document.model_dump_json())
    assert again == document, "the document changed in a JSON round trip"


def check_api(data: bytes) -> None:
    """Any bytes as the body of POST /api/v1/documents from an admin: never a 5xx."""
    api = _api()
    request = api.client.post("/api/v1/documents", content=data, headers=api.headers)
    check_answer(api.loop.run_until_complete(request))


def check_answer(answer: httpx.Response) -> None:
    """A document POST's answer: accepted, or a 4xx problem document; never a 5xx."""
    assert answer.status_code < 500, answer.text
    assert answer.status_code in (202, 400, 403, 409, 413, 422), answer.text
    if answer.status_code != 202:
        assert answer.headers["content-type"] == "application/problem+json", answer.text


@dataclass(frozen=True)
class _Api:
    loop: asyncio.AbstractEventLoop
    client: httpx.AsyncClient
    headers: dict[str, str]


@cache
def _api() -> _Api:
    """The app on a migrated SQLite file, with master data and an admin key (made once)."""
    from gateway.app import create_app
    from gateway.settings import Settings
    from gateway.store.engine import make_engine
    from gateway.store.migrate import upgrade
    from tests.e2e.supplier_world import populate
    from tests.support import bearer, issue_key

    folder = Path(tempfile.mkdtemp(prefix="fuzz-api-"))
    url = f"sqlite:///{folder / 'gateway.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(Settings(database_url=url, run_worker=False, run_quality_worker=False))
    populate(app.state.sessions)
    token = issue_key(url, "admin:fuzz", "admin", grants=[["g", "admin:fuzz", "role:admin", "*"]])
    # raise_app_exceptions (the default): a 500 surfaces as its own traceback
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://fuzz")
    headers = {**bearer(token), "Content-Type": "application/json"}
    return _Api(asyncio.new_event_loop(), client, headers)
