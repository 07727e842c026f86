"""A minimal partner for the delivery benchmarks: a raw ASGI app that counts delivery ids.

POST anything: 200, the X-Delivery-Id remembered. GET /stats: requests and distinct ids.
GET /ids: each delivery id seen with its number of requests (duplicates have more than one).
Run: uvicorn bench.sync_sink:app --port 8765
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

requests = 0
seen: Counter[str] = Counter()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global requests
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    if scope["method"] == "GET" and scope["path"] == "/ids":
        body = json.dumps(dict(seen)).encode()
    elif scope["method"] == "GET":
        body = json.dumps({"requests": requests, "distinct": len(seen)}).encode()
    else:
        requests += 1
        seen.update(v.decode() for k, v in scope["headers"] if k == b"x-delivery-id")
        body = b""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})
