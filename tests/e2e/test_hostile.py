"""Hostile input over real HTTP: every attack is refused with a clear 4xx (or stored as plain
data), never a 500, never SQL or a file's contents in an answer, and nothing is stored beyond
the size limits."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store.tables import InboxRow
from tests.e2e.supplier_world import issue_keys, populate
from tests.e2e.test_cli import environment, gateway
from tests.support import serve

BODY_LIMIT = 8 * 1024
FILE_LIMIT = 16 * 1024
Keys = dict[str, dict[str, str]]

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rows><row><report_id>&x;</report_id><as_of>2026-11-01</as_of></row></rows>"""
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "ha">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b"]>\n<rows><row><report_id>&j;</report_id></row></rows>"
)
XXE_UTF16 = (
    XXE.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"').decode().encode("utf-16")
)
INJECTIONS = [
    "' OR '1'='1",
    "x'); DROP TABLE inbox_messages;--",
    '" UNION SELECT token_hash FROM api_keys --',
    "a\r\nX-Injected: 1",
    "\u202e\ufeff%00%0d%0a",
]
# (method, path, json body or None for raw bytes): every write route with a JSON body
JSON_ROUTES = [
    ("POST", "/api/v1/documents"),
    ("POST", "/api/v1/ship-notices"),
    ("POST", "/api/v1/po-acknowledgments"),
    ("POST", "/api/v1/inventory-positions"),
    ("POST", "/api/v1/forecast-commits"),
    ("POST", "/api/v1/capacity-commits"),
    ("POST", "/api/v1/receipts"),
    ("POST", "/api/v1/purchase-orders"),
    ("POST", "/api/v1/planning-schedules"),
    ("POST", "/api/v1/admin/principals"),
    ("POST", "/api/v1/admin/keys"),
    ("POST", "/api/v1/admin/keys/K1/rotate"),
    ("POST", "/api/v1/admin/policies"),
    ("POST", "/api/v1/admin/policies/remove"),
    ("POST", "/api/v1/sync/deliveries/1/replay"),
    ("POST", "/api/v1/sync/dead-letters/replay"),
    ("PUT", "/api/v1/sync/channels/SUP001/ship_notice"),
    ("POST", "/graphql"),
]
RAW_ROUTES = [("POST", "/api/v1/x12"), ("POST", "/api/v1/files")]


@pytest.fixture
def api(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[httpx.Client, Keys]]:
    populate(sessions)
    keys = issue_keys(database_url)
    settings = Settings(
        database_url=database_url, max_body_bytes=BODY_LIMIT, max_file_bytes=FILE_LIMIT
    )
    with (
        serve(create_app(settings, engine=engine)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client, keys


def _inbox_sizes(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(func.length(InboxRow.body))).all())


def _clean(answer: httpx.Response, echoed: str = "") -> None:
    """Never a server error, never SQL or a system file in the answer (beyond the input it
    may echo as data)."""
    assert answer.status_code < 500, answer.text
    text = answer.text.replace(json.dumps(echoed)[1:-1], "") if echoed else answer.text
    for leak in ("SELECT ", "INSERT ", "Traceback", "root:x:0", "sqlalchemy", "psycopg"):
        assert leak not in text, answer.text


@pytest.mark.parametrize("body", [XXE, LAUGHS, XXE_UTF16], ids=["xxe", "laughs", "xxe-utf16"])
def test_entities_in_uploaded_xml_are_refused(api: tuple[httpx.Client, Keys], body: bytes) -> None:
    client, keys = api
    headers = {**keys["sup1"], "Content-Type": "application/xml"}
    raw = client.post("/api/v1/files?type=inventory_position", content=body, headers=headers)
    _clean(raw)
    assert raw.status_code == 422 and "DOCTYPE" in raw.text, raw.text
    upload = client.post(
        "/api/v1/files?type=inventory_position",
        files={"file": ("stock.xml", body, "text/xml")},
        headers=keys["sup1"],
    )
    _clean(upload)
    assert upload.status_code == 422 and "DOCTYPE" in upload.text, upload.text


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES + RAW_ROUTES)
def test_an_oversized_body_is_a_413_and_not_stored(
    api: tuple[httpx.Client, Keys], sessions: sessionmaker[Session], method: str, path: str
) -> None:
    client, keys = api
    size = max(BODY_LIMIT, FILE_LIMIT) + 1
    body = b'{"a": "' + b"x" * size + b'"}'
    before = _inbox_sizes(sessions)
    answer = client.request(
        method, path, content=body, headers={**keys["admin"], "Content-Type": "application/json"}
    )
    _clean(answer)
    assert answer.status_code == 413, (path, answer.status_code, answer.text[:300])
    assert answer.headers["content-type"] == "application/problem+json"
    assert _inbox_sizes(sessions) == before


