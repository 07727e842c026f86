"""A partner that fails on purpose: a FastAPI sink on loopback, one behaviour per endpoint name.

``POST /{name}`` answers by ``sink.modes[name]``: ``ok``, ``500``, ``503``, ``429``, ``400``,
``slow`` (answers 200 after ``slow_s``), or ``flaky:N`` (500 for the first N requests to that
name, then 200). Like a real partner it drops duplicates by delivery id: ``accepted`` maps each
delivery id to the endpoints that accepted it, ``hits`` counts every request.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter, defaultdict

from fastapi import FastAPI, Request, Response

from sync import DELIVERY_ID_HEADER, IDEMPOTENCY_HEADER


class Sink:
    def __init__(self, slow_s: float = 1.0) -> None:
        self.modes: dict[str, str] = defaultdict(lambda: "ok")
        self.slow_s = slow_s
        self.accepted: dict[str, list[str]] = defaultdict(list)
        self.hits: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()  # per delivery id
        self.bodies: dict[str, bytes] = {}
        self.bad_headers = 0
        self._lock = threading.Lock()
        self.app = FastAPI()
        self.app.post("/{name}")(self._receive)

    async def _receive(self, name: str, request: Request) -> Response:
        delivery_id = request.headers.get(DELIVERY_ID_HEADER, "")
        body = await request.body()
        with self._lock:
            self.hits[name] += 1
            self.requests[delivery_id] += 1
            if request.headers.get(IDEMPOTENCY_HEADER) != delivery_id or not delivery_id:
                self.bad_headers += 1
            mode = self.modes[name]
            if mode.startswith("flaky:"):
                left = int(mode.split(":")[1])
                if left > 0:
                    self.modes[name] = f"flaky:{left - 1}"
                    return Response("flaky", status_code=500)
                mode = "ok"
        if mode == "slow":
            await asyncio.sleep(self.slow_s)
            mode = "ok"
        if mode != "ok":
            return Response(f"refused on purpose ({mode})", status_code=int(mode))
        with self._lock:
            if name not in self.accepted[delivery_id]:
                self.accepted[delivery_id].append(name)
            self.bodies[delivery_id] = body
        return Response(status_code=200)
