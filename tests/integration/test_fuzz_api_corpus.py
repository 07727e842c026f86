"""The json_api fuzz corpus over real HTTP: every kept body gets a 202 or a 4xx problem."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.supplier_world import issue_keys, populate
from tests.fuzz.documents import check_answer
from tests.fuzz.targets import CORPUS
from tests.support import serve


def test_the_api_corpus_never_gets_a_500(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    populate(sessions)
    keys = issue_keys(database_url)
    bodies = sorted(p for p in (CORPUS / "json_api").glob("*") if p.name != "README.md")
    assert bodies
    with (
        serve(create_app(Settings(database_url=database_url), engine=engine)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        for path in bodies:
            for who in ("admin", "sup1"):
                headers = {**keys[who], "Content-Type": "application/json"}
                body = path.read_bytes()
                check_answer(client.post("/api/v1/documents", content=body, headers=headers))
