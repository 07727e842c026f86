"""POST /api/v1/files over real HTTP: stored raw, read with the partner's mapping, reported."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.api.feeds import FeedMapping
from gateway.app import create_app
from gateway.model import Segment, Supplier, SupplierSegment
from gateway.settings import Settings
from gateway.store.feeds import set_mapping
from gateway.store.master import save_segments, save_suppliers
from tests.support import bearer, issue_key, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT = 256 * 1024


@pytest.fixture
def supplier(database_url: str, sessions: sessionmaker[Session]) -> dict[str, str]:
    """Headers of supplier SUP001 (execution-only: ship notices and inventory), with the
    ship-notice mapping of tests/data/feeds/acme-asn-mapping.json."""
    with sessions.begin() as session:
        save_segments(session, [Segment(id="FAST", name="Fast", service_level_target=0.98)])
        save_suppliers(
            session,
            [
                Supplier(
                    id="SUP001",
                    name="Acme",
                    tier="preferred",
                    segments=[SupplierSegment(segment_id="FAST", role="execution_only")],
                )
            ],
        )
        mapping = FeedMapping.model_validate_json((DATA / "acme-asn-mapping.json").read_text())
        set_mapping(session, "SUP001", mapping, actor="tests")
    token = issue_key(
        database_url,
        "supplier:SUP001",
        "supplier",
        supplier_id="SUP001",
        grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]],
    )
    return bearer(token)


@pytest.fixture
def base_url(database_url: str, engine: Engine) -> Iterator[str]:
    settings = Settings(database_url=database_url, max_file_bytes=LIMIT)
    with serve(create_app(settings, engine=engine)) as url:
        yield url


def _post(base_url: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{base_url}/api/v1/files", headers=headers, timeout=30, **kwargs)


def test_a_csv_upload_keeps_good_rows_and_reports_bad_ones(
    base_url: str, supplier: dict[str, str]
) -> None:
    files = {"file": ("acme-asn.csv", (DATA / "acme-asn.csv").read_bytes(), "text/csv")}
    answer = _post(base_url, supplier, files=files)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "processed" and body["format"] == "csv"
    assert body["read"]["encoding"] == "windows-1252" and body["read"]["delimiter"] == ";"
    assert (body["rows_total"], body["rows_accepted"], body["documents"]) == (4, 3, 2)
    assert body["problems"] == [{"row": 4, "column": "Qty", "reason": "'lots' is not a number"}]
    status = httpx.get(f"{base_url}{body['report_url']}", headers=supplier).json()
    assert status["channel"] == "csv" and status["partner_id"] == "SUP001"
    assert len(status["documents"]["ship_notice"]) == 2
    assert status["feed"]["problems"] == body["problems"]
    assert status["feed"]["file_name"] == "acme-asn.csv"


def test_a_raw_xlsx_body_with_the_default_mapping(base_url: str, supplier: dict[str, str]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Report ID", "As Of", "Location ID", "Buyer Item", "Quantity On Hand", "UOM"])
    sheet.append(["INV-9", "2026-11-20", "DC1", "ITM-1", 12, "EA"])
    sheet.append(["INV-9", "2026-11-20", "DC1", "ITM-2", "=A1*2", "EA"])
    data = io.BytesIO()
    book.save(data)
    answer = _post(
        base_url,
        {**supplier, "Content-Type": XLSX},
        content=data.getvalue(),
        params={"type": "inventory_position"},
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert (body["rows_accepted"], body["rows_rejected"]) == (1, 1)
    assert body["problems"][0]["row"] == 3 and "formula" in body["problems"][0]["reason"]


def test_the_same_idempotency_key_answers_the_first_message(
    base_url: str, supplier: dict[str, str]
) -> None:
    headers = {**supplier, "Content-Type": "text/csv", "Idempotency-Key": "feed-1"}
    body = (DATA / "acme-asn.csv").read_bytes()
    first = _post(base_url, headers, content=body)
    again = _post(base_url, headers, content=body)
    assert first.status_code == again.status_code == 202
    assert again.json()["message_id"] == first.json()["message_id"]
    assert again.json()["duplicate"] is True and again.json()["rows_accepted"] == 3
    other = _post(base_url, headers, content=body + b"ASN-4;22/11/2026;PO-3;ITM-4;4;EA;\r\n")
    assert other.status_code == 409


def test_a_file_over_the_limit_is_a_413(base_url: str, supplier: dict[str, str]) -> None:
    big = b"report_id,as_of\n" + b"X,2026-01-01\n" * (LIMIT // 10)
    answer = _post(base_url, {**supplier, "Content-Type": "text/csv"}, content=big)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert f"{LIMIT}-byte limit" in answer.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming
        yield from (big[i : i + 8192] for i in range(0, len(big), 8192))

    streamed = _post(base_url, {**supplier, "Content-Type": "text/csv"}, content=chunks())
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    ("body", "media", "detail"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<r><row><report_id>&x;</report_id></row></r>",
            "application/xml",
            "DOCTYPE",
        ),
        (b"", "text/csv", "empty"),
        (b"ASN No;Qty\r\nA;1\r\n", "text/csv", "missing column"),
    ],
    ids=["xxe", "empty", "missing-columns"],
)
def test_an_unusable_file_is_kept_and_answered_422(
    base_url: str, supplier: dict[str, str], body: bytes, media: str, detail: str
) -> None:
    answer = _post(base_url, {**supplier, "Content-Type": media}, content=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert detail in problem["detail"]
    kept = httpx.get(f"{base_url}{problem['report_url']}", headers=supplier).json()
    assert kept["status"] == "failed" and detail in kept["feed"]["error"]


def test_a_file_without_one_good_row_lists_every_row(
    base_url: str, supplier: dict[str, str]
) -> None:
    body = (
        b"ASN No;Ship Date;Order;Part Number;Qty;Unit\r\nA;31/02/2026;P;I;1;EA\r\nB;x;P;I;-1;EA\r\n"
    )
    answer = _post(base_url, {**supplier, "Content-Type": "text/csv"}, content=body)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "feed.no_good_rows"
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [
        (2, "Ship Date"),
        (3, "Ship Date"),
        (3, "Qty"),
    ]


def test_a_supplier_may_not_send_what_its_role_does_not_allow(
    base_url: str, supplier: dict[str, str]
) -> None:
    body = (
        b"commit_id,issued_date,buyer_item,period_start,quantity,uom\n"
        b"C1,2026-11-20,I,2026-11-23,5,EA\n"
    )
    answer = _post(
        base_url,
        {**supplier, "Content-Type": "text/csv"},
        content=body,
        params={"type": "capacity_commit"},
    )
    assert answer.status_code == 403
    assert "message_id" in answer.json()


def test_the_route_is_in_the_openapi_document(base_url: str) -> None:
    operation = httpx.get(f"{base_url}/openapi.json").json()["paths"]["/api/v1/files"]["post"]
    content = operation["requestBody"]["content"]
    assert {"multipart/form-data", "text/csv", XLSX, "application/xml"} <= set(content)
    assert {"202", "413", "422"} <= set(operation["responses"])


def test_a_read_only_key_and_a_multipart_body_without_a_file(
    base_url: str, database_url: str, supplier: dict[str, str]
) -> None:
    reader = issue_key(
        database_url,
        "supplier:SUP001",
        "supplier",
        supplier_id="SUP001",
        scopes=("read",),
    )
    body = (DATA / "acme-asn.csv").read_bytes()
    refused = _post(base_url, {**bearer(reader), "Content-Type": "text/csv"}, content=body)
    assert refused.status_code == 403 and "limited to read" in refused.json()["detail"]
    no_file = _post(base_url, supplier, files={"upload": ("a.csv", body, "text/csv")})
    assert no_file.status_code == 422 and "part named 'file'" in no_file.json()["detail"]
    broken = _post(
        base_url,
        {**supplier, "Content-Type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nnot a part",
    )
    assert broken.status_code in (400, 422)


def test_an_unknown_type_field_and_a_long_idempotency_key(
    base_url: str, supplier: dict[str, str]
) -> None:
    body = (DATA / "acme-asn.csv").read_bytes()
    files = {"file": ("acme-asn.csv", body, "text/csv")}
    wrong = _post(base_url, supplier, files=files, data={"type": "purchase_order"})
    assert wrong.status_code == 422 and "is not one of" in wrong.json()["detail"]
    long_key = {**supplier, "Idempotency-Key": "k" * 200}
    first = _post(base_url, long_key, files=files, data={"type": "ship_notice"})
    again = _post(base_url, long_key, files=files, data={"type": "ship_notice"})
    assert first.status_code == again.status_code == 202
    assert again.json()["duplicate"] is True
