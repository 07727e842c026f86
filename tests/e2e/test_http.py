"""The app over real HTTP: uvicorn on loopback, httpx as the client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from gateway.app import create_app
from gateway.settings import Settings
from tests.support import bearer, engine_for_tests, free_port, issue_key, serve

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "canonical"
PROBLEM = "application/problem+json"


@pytest.fixture
def admin(database_url: str) -> dict[str, str]:
    """Headers of an admin key: it may send any document."""
    return bearer(
        issue_key(
            database_url, "admin:tests", "admin", grants=[["g", "admin:tests", "role:admin", "*"]]
        )
    )


@pytest.fixture
def base_url(database_url: str, engine: Engine) -> Iterator[str]:
    settings = Settings(database_url=database_url, max_body_bytes=64 * 1024)
    with serve(create_app(settings, engine=engine)) as url:
        yield url


def test_health_and_readiness(base_url: str) -> None:
    assert httpx.get(f"{base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{base_url}/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["migrations"]["current"] == body["migrations"]["head"]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/for/sure/gateway.db",
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2",
    ],
    ids=["sqlite-missing-folder", "postgresql-nobody-listening"],
)
def test_readyz_is_red_when_the_database_is_unreachable(url: str) -> None:
    with serve(create_app(Settings(database_url=url))) as base:
        assert httpx.get(f"{base}/healthz").status_code == 200  # the process is up...
        ready = httpx.get(f"{base}/readyz", timeout=15)
    assert ready.status_code == 503  # ...but not ready
    assert ready.headers["content-type"] == PROBLEM
    assert ready.json()["database"] == "down"
    assert "unreachable" in ready.json()["detail"]


def test_readyz_is_red_while_migrations_are_pending(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not-migrated.db'}"
    engine = engine_for_tests(url)
    with serve(create_app(Settings(database_url=url), engine=engine)) as base:
        ready = httpx.get(f"{base}/readyz")
    engine.dispose()
    assert ready.status_code == 503
    assert "gateway db upgrade" in ready.json()["detail"]


def test_a_document_is_stored_then_processed(base_url: str, admin: dict[str, str]) -> None:
    body = (EXAMPLES / "ship_notice.json").read_bytes()
    answer = httpx.post(
        f"{base_url}/api/v1/documents",
        content=body,
        headers={**admin, "Content-Type": "application/json"},
    )
    assert answer.status_code == 202
    message_id = answer.json()["message_id"]
    status = httpx.get(f"{base_url}/api/v1/messages/{message_id}", headers=admin).json()
    assert status["status"] == "processed" and status["partner_id"] == "admin:tests"
    assert len(status["documents"]["ship_notice"]) == 1
    assert status["size_bytes"] == len(body)


def test_an_invalid_document_is_kept_and_answered_with_the_field(
    base_url: str, admin: dict[str, str]
) -> None:
    data = json.loads((EXAMPLES / "purchase_order.json").read_text())
    data["lines"][2]["quantity"] = "lots"
    answer = httpx.post(f"{base_url}/api/v1/documents", json=data, headers=admin)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["errors"][0]["field"] == "purchase_order.lines.2.quantity"
    kept = httpx.get(f"{base_url}/api/v1/messages/{problem['message_id']}", headers=admin).json()
    assert kept["status"] == "failed" and "lines.2.quantity" in kept["error"]


def test_a_database_lock_timeout_is_a_503_and_the_same_message_resumes(
    database_url: str, admin: dict[str, str]
) -> None:
    """A database error that passes is not the message's fault: 503, kept, resumed on re-send."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite locks the whole file: a held lock would refuse the message unstored")
    # The serving engine gives up waiting for a lock after 300 ms, as a production
    # lock_timeout or statement_timeout would; the test holds the purchase-order table.
    served = create_engine(database_url, connect_args={"options": "-c lock_timeout=300"})
    holder = engine_for_tests(database_url)
    body = (EXAMPLES / "purchase_order.json").read_bytes()
    headers = {**admin, "Content-Type": "application/json", "Idempotency-Key": "po-lock-1"}
    try:
        with serve(create_app(Settings(database_url=database_url), engine=served)) as base:
            with holder.begin() as connection:
                connection.execute(text("LOCK TABLE purchase_orders IN ACCESS EXCLUSIVE MODE"))
                first = httpx.post(f"{base}/api/v1/documents", content=body, headers=headers)
            again = httpx.post(f"{base}/api/v1/documents", content=body, headers=headers)
            status = httpx.get(
                f"{base}/api/v1/messages/{again.json()['message_id']}", headers=admin
            )
    finally:
        served.dispose()
        holder.dispose()
    assert first.status_code == 503, first.text
    assert first.headers["content-type"] == PROBLEM and first.headers["retry-after"] == "5"
    assert "send it again to resume" in first.json()["detail"]
    assert again.status_code == 202, again.text
    assert again.json()["message_id"] == first.json()["message_id"]
    assert again.json()["status"] == "processed"
    assert len(status.json()["documents"]["purchase_order"]) == 1


