"""Hypothesis-made bodies against POST /api/v1/documents over real HTTP: every answer is a 202,
a 4xx problem, never a 500. Bodies start from a valid document and break it (wrong types,
unknown keys, huge numbers, odd strings), so most get past JSON parsing into validation,
authorization and the store, where the surprises live."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.supplier_world import issue_keys, populate
from tests.support import serve

BASE: dict[str, Any] = {
    "type": "ship_notice",
    "shipment_id": "S1",
    "ship_date": "2026-11-01",
    "lines": [{"po_number": "PO-A", "buyer_item": "I-FAST", "quantity": 1, "uom": "EA"}],
}
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(
        ["1E999999", "NaN", "-0", "2026-02-30", "\u0000", "x" * 5000, "PO-B", "SUP002"]
    )
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
TYPES = st.sampled_from(
    [
        "ship_notice",
        "purchase_order",
        "inventory_position",
        "receipt",
        "forecast_commit",
        "capacity_commit",
        "planning_schedule",
        "po_acknowledgment",
        "nonsense",
    ]
)
KEYS = st.sampled_from(
    ["shipment_id", "ship_date", "supplier_id", "lines", "references", "provenance", "carrier"]
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    document: dict[str, Any] = json.loads(json.dumps(BASE))
    document["type"] = draw(TYPES)
    for _ in range(draw(st.integers(0, 4))):
        document[draw(KEYS | st.text(max_size=8))] = draw(VALUES)
    if draw(st.booleans()) and isinstance(document.get("lines"), list) and document["lines"]:
        line = document["lines"][0]
        if isinstance(line, dict):
            line[draw(st.sampled_from(["quantity", "uom", "po_number", "line_number"]))] = draw(
                VALUES
            )
    return json.dumps(document).encode()


def test_generated_documents_never_get_a_500(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    populate(sessions)
    keys = issue_keys(database_url)
    with (
        serve(create_app(Settings(database_url=database_url), engine=engine)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):

        @settings(
            max_examples=60,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(body=bodies(), who=st.sampled_from(["sup1", "planner", "admin"]))
        def post(body: bytes, who: str) -> None:
            headers = {**keys[who], "Content-Type": "application/json"}
            answer = client.post("/api/v1/documents", content=body, headers=headers)
            assert answer.status_code < 500, (body[:500], answer.text)
            assert answer.status_code in (202, 400, 403, 409, 413, 422), answer.text
            if answer.status_code != 202:
                assert answer.headers["content-type"] == "application/problem+json"

        post()
