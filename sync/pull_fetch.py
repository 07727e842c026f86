"""GET one page with httpx.AsyncClient: timeouts, retries with backoff (tenacity), Retry-After.

Transport errors and error statuses become results, not raises, so the caller can record
every attempt (for the endpoint's breaker and the poller's health) and decide what to store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_result, stop_after_attempt

from sync.backoff import RetryPolicy
from sync.delivery import AttemptResult
from sync.pull import PageRequest, is_transient, retry_after_s

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Fetched:
    """What the last attempt got: an answer (any status) or only an error."""

    attempts: tuple[AttemptResult, ...]
    status_code: int | None = None
    body: bytes = b""
    content_type: str = "application/json"
    etag: str | None = None
    last_modified: str | None = None
    link: str | None = None
    retry_after_s: float | None = None  # what a 429/503 asked for, when it was more than we wait
    refused: str | None = None  # an answer we would not read (too large)

    @property
    def ok(self) -> bool:
        answered = self.status_code is not None and 200 <= self.status_code < 300
        return answered and self.refused is None

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304

    @property
    def error(self) -> str | None:
        if self.ok or self.not_modified:
            return None
        if self.refused:
            return self.refused
        return self.attempts[-1].describe() if self.attempts else "no attempt made"


@dataclass(frozen=True)
class _Try:
    result: AttemptResult
    response: httpx.Response | None = None
    retry_after: float | None = None
    body: bytes = b""
    refused: str | None = None


async def fetch_page(
    client: httpx.AsyncClient,
    request: PageRequest,
    *,
    timeout_s: float,
    max_attempts: int,
    policy: RetryPolicy,
    longest_wait_s: float = 60.0,
    max_bytes: int = 10 * 1024 * 1024,
    sleep: Sleep | None = None,
) -> Fetched:
    """GET ``request``, retrying transient failures up to ``max_attempts`` times in all.

    Waits follow ``policy`` (exponential with jitter), or a longer ``Retry-After`` when the
    server sends one, up to ``longest_wait_s``; a server that asks for more ends the run and
    its wish is returned, so the poller is next due no sooner than it asked. A body larger
    than ``max_bytes`` is not read on (nor retried): a broken or hostile API cannot fill
    the worker's memory.
    """
    attempts: list[AttemptResult] = []

    async def once() -> _Try:
        tried = await _get(client, request, timeout_s, max_bytes)
        attempts.append(tried.result)
        return tried

    def again(tried: _Try) -> bool:
        if tried.refused:
            return False
        waits_too_long = tried.retry_after is not None and tried.retry_after > longest_wait_s
        return is_transient(tried.result.status_code) and not waits_too_long

    def wait(state: RetryCallState) -> float:
        backoff = policy.delay_s(state.attempt_number)
        tried: _Try | None = state.outcome.result() if state.outcome else None
        asked = tried.retry_after if tried and tried.retry_after is not None else 0.0
        return max(backoff, asked)

    retrying = AsyncRetrying(
        stop=stop_after_attempt(max_attempts),
        wait=wait,
        retry=retry_if_result(again),
        retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        sleep=sleep or asyncio.sleep,
    )
    last: _Try = await retrying(once)
    return _fetched(tuple(attempts), last)


async def _get(
    client: httpx.AsyncClient, request: PageRequest, timeout_s: float, max_bytes: int
) -> _Try:
    started = time.perf_counter()
    # httpx replaces a URL's query with ``params`` (even empty ones): a next link keeps its own
    params = request.params or None
    outgoing = client.build_request(
        "GET", request.url, params=params, headers=request.headers, timeout=timeout_s
    )
    try:
        response = await client.send(outgoing, stream=True)
        try:
            body, refused = await _read(response, max_bytes)
        finally:
            await response.aclose()
    except httpx.TimeoutException as error:
        text = f"timeout after {timeout_s}s ({type(error).__name__})"
        return _Try(AttemptResult(None, text, _ms(started)))
    except httpx.HTTPError as error:
        text = f"{type(error).__name__}: {error}"
        return _Try(AttemptResult(None, text, _ms(started)))
    good = response.is_success or response.status_code == 304
    detail = None if good else body[:200].decode("utf-8", errors="replace") or None
    asked = retry_after_s(response.headers.get("retry-after"), dt.datetime.now(dt.UTC))
    result = AttemptResult(response.status_code, detail, _ms(started))
    return _Try(result, response, asked, body, refused)


async def _read(response: httpx.Response, max_bytes: int) -> tuple[bytes, str | None]:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        return b"", f"the page is {declared} bytes, more than the {max_bytes}-byte limit"
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            return b"", f"the page exceeds the {max_bytes}-byte limit"
    return bytes(body), None


def _fetched(attempts: tuple[AttemptResult, ...], last: _Try) -> Fetched:
    response = last.response
    if response is None:
        return Fetched(attempts)
    headers = response.headers
    return Fetched(
        attempts,
        status_code=response.status_code,
        body=last.body,
        content_type=headers.get("content-type", "application/json")[:100],
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        link=headers.get("link"),
        retry_after_s=last.retry_after,
        refused=last.refused,
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
