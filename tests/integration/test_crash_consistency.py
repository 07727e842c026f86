"""Store-before-ack and exactly-once under SIGKILL: the gateway and its delivery worker are
killed at random moments while X12, JSON and CSV messages arrive concurrently; a client
re-sends whatever got no 2xx. Every acknowledged message is stored once and processed once,
and every queued delivery reaches the partner under its one delivery id. The full-size run
(10,000 messages): ``python bench/crash.py``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.documents import document_ids_for_message
from gateway.store.inbox import store_message
from gateway.store.tables import InboxRow
from gateway.x12_inbound import _interchange_key
from tests.crash_harness import Gateway, messages, prepare, run
from tests.sink import Sink
from tests.support import serve


def test_kills_lose_nothing_and_double_nothing(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    postgres = database_url.startswith("postgresql")
    figures = run(
        database_url,
        sessions,
        tmp_path / "gateway.log",
        n_messages=int(os.environ.get("CRASH_MESSAGES", "300")),
        kills=2,
        deliveries=150,
        server_workers=2 if postgres else 1,
        threads=8,
    )
    assert figures.kills == 2
    assert figures.problems() == [], json.dumps(figures.summary(), indent=1)
    assert figures.delivered_ids == figures.deliveries == 150
    print(json.dumps(figures.summary()))  # the figures, with -s


@pytest.mark.parametrize("kind", [0, 1, 2], ids=["x12", "json", "csv"])
def test_a_message_stored_before_a_crash_is_processed_when_re_sent(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path, kind: int
) -> None:
    """The process died between storing a message and processing it: the client never got
    an answer, so it sends again; that re-send processes the stored message, once."""
    with serve(Sink().app) as sink_url:
        token = prepare(database_url, sessions, sink_url, deliveries=0)
    message = messages(3, "stored")[kind]
    partner = "SUP001"  # a supplier key sends as its supplier
    stored = store_message(
        sessions,
        partner_id=partner,
        channel={0: "x12", 1: "api", 2: "csv"}[kind],
        content_type=message.content_type,
        body=message.body,
        # X12 is recognised by its interchange (sender, ISA13), not by the Idempotency-Key
        dedupe_key=_interchange_key(message.body) if kind == 0 else f"idempotency:{message.key}",
    )
    gateway = Gateway(database_url, tmp_path / "gateway.log")
    gateway.start()
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": message.content_type,
            "Idempotency-Key": message.key,
        }
        answer = httpx.post(gateway.url + message.path, content=message.body, headers=headers)
    finally:
        gateway.stop()
    assert answer.status_code == 202, answer.text
    assert answer.json()["message_id"] == stored.message_id
    with sessions() as session:
        assert session.scalar(select(InboxRow.status)) == "processed"
        assert sum(map(len, document_ids_for_message(session, stored.message_id).values())) == 1