def test_a_streamed_oversized_body_without_length_is_cut_off(
    api: tuple[httpx.Client, Keys], sessions: sessionmaker[Session]
) -> None:
    client, keys = api

    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"x" * 1024

    for path in ("/api/v1/documents", "/api/v1/files", "/api/v1/admin/principals", "/graphql"):
        answer = client.post(
            path, content=chunks(), headers={**keys["admin"], "Content-Type": "application/json"}
        )
        _clean(answer)
        assert answer.status_code == 413, (path, answer.status_code, answer.text[:300])
    assert all(size <= FILE_LIMIT for size in _inbox_sizes(sessions))


@pytest.mark.parametrize("shape", ["[", '{"a":'])
@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
def test_deeply_nested_json_is_a_4xx(
    api: tuple[httpx.Client, Keys], method: str, path: str, shape: str
) -> None:
    client, keys = api
    # as deep as the body limit allows, and far deeper than Python's recursion limit
    depth = BODY_LIMIT // len(shape)
    body = (shape * depth).encode()
    answer = client.request(
        method, path, content=body, headers={**keys["admin"], "Content-Type": "application/json"}
    )
    _clean(answer)
    assert 400 <= answer.status_code < 500, (path, answer.status_code)
    assert answer.headers["content-type"] == "application/problem+json", answer.text[:200]


