"""Slow clients over real sockets: a body that stalls or trickles past its deadline is a 408
problem and is never stored; fast, chunked and merely slow-ish uploads still work."""

from __future__ import annotations

import json
import logging
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine, func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store.tables import InboxRow
from tests.e2e.supplier_world import issue_keys, populate
from tests.e2e.test_cli import ROOT, environment
from tests.support import free_port, serve, wait_until_ready

IDLE_S = 0.5
TOTAL_S = 1.5
GIVE_UP_S = 15  # only proves the server answers at all; never a timing assertion
Keys = dict[str, dict[str, str]]
NOTICE = json.dumps(
    {"type": "ship_notice", "shipment_id": "SLOW-1", "ship_date": "2026-11-01"}
).encode()
X12 = (
    b"ISA*00*          *00*          *ZZ*SUP001         *ZZ*BUYER          *261101*1200*U*00401"
    b"*000000001*0*P*>~GS*SH*SUP001*BUYER*20261101*1200*1*X*004010~ST*856*0001~"
)


@pytest.fixture
def api(
    request: pytest.FixtureRequest,
    database_url: str,
    engine: Engine,
    sessions: sessionmaker[Session],
) -> Iterator[tuple[str, Keys]]:
    """The gateway with small body timeouts: (idle, total) from ``indirect`` parameters."""
    idle_s, total_s = getattr(request, "param", (IDLE_S, TOTAL_S))
    populate(sessions)
    keys = issue_keys(database_url)
    settings = Settings(
        database_url=database_url, body_idle_timeout_s=idle_s, body_timeout_s=total_s
    )
    with serve(create_app(settings, engine=engine)) as url:
        yield url, keys


def _connect(base: str) -> socket.socket:
    parts = urlsplit(base)
    return socket.create_connection((parts.hostname or "", parts.port or 80), timeout=GIVE_UP_S)


