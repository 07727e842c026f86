"""Inputs the property-based run and probes found to break the API (500s on PostgreSQL, SQL in
answers, a schema that lied); each now has a 4xx that names the field, on every backend."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.supplier_world import PROBLEM, issue_keys, populate
from tests.support import serve

NOTICE = {"shipment_id": "S1", "ship_date": "2026-11-01"}


@pytest.fixture
def api(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[httpx.Client, dict[str, dict[str, str]]]]:
    populate(sessions)
    keys = issue_keys(database_url)
    with (
        serve(create_app(Settings(database_url=database_url), engine=engine)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client, keys


def _field(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert "SELECT" not in answer.text and "INSERT" not in answer.text
    return str(answer.json()["errors"][0]["field"])


def test_nul_and_oversized_parameters_are_422_naming_them(
    api: tuple[httpx.Client, dict[str, dict[str, str]]],
) -> None:
    client, keys = api
    sup1 = keys["sup1"]
    assert _field(client.get("/api/v1/purchase-orders/A%00B", headers=sup1)) == "path"
    assert _field(client.get("/api/v1/findings", params={"rule": "a\x00"}, headers=sup1)) == (
        "query.rule"
    )
    assert _field(client.get("/api/v1/findings", params={"cursor": 2**63}, headers=sup1)) == (
        "query.cursor"
    )
    long_path = client.get("/api/v1/purchase-orders/" + "P" * 500, headers=sup1)
    assert long_path.status_code == 404  # the denial is audited, cut to its column


def test_document_values_the_database_cannot_hold_name_the_field(
    api: tuple[httpx.Client, dict[str, dict[str, str]]],
) -> None:
    client, keys = api
    post = lambda body: client.post("/api/v1/ship-notices", json=body, headers=keys["sup1"])  # noqa: E731
    assert _field(post({**NOTICE, "shipment_id": "S\x00"})) == "shipment_id"
    upc = {**NOTICE, "lines": [{"quantity": 1, "uom": "EA", "upc": "9" * 25}]}
    assert _field(post(upc)) == "lines.0.upc"
    ack = {"po_number": "PO\x00", "status": "accepted", "acknowledgment_date": "2026-11-01"}
    answer = client.post("/api/v1/po-acknowledgments", json=ack, headers=keys["sup1"])
    assert _field(answer) == "po_number"


def test_long_idempotency_keys_and_content_types_are_stored(
    api: tuple[httpx.Client, dict[str, dict[str, str]]],
) -> None:
    client, keys = api
    headers = {**keys["sup1"], "Idempotency-Key": "i" * 200}
    first = client.post("/api/v1/ship-notices", json=NOTICE, headers=headers)
    again = client.post("/api/v1/ship-notices", json=NOTICE, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json()["duplicate"] is True
    odd = {**keys["sup1"], "Content-Type": "application/json; x=" + "y" * 300}
    assert client.post("/api/v1/ship-notices", json=NOTICE | {"shipment_id": "S2"},
                       headers=odd).status_code == 202  # fmt: skip


def test_the_openapi_document_describes_errors_as_problems(
    api: tuple[httpx.Client, dict[str, dict[str, str]]],
) -> None:
    client, _ = api
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    invalid = spec["paths"]["/api/v1/purchase-orders"]["get"]["responses"]["422"]
    assert list(invalid["content"]) == [PROBLEM]
    metrics = spec["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert "text/plain" in metrics
    ack = spec["components"]["schemas"]["PurchaseOrderAcknowledgment"]
    assert ack["examples"][0]["status"] == "accepted_with_changes"