def test_malformed_json_says_where(base_url: str, admin: dict[str, str]) -> None:
    answer = httpx.post(
        f"{base_url}/api/v1/documents",
        content=b'{"type": "receipt",, }',
        headers=admin,
    )
    assert answer.status_code == 422
    assert "column" in answer.json()["detail"]


def test_the_same_idempotency_key_gets_the_first_answer(
    base_url: str, admin: dict[str, str]
) -> None:
    body = (EXAMPLES / "receipt.json").read_bytes()
    headers = {**admin, "Idempotency-Key": "receipt-0001"}
    first = httpx.post(f"{base_url}/api/v1/documents", content=body, headers=headers)
    second = httpx.post(f"{base_url}/api/v1/documents", content=body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert second.json()["message_id"] == first.json()["message_id"]
    assert second.json()["duplicate"] is True
    status = httpx.get(
        f"{base_url}/api/v1/messages/{first.json()['message_id']}", headers=admin
    ).json()
    assert len(status["documents"]["receipt"]) == 1  # counted once


def test_an_oversized_body_is_refused(base_url: str, admin: dict[str, str]) -> None:
    answer = httpx.post(
        f"{base_url}/api/v1/documents",
        content=b"x" * (65 * 1024),
        headers=admin,
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM


def test_a_missing_key_is_401_and_stores_nothing(base_url: str, admin: dict[str, str]) -> None:
    answer = httpx.post(f"{base_url}/api/v1/documents", content=b"{}")
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["code"] == "access.key_missing"


def test_errors_are_problem_details_everywhere(base_url: str, admin: dict[str, str]) -> None:
    missing = httpx.get(f"{base_url}/api/v1/messages/{'0' * 32}", headers=admin)
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    nowhere = httpx.get(f"{base_url}/no/such/page")
    assert nowhere.status_code == 404 and nowhere.json()["title"] == "Not Found"


def test_openapi_docs_are_served(base_url: str) -> None:
    assert httpx.get(f"{base_url}/docs").status_code == 200
    spec = httpx.get(f"{base_url}/openapi.json").json()
    assert {"/healthz", "/readyz", "/api/v1/documents", "/api/v1/me"} <= set(spec["paths"])


def test_a_reused_idempotency_key_with_another_body_is_409(
    base_url: str, admin: dict[str, str]
) -> None:
    body = (EXAMPLES / "receipt.json").read_bytes()
    headers = {**admin, "Idempotency-Key": "receipt-0002"}
    first = httpx.post(f"{base_url}/api/v1/documents", content=body, headers=headers)
    changed = body.replace(b'"receipt_id": "', b'"receipt_id": "X', 1)
    clash = httpx.post(f"{base_url}/api/v1/documents", content=changed, headers=headers)
    assert first.status_code == 202 and clash.status_code == 409
    assert clash.json()["message_id"] == first.json()["message_id"]


@pytest.mark.parametrize(
    ("path", "example"),
    [
        ("/api/v1/ship-notices", "ship_notice"),
        ("/api/v1/receipts", "receipt"),
        ("/api/v1/inventory-positions", "inventory_position"),
        ("/api/v1/forecast-commits", "forecast_commit"),
        ("/api/v1/capacity-commits", "capacity_commit"),
        ("/api/v1/purchase-orders", "purchase_order"),
        ("/api/v1/planning-schedules", "planning_schedule"),
    ],
)
def test_typed_routes_take_their_document_with_or_without_type(
    base_url: str, admin: dict[str, str], path: str, example: str
) -> None:
    data = json.loads((EXAMPLES / f"{example}.json").read_text())
    data.pop("type")
    answer = httpx.post(f"{base_url}{path}", json=data, headers=admin)
    assert answer.status_code == 202, answer.text
    status = httpx.get(
        f"{base_url}/api/v1/messages/{answer.json()['message_id']}", headers=admin
    ).json()
    assert list(status["documents"]) == [example]


def test_a_typed_route_refuses_another_type_naming_the_field(
    base_url: str, admin: dict[str, str]
) -> None:
    data = json.loads((EXAMPLES / "receipt.json").read_text())
    answer = httpx.post(f"{base_url}/api/v1/ship-notices", json=data, headers=admin)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} >= {"type"}


def test_reads_carry_an_etag_and_answer_304_when_unchanged(
    base_url: str, admin: dict[str, str]
) -> None:
    first = httpx.get(f"{base_url}/api/v1/purchase-orders", headers=admin)
    tag = first.headers["etag"]
    again = httpx.get(f"{base_url}/api/v1/purchase-orders", headers={**admin, "If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag
    httpx.post(
        f"{base_url}/api/v1/purchase-orders",
        headers=admin,
        content=(EXAMPLES / "purchase_order.json").read_bytes(),
    )
    changed = httpx.get(
        f"{base_url}/api/v1/purchase-orders", headers={**admin, "If-None-Match": tag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_openapi_names_the_canonical_body_of_each_write(base_url: str) -> None:
    spec = httpx.get(f"{base_url}/openapi.json").json()
    body = spec["paths"]["/api/v1/ship-notices"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ShipNotice"
    }
    assert "ShipNoticeLine" in spec["components"]["schemas"]