def _head(path: str, token: str, content_type: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read until the server closes the connection (it must, after a 408)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _inbox(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(sql_select(func.count()).select_from(InboxRow)) or 0


def _assert_408(status: int, headers: dict[str, str], body: bytes, limit: str) -> dict[str, object]:
    assert status == 408, body
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["status"] == 408 and problem["limit"] == limit, problem
    assert "nothing was stored" in problem["detail"], problem
    return dict(problem)


MULTIPART = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\nreport_id,as_of\r\nR1,2026-11-01\r\n--b--\r\n"
)
STALLING = [
    ("/api/v1/documents", "application/json", NOTICE),
    ("/api/v1/ship-notices", "application/json", NOTICE),
    ("/api/v1/x12", "application/edi-x12", X12),
    ("/api/v1/files?type=inventory_position", "text/csv", b"report_id,as_of\nR1,2026-11-01\n"),
    ("/api/v1/files", "multipart/form-data; boundary=b", MULTIPART),
    ("/api/v1/admin/principals", "application/json", b'{"id": "supplier:SLOW", "kind": "x"}'),
    ("/graphql", "application/json", b'{"query": "{ segments { totalCount } }"}'),
]


@pytest.mark.parametrize(("path", "content_type", "body"), STALLING, ids=lambda v: str(v)[:24])
def test_a_stalled_body_is_a_408_and_not_stored(
    api: tuple[str, Keys],
    sessions: sessionmaker[Session],
    path: str,
    content_type: str,
    body: bytes,
) -> None:
    url, keys = api
    before = _inbox(sessions)
    half = body[: len(body) // 2]
    with _connect(url) as sock:
        sock.sendall(_head(path, keys["admin"]["Authorization"], content_type, len(body)) + half)
        status, headers, answer = _answer(sock)  # the client sends nothing more
    problem = _assert_408(status, headers, answer, "idle")
    assert problem["received_bytes"] == len(half), problem
    assert _inbox(sessions) == before


@pytest.mark.parametrize("api", [(30.0, 60.0)], indirect=True)  # neither limit can end it
def test_an_answer_before_the_body_closes_the_connection(
    api: tuple[str, Keys], sessions: sessionmaker[Session]
) -> None:
    """A bad key is answered 401 before the body is read; the connection closes after it, so
    a client trickling the rest holds nothing. (uvicorn reads an unread body on for as long as
    bytes keep coming: each one re-arms its keep-alive timer.)"""
    url, keys = api
    before = _inbox(sessions)
    answer, closed = b"", False
    with _connect(url) as sock:
        sock.sendall(_head("/api/v1/documents", "Bearer nope", "application/json", 999) + b"{")
        started = time.monotonic()
        while not closed and time.monotonic() - started < GIVE_UP_S:
            if select.select([sock], [], [], 0.2)[0]:
                chunk = sock.recv(65536)
                answer, closed = answer + chunk, not chunk
                continue
            try:
                sock.sendall(b" ")  # one more byte of the body every 0.2 s
            except OSError:  # reset: closed while we wrote
                closed = True
    assert closed, "the server kept reading a trickled body after answering it"
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 401") and "\r\nconnection: close" in head, head
    assert _inbox(sessions) == before
    with httpx.Client(base_url=url, headers=keys["sup1"], timeout=GIVE_UP_S) as client:
        kept = client.get("/api/v1/purchase-orders")  # no body: the connection stays open
    assert kept.is_success and "close" not in kept.headers.get("connection", "")


# An idle timeout far above the gaps: a busy machine pausing the client cannot trip it first.
@pytest.mark.parametrize("api", [(10.0, TOTAL_S)], indirect=True)
def test_a_steady_trickle_past_the_deadline_is_a_408_and_not_stored(
    api: tuple[str, Keys], sessions: sessionmaker[Session]
) -> None:
    """A byte every 0.1 s never trips the idle timeout; the whole-body deadline ends it."""
    url, keys = api
    before = _inbox(sessions)
    sent = 0
    with _connect(url) as sock:
        sock.sendall(
            _head(
                "/api/v1/documents", keys["sup1"]["Authorization"], "application/json", len(NOTICE)
            )
        )
        started = time.monotonic()
        while sent < len(NOTICE) and not select.select([sock], [], [], 0.1)[0]:
            assert time.monotonic() - started < GIVE_UP_S, "no answer to a trickled body"
            sock.sendall(NOTICE[sent : sent + 1])
            sent += 1
        assert sent < len(NOTICE), "the whole body went through before the deadline"
        status, headers, answer = _answer(sock)
    problem = _assert_408(status, headers, answer, "total")
    assert 0 < int(str(problem["received_bytes"])) <= sent, problem
    assert _inbox(sessions) == before


@pytest.mark.parametrize("api", [(5.0, 60.0)], indirect=True)  # gaps of 0.1 s stay far under
def test_fast_chunked_and_slowish_uploads_still_work(
    api: tuple[str, Keys], sessions: sessionmaker[Session]
) -> None:
    url, keys = api

    def chunks(body: bytes, gap_s: float) -> Iterator[bytes]:
        for start in range(0, len(body), 16):
            yield body[start : start + 16]
            time.sleep(gap_s)

    csv = b"report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\n"
    csv += b"R1,2026-11-01,DC1,I-FAST,5,EA\n"
    with httpx.Client(base_url=url, headers=keys["sup1"], timeout=GIVE_UP_S) as client:
        plain = client.post("/api/v1/documents", content=NOTICE.replace(b"SLOW-1", b"FAST-1"))
        assert plain.status_code == 202, plain.text
        chunked = client.post(
            "/api/v1/documents",
            content=chunks(NOTICE.replace(b"SLOW-1", b"FAST-2"), 0.0),
            headers={"Content-Type": "application/json"},
        )
        assert chunked.status_code == 202, chunked.text
        # gaps well under the idle timeout: slow, not stalled
        slowish = client.post(
            "/api/v1/files?type=inventory_position",
            content=chunks(csv, 0.1),
            headers={"Content-Type": "text/csv"},
        )
        assert slowish.status_code == 202, slowish.text
        multipart = client.post(
            "/api/v1/files?type=inventory_position",
            files={"file": ("stock.csv", csv.replace(b"R1", b"R2"), "text/csv")},
        )
        assert multipart.status_code == 202, multipart.text
        spec = client.get("/openapi.json").json()
    for path in ("/api/v1/documents", "/api/v1/x12", "/api/v1/files"):
        assert "408" in spec["paths"][path]["post"]["responses"], path
    assert _inbox(sessions) == 4


# Timeouts far above the time the other requests take: the stalled body is still pending.
@pytest.mark.parametrize("api", [(30.0, 60.0)], indirect=True)
def test_other_requests_are_served_while_a_body_stalls(
    api: tuple[str, Keys], sessions: sessionmaker[Session]
) -> None:
    url, keys = api
    with _connect(url) as stalled:
        stalled.sendall(_stalled_head(keys) + NOTICE[:10])
        with httpx.Client(base_url=url, headers=keys["sup1"], timeout=GIVE_UP_S) as client:
            for n in range(3):
                notice = {"shipment_id": f"FAST{n}", "ship_date": "2026-11-01"}
                assert client.post("/api/v1/ship-notices", json=notice).status_code == 202
                assert client.get("/api/v1/purchase-orders").is_success
        assert not select.select([stalled], [], [], 0)[0], "the stalled body was answered"
    # the client gave up: the half body is not stored either
    with httpx.Client(base_url=url, headers=keys["sup1"], timeout=GIVE_UP_S) as client:
        assert client.get("/readyz").status_code == 200
    assert _inbox(sessions) == 3


def test_a_timeout_is_logged_once_and_counted(
    api: tuple[str, Keys], caplog: pytest.LogCaptureFixture
) -> None:
    url, keys = api
    caplog.set_level(logging.INFO, logger="gateway")
    with _connect(url) as stalled:
        stalled.sendall(_stalled_head(keys) + NOTICE[:10])
        _assert_408(*_answer(stalled), "idle")
    metrics = httpx.get(f"{url}/metrics", headers=keys["admin"], timeout=GIVE_UP_S).text
    assert 'gateway_http_body_timeouts_total{limit="idle"} 1.0' in metrics, metrics
    assert 'gateway_http_body_timeouts_total{limit="total"} 0.0' in metrics, metrics
    timeouts = [r for r in caplog.records if "request body timed out" in r.getMessage()]
    assert len(timeouts) == 1, timeouts
    assert timeouts[0].levelname == "WARNING" and vars(timeouts[0])["received_bytes"] == 10
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def _stalled_head(keys: Keys) -> bytes:
    return _head("/api/v1/documents", keys["sup1"]["Authorization"], "application/json", 999)


def test_gateway_serve_takes_the_limits_from_the_environment(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    """``gateway serve`` with the settings as environment variables: a stalled body is a 408
    logged once as JSON without a traceback; ``GATEWAY_LIMIT_CONCURRENCY`` reaches uvicorn,
    which counts idle connections too (so it answers 503 while they are open)."""
    populate(sessions)
    token = issue_keys(database_url)["sup1"]["Authorization"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(
        database_url,
        GATEWAY_PORT=str(port),
        GATEWAY_LOG_FORMAT="json",
        GATEWAY_BODY_IDLE_TIMEOUT_S=str(IDLE_S),
        GATEWAY_LIMIT_CONCURRENCY="3",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--no-migrate"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_until_ready(base, timeout=90)
        with _connect(base) as sock:
            sock.sendall(_head("/api/v1/documents", token, "application/json", 999) + b"{")
            problem = _assert_408(*_answer(sock), "idle")
        assert problem["received_bytes"] == 1
        idle = [_connect(base) for _ in range(3)]
        try:
            assert httpx.get(f"{base}/readyz", timeout=GIVE_UP_S).status_code == 503
        finally:
            for sock in idle:
                sock.close()
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    timeouts = [r for r in records if "request body timed out" in r["message"]]
    assert len(timeouts) == 1, stderr
    assert timeouts[0]["context"]["limit"] == "idle"
    assert timeouts[0]["context"]["received_bytes"] == 1
    assert timeouts[0]["context"]["request_id"]
