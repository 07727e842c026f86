"""The POST carries the delivery id; transport errors come back as results (mock transport)."""

from __future__ import annotations

import httpx

import sync
from sync import AttemptResult, Verdict, post_delivery


def test_every_attempt_carries_the_delivery_id() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503 if len(seen) == 1 else 200)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        results = [
            post_delivery(
                client,
                "http://p/in",
                b"x",
                content_type="text/plain",
                delivery_id="d1",
                timeout_s=1,
            )
            for _ in range(2)
        ]
    assert [r.verdict for r in results] == [Verdict.TRANSIENT, Verdict.DELIVERED]
    assert {(r.headers["x-delivery-id"], r.headers["idempotency-key"]) for r in seen} == {
        ("d1", "d1")
    }


def test_a_connection_error_is_a_transient_result() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = post_delivery(
            client, "http://p/in", b"x", content_type="text/plain", delivery_id="d", timeout_s=1
        )
    assert result == AttemptResult(None, "ConnectError: refused", result.duration_ms)
    assert result.verdict is Verdict.TRANSIENT


def test_public_surface() -> None:
    assert sorted(sync.__all__) == sorted(
        name
        for name in dir(sync)
        if not name.startswith("_")
        and name.isidentifier()
        and name
        not in {
            "acks",
            "backoff",
            "breaker",
            "delivery",
            "failover",
            "folder",
            "pull",
            "pull_config",
            "pull_fetch",
            "transport",
        }
    )
