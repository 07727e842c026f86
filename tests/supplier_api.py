"""A supplier's own REST API on loopback, for the pull connectors; it misbehaves on purpose.

``GET /{feed}?cursor=N`` serves page N of ``api.feeds[feed]`` (a list of pages, each a list of
items) as ``{"items": [...], "next_cursor": "N+1" | null}`` with an ``ETag``; a matching
``If-None-Match`` gets 304. ``GET /{feed}/linked`` pages by ``next`` links instead. What a
feed does is set in ``api.modes[feed]``: a list of behaviours used one request at a time,
then ``ok`` for good: ``500``, ``429:S`` (Retry-After S seconds), ``slow`` (sleeps
``slow_s``), ``malformed`` (a JSON body cut in half), ``ok``. A feed named in
``api.last_modified`` sends that ``Last-Modified`` instead of an ETag and answers a matching
``If-Modified-Since`` with 304.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections import Counter, defaultdict
from typing import Any

from fastapi import FastAPI, Request, Response


class SupplierApi:
    def __init__(self, slow_s: float = 2.0) -> None:
        self.feeds: dict[str, list[list[dict[str, Any]]]] = {}
        self.modes: dict[str, list[str]] = defaultdict(list)
        self.slow_s = slow_s
        self.last_modified: dict[str, str] = {}  # feeds that send Last-Modified instead of ETag
        self.next_host: dict[str, str] = {}  # feeds whose next links point at another host
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, str | None, dict[str, str]]] = []  # feed, cursor, headers
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.most_in_flight_all = 0  # across feeds: one partner polled by one worker at a time
        self._lock = threading.Lock()
        self.app = FastAPI()
        self.app.get("/{feed}/linked")(self._linked)
        self.app.get("/{feed}")(self._page)

    async def _page(self, feed: str, request: Request, cursor: str | None = None) -> Response:
        return await self._serve(feed, request, cursor, linked=False)

    async def _linked(self, feed: str, request: Request, page: str | None = None) -> Response:
        return await self._serve(feed, request, page, linked=True)

    async def _serve(
        self, feed: str, request: Request, cursor: str | None, *, linked: bool
    ) -> Response:
        with self._lock:
            self.hits[feed] += 1
            self.requests.append((feed, cursor, dict(request.headers)))
            mode = self.modes[feed].pop(0) if self.modes[feed] else "ok"
            self.in_flight[feed] += 1
            self.most_in_flight[feed] = max(self.most_in_flight[feed], self.in_flight[feed])
            self.most_in_flight_all = max(self.most_in_flight_all, sum(self.in_flight.values()))
        try:
            if mode == "slow":
                await asyncio.sleep(self.slow_s)
            elif mode == "500":
                return Response("the supplier is down on purpose", status_code=500)
            elif mode.startswith("429:"):
                headers = {"Retry-After": mode.split(":")[1]}
                return Response("slow down", status_code=429, headers=headers)
            return self._answer(feed, request, cursor, linked, malformed=mode == "malformed")
        finally:
            with self._lock:
                self.in_flight[feed] -= 1

    def _answer(
        self, feed: str, request: Request, cursor: str | None, linked: bool, *, malformed: bool
    ) -> Response:
        pages = self.feeds.get(feed, [[]])
        index = int(cursor or 0)
        following = str(index + 1) if index + 1 < len(pages) else None
        body: dict[str, Any] = {"items": pages[index] if index < len(pages) else []}
        if linked:
            host = self.next_host.get(feed, "")
            body["next"] = f"{host}/{feed}/linked?page={following}" if following else None
        else:
            body["next_cursor"] = following
        raw = json.dumps(body).encode()
        if malformed:
            raw = raw[: len(raw) // 2]
        if feed in self.last_modified:
            stamp = self.last_modified[feed]
            if request.headers.get("if-modified-since") == stamp:
                return Response(status_code=304)
            return Response(raw, media_type="application/json", headers={"Last-Modified": stamp})
        etag = f'"{hashlib.sha256(raw).hexdigest()[:16]}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(raw, media_type="application/json", headers={"ETag": etag})


def inventory(report_id: str, supplier: str = "SUP1", quantity: int = 10) -> dict[str, Any]:
    """One inventory position as a supplier's API would list it (no ``type``)."""
    return {
        "supplier_id": supplier,
        "report_id": report_id,
        "as_of": "2026-11-20",
        "location_id": "DC1",
        "lines": [{"buyer_item": "ITM1", "quantity_on_hand": quantity, "uom": "EA"}],
    }
