"""Pull connectors' pure rules: configuration, requests, pages, documents, resume, retry."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from gateway.model import InventoryPosition
from sync import (
    Fetched,
    InvalidItem,
    MalformedPage,
    Pagination,
    PollerConfig,
    PullState,
    RetryPolicy,
    SecretMissing,
    advance,
    auth_headers,
    fetch_page,
    is_transient,
    item_key,
    next_position,
    page_request,
    read_page,
    retry_after_s,
    to_documents,
)

NOW = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)


def config(**overrides: object) -> PollerConfig:
    values: dict[str, object] = {
        "partner_id": "SUP1",
        "name": "inventory",
        "base_url": "https://api.sup1.example/v2/",
        "path": "/stock",
        "document_type": "inventory_position",
    }
    return PollerConfig.model_validate(values | overrides)


def item(report_id: str = "R1", **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "report_id": report_id,
        "as_of": "2026-11-20",
        "location_id": "DC1",
        "lines": [{"buyer_item": "ITM1", "quantity_on_hand": 5, "uom": "EA"}],
    }
    return values | overrides


def test_configuration_is_validated_and_holds_no_secret() -> None:
    assert config().url == "https://api.sup1.example/v2/stock"
    with pytest.raises(ValidationError, match="never the secret itself"):
        config(auth_secret="Bearer abc123")
    with pytest.raises(ValidationError, match="document_type"):
        config(document_type="purchase_order")
    with pytest.raises(ValidationError, match="base_url"):
        config(base_url="ftp://x")
    with pytest.raises(ValidationError, match="max_pages"):
        config(max_pages=0)


def test_the_secret_is_read_from_the_environment_when_used() -> None:
    with_secret = config(auth_secret="env:SUP1_TOKEN")
    assert auth_headers(with_secret, {"SUP1_TOKEN": "t0k"}) == {"Authorization": "Bearer t0k"}
    plain = config(auth_secret="env:K", auth_header="X-Api-Key", auth_scheme=None)
    assert auth_headers(plain, {"K": "v"}) == {"X-Api-Key": "v"}
    with pytest.raises(SecretMissing, match="SUP1_TOKEN"):
        auth_headers(with_secret, {})
    assert auth_headers(config(), {}) == {}


def test_requests_carry_the_cursor_and_the_validators_of_that_position() -> None:
    first = page_request(config(), PullState())
    assert first.url == "https://api.sup1.example/v2/stock" and first.params == {}
    assert "If-None-Match" not in first.headers
    resumed = page_request(config(), PullState("c7", '"e1"', "Sat, 21 Nov 2026 10:00:00 GMT"))
    assert resumed.params == {"cursor": "c7"}
    assert resumed.headers["If-None-Match"] == '"e1"'
    assert resumed.headers["If-Modified-Since"].startswith("Sat")
    unconditional = page_request(config(conditional=False), PullState("c7", '"e1"'))
    assert "If-None-Match" not in unconditional.headers
    linked = page_request(config(pagination=Pagination.NEXT_LINK), PullState("/v2/stock?p=2"))
    assert linked.url == "https://api.sup1.example/v2/stock?p=2" and linked.params == {}


def test_a_page_gives_items_and_the_next_position() -> None:
    body = json.dumps({"items": [item()], "next_cursor": "c2"}).encode()
    page = read_page(body, config())
    assert len(page.items) == 1 and next_position(page, config()) == "c2"
    nested = config(items_field="data.rows", cursor_field="meta.next")
    body = json.dumps({"data": {"rows": []}, "meta": {"next": None}}).encode()
    assert next_position(read_page(body, nested), nested) is None
    linked = config(pagination=Pagination.NEXT_LINK)
    page = read_page(b'{"items": []}', linked)
    link = '<https://api.sup1.example/v2/stock?p=3>; rel="next", <...>; rel="prev"'
    assert next_position(page, linked, link) == "https://api.sup1.example/v2/stock?p=3"
    with pytest.raises(MalformedPage, match=r"leaves https://api\.sup1\.example"):
        next_position(page, linked, '<http://169.254.169.254/latest>; rel="next"')
    elsewhere = read_page(b'{"items": [], "next": "https://evil.example/x"}', linked)
    with pytest.raises(MalformedPage, match=r"next link https://evil\.example/x"):
        next_position(elsewhere, linked)
    bare = config(items_field="", pagination=Pagination.NONE)
    assert len(read_page(json.dumps([item(), item("R2")]).encode(), bare).items) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"items": [', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"items": {}}', "items is not a list of documents"),
        (b'{"rows": []}', "got nothing"),
        (b'{"items": [3]}', r"items\[0\] is not an object"),
    ],
)
def test_a_malformed_page_says_what_is_wrong(body: bytes, message: str) -> None:
    with pytest.raises(MalformedPage, match=message) as raised:
        read_page(body, config())
    assert raised.value.code == "pull.malformed_page"


def test_items_become_the_pollers_documents_for_its_partner() -> None:
    page = read_page(json.dumps({"items": [item(), item("R2")]}).encode(), config())
    documents = to_documents(page, config())
    assert [type(d) for d in documents] == [InventoryPosition, InventoryPosition]
    assert all(getattr(d, "supplier_id") == "SUP1" for d in documents)  # noqa: B009


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (item(supplier_id="SUP2"), r"items\[1\].supplier_id: SUP2 is not partner SUP1"),
        (item(type="ship_notice"), r"items\[1\].type: ship_notice is not inventory_position"),
        (item(as_of="soon"), r"items\[1\].as_of: "),
        (item(lines=[{"buyer_item": "I", "uom": "EA"}]), r"items\[1\].lines.0.quantity_on_hand"),
    ],
)
def test_one_bad_item_rejects_the_page_and_names_it(bad: dict[str, object], message: str) -> None:
    page = read_page(json.dumps({"items": [item(), bad]}).encode(), config())
    with pytest.raises(InvalidItem, match=message):
        to_documents(page, config())


def test_an_items_key_ignores_key_order_and_spacing() -> None:
    reordered = json.loads(json.dumps(dict(reversed(list(item().items())))))
    assert item_key(item()) == item_key(reordered)
    assert item_key(item()) != item_key(item(as_of="2026-11-21"))


def test_the_position_moves_to_the_next_page_or_stays_on_the_last() -> None:
    at = PullState("c1")
    assert advance(config(), at, "c2", etag='"x"', last_modified=None) == PullState("c2")
    # the last page: ask for it again next time, conditionally
    assert advance(config(), at, None, etag='"x"', last_modified="L") == PullState("c1", '"x"', "L")
    single = config(pagination=Pagination.NONE)
    assert advance(single, PullState(), "ignored", etag='"y"', last_modified=None) == PullState(
        None, '"y"'
    )


def test_what_to_retry_and_how_long_a_server_asks_to_wait() -> None:
    assert [is_transient(s) for s in (None, 500, 503, 429, 408)] == [True] * 5
    assert [is_transient(s) for s in (200, 304, 400, 401, 404)] == [False] * 5
    assert retry_after_s("120", NOW) == 120.0
    assert retry_after_s("Sun, 22 Nov 2026 06:00:30 GMT", NOW) == 30.0
    assert retry_after_s("Sun, 22 Nov 2026 05:00:00 GMT", NOW) == 0.0
    assert retry_after_s("soon", NOW) is None and retry_after_s(None, NOW) is None
    assert retry_after_s("\u00b2", NOW) is None  # a digit to str.isdigit, not to float()


def _fetch(
    handler: httpx.MockTransport, attempts: int = 3, longest: float = 60.0, max_bytes: int = 1000
) -> tuple[Fetched, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Fetched:
        async with httpx.AsyncClient(transport=handler) as client:
            return await fetch_page(
                client,
                page_request(config(), PullState()),
                timeout_s=1.0,
                max_attempts=attempts,
                policy=RetryPolicy(0.5, 4.0, 0.0),
                longest_wait_s=longest,
                max_bytes=max_bytes,
                sleep=sleep,
            )

    return asyncio.run(go()), waits


def test_fetch_retries_transient_failures_with_backoff_and_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(500, text="down"),
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(200, json={"items": []}, headers={"ETag": '"e"'}),
        ]
    )
    fetched, waits = _fetch(httpx.MockTransport(lambda request: next(answers)))
    assert fetched.ok and fetched.etag == '"e"'
    assert [a.status_code for a in fetched.attempts] == [500, 429, 200]
    assert waits == [0.5, 3.0]  # backoff, then the longer Retry-After


def test_fetch_gives_up_and_says_why() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fetched, _ = _fetch(httpx.MockTransport(refuse), attempts=2)
    assert not fetched.ok and len(fetched.attempts) == 2
    assert fetched.error == "ConnectError: refused"
    not_found, _ = _fetch(httpx.MockTransport(lambda r: httpx.Response(404, text="no such feed")))
    assert len(not_found.attempts) == 1  # a 4xx is not retried
    assert not_found.error == "HTTP 404: no such feed"
    too_long = httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "600"}))
    fetched, _ = _fetch(too_long, longest=60.0)
    assert len(fetched.attempts) == 1 and fetched.retry_after_s == 600.0


def test_a_304_is_not_a_failure() -> None:
    fetched, _ = _fetch(httpx.MockTransport(lambda r: httpx.Response(304)))
    assert fetched.not_modified and fetched.error is None


def test_a_page_too_large_is_not_read_nor_retried() -> None:
    big = httpx.MockTransport(lambda r: httpx.Response(200, content=b"x" * 5000))
    fetched, _ = _fetch(big, max_bytes=1000)
    assert not fetched.ok and fetched.body == b"" and len(fetched.attempts) == 1
    assert fetched.error == "the page is 5000 bytes, more than the 1000-byte limit"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 300

    streamed = httpx.MockTransport(lambda r: httpx.Response(200, content=chunks()))
    fetched, _ = _fetch(streamed, max_bytes=1000)  # no Content-Length: counted while read
    assert fetched.error == "the page exceeds the 1000-byte limit"