def test_a_hundred_thousand_brackets_within_a_larger_limit(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    populate(sessions)
    keys = issue_keys(database_url)
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        for path in ("/api/v1/documents", "/api/v1/admin/principals", "/graphql"):
            for body in (b"[" * 100_000, b"{" * 100_000, b'{"query": "' + b"{a" * 50_000 + b'"}'):
                answer = httpx.post(
                    url + path,
                    content=body,
                    headers={**keys["admin"], "Content-Type": "application/json"},
                    timeout=30,
                )
                _clean(answer)
                if answer.status_code == 200:  # GraphQL: a query it cannot run is an error
                    assert path == "/graphql" and answer.json()["errors"], answer.text[:300]
                    assert not answer.json().get("data")
                else:
                    assert 400 <= answer.status_code < 500, (path, answer.status_code)


def _slow_upload(base: str, token: str, stop: threading.Event, sent: list[int]) -> None:
    parts = urlsplit(base)
    body = json.dumps({"type": "ship_notice", "shipment_id": "SLOW", "ship_date": "2026-11-01"})
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as sock:
        sock.sendall(
            (
                f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
        )
        for byte in body.encode():
            if stop.is_set():
                return
            sock.sendall(bytes([byte]))
            sent[0] += 1
            time.sleep(0.05)


def test_slow_uploads_do_not_hold_up_other_requests(
    api: tuple[httpx.Client, Keys],
) -> None:
    """Twenty slow-loris uploads, more than the database pool holds, while others are served.

    Each keeps sending (well inside GATEWAY_BODY_IDLE_TIMEOUT_S; test_slow_clients.py covers
    the timeouts), so it holds its socket meanwhile; what matters is that it holds nothing
    else: the body is read before a session opens."""
    client, keys = api
    stop = threading.Event()
    sent = [0]
    token = keys["sup1"]["Authorization"]
    base = str(client.base_url)
    slow = [
        threading.Thread(target=_slow_upload, args=(base, token, stop, sent), daemon=True)
        for _ in range(20)
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(0.5)
        for n in range(5):
            notice = {"shipment_id": f"FAST{n}", "ship_date": "2026-11-01"}
            answer = client.post(
                "/api/v1/ship-notices", json=notice, headers=keys["sup1"], timeout=5
            )
            assert answer.status_code == 202, answer.text
            assert client.get("/api/v1/purchase-orders", headers=keys["sup1"], timeout=5).is_success
        assert sent[0] > 0
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)


def test_graphql_bombs_are_refused_with_a_reason(api: tuple[httpx.Client, Keys]) -> None:
    client, keys = api
    deep = "{ segments { nodes { " * 40 + "id" + " } }" * 40 + " }"
    aliases = "{ " + " ".join(f"a{n}: segments {{ totalCount }}" for n in range(200)) + " }"
    cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    fan = "fragment F on Segment { id " + "...F " * 200 + "} { segments { nodes { ...F } } }"
    for query in (deep, aliases, cycle, fan):
        answer = client.post("/graphql", json={"query": query}, headers=keys["planner"])
        _clean(answer)
        errors = answer.json().get("errors")
        assert errors and errors[0]["message"], answer.text[:300]
        assert not answer.json().get("data"), answer.text[:300]


def _strings(value: Any, payload: str) -> Any:
    """The same document with every string value replaced by the payload."""
    if isinstance(value, dict):
        return {k: v if k in ("type", "uom") else _strings(v, payload) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, payload) for v in value]
    return payload if isinstance(value, str) and not value[:1].isdigit() else value


NOTICE = {
    "type": "ship_notice",
    "shipment_id": "S1",
    "ship_date": "2026-11-01",
    "carrier": "UPS",
    "references": {"bol": "B1"},
    "lines": [{"po_number": "PO-A", "buyer_item": "I-FAST", "quantity": 1, "uom": "EA"}],
}


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_in_every_string_field_is_data(
    api: tuple[httpx.Client, Keys], payload: str
) -> None:
    client, keys = api
    document = _strings(NOTICE, payload)
    answer = client.post("/api/v1/documents", json=document, headers=keys["sup1"])
    _clean(answer, payload)
    assert answer.status_code in (202, 422), answer.text
    assert "X-Injected" not in answer.headers
    message = client.get(f"/api/v1/messages/{answer.json()['message_id']}", headers=keys["sup1"])
    _clean(message, payload)
    assert message.status_code == 200
    for path in (
        "/api/v1/purchase-orders/" + quote(payload, safe=""),
        "/api/v1/planning-schedules/" + quote(payload, safe=""),
        "/api/v1/messages/" + quote(payload, safe=""),
    ):
        read = client.get(path, headers=keys["sup1"])
        _clean(read, payload)
        assert read.status_code in (400, 404, 422), (path, read.status_code)
        assert "X-Injected" not in read.headers
    for params in (
        {"status": payload},
        {"cursor": payload},
        {"date_from": payload},
        {"limit": payload},
    ):
        read = client.get("/api/v1/purchase-orders", params=params, headers=keys["sup1"])
        _clean(read, payload)
        assert read.status_code in (200, 400, 422), (params, read.status_code)
    for params in ({"rule": payload}, {"state": payload}, {"severity": payload}):
        read = client.get("/api/v1/findings", params=params, headers=keys["planner"])
        _clean(read, payload)
    # still there, and still only SUP001's
    orders = client.get("/api/v1/purchase-orders", headers=keys["sup1"]).json()
    assert {o["po_number"] for o in orders["items"]} == {"PO-A"}


def test_header_injection_is_refused_or_kept_inert(api: tuple[httpx.Client, Keys]) -> None:
    client, keys = api
    parts = urlsplit(str(client.base_url))
    body = json.dumps(NOTICE).encode()
    token = keys["sup1"]["Authorization"]
    for header in (
        "Idempotency-Key: a\rX-Injected: 1",
        "Idempotency-Key: a\nX-Injected: 1",
        "X-Request-Id: r\r\nSet-Cookie: x=1",
    ):
        request = (
            f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{header}\r\n"
            "Connection: close\r\n\r\n"
        ).encode() + body
        with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as s:
            s.sendall(request)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        head = answer.split(b"\r\n\r\n", 1)[0].lower()
        assert not head.startswith(b"http/1.1 5"), answer[:200]
        assert b"\r\nset-cookie" not in head and b"\r\nx-injected" not in head, head
    echoed = client.post(
        "/api/v1/documents",
        json=NOTICE,
        headers={**keys["sup1"], "X-Request-Id": "r%0d%0aSet-Cookie:%20x=1"},
    )
    assert "set-cookie" not in echoed.headers


def test_the_drop_folder_writes_and_reads_nothing_outside_it(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """Names that look like paths, and symbolic links at every level, are never followed."""
    root, outside = tmp_path / "drop", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("report_id,as_of\nSECRET,2026-01-01\n")
    sup = root / "SUP001"
    sup.mkdir(parents=True)
    (sup / "..\\..\\evil.csv").write_text("a,b\n1,2\n")  # a backslash is no separator here
    (sup / "dots..csv").write_text("a,b\n1,2\n")
    (sup / "inventory_position").symlink_to(outside)  # a document-type folder out of DIR
    (root / "SUP002").symlink_to(outside)  # a partner folder out of DIR
    (sup / "abs.csv").symlink_to(outside / "secret.csv")
    (sup / "done").symlink_to(outside)  # where reports would go
    before = sorted(p.name for p in outside.iterdir())
    result = gateway("watch", str(root), "--once", "--settle", "0", env=environment(database_url))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert sorted(p.name for p in outside.iterdir()) == before
    assert not list(tmp_path.glob("evil.csv")) and not list(root.glob("evil.csv"))
    with sessions() as session:
        bodies = session.scalars(select(InboxRow.body)).all()
    assert not any(b"SECRET" in body for body in bodies)
