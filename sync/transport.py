"""HTTP POST of one delivery with its stable id; transport errors become results, not raises."""

from __future__ import annotations

import time

import httpx

from sync.delivery import AttemptResult

DELIVERY_ID_HEADER = "X-Delivery-Id"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def post_delivery(
    client: httpx.Client,
    url: str,
    body: bytes,
    *,
    content_type: str,
    delivery_id: str,
    timeout_s: float,
) -> AttemptResult:
    """POST ``body`` to ``url``; the same delivery id on every attempt lets partners dedupe."""
    headers = {
        "Content-Type": content_type,
        DELIVERY_ID_HEADER: delivery_id,
        IDEMPOTENCY_HEADER: delivery_id,
    }
    started = time.perf_counter()
    try:
        response = client.post(url, content=body, headers=headers, timeout=timeout_s)
    except httpx.TimeoutException as error:
        return AttemptResult(
            None, f"timeout after {timeout_s}s ({type(error).__name__})", _ms(started)
        )
    except httpx.HTTPError as error:
        return AttemptResult(None, f"{type(error).__name__}: {error}", _ms(started))
    detail = None if response.is_success else response.text[:200] or None
    return AttemptResult(response.status_code, detail, _ms(started))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
