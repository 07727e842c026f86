"""The log formats: one JSON object per line with context, or text with key=value."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from gateway.logs import JsonFormatter, TextFormatter, log_context


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream, handler
    logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_record_is_one_json_line_with_its_context(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    with log_context(request_id="r-1", partner_id="SUP1"):
        logger.info("delivered %s\nnext line", "d1", extra={"delivery_id": "d1", "attempt": 2})
    logger.warning("outside")
    first, second = _lines(stream)
    assert first["level"] == "INFO" and first["logger"] == "tests.logs"
    assert first["message"] == "delivered d1\nnext line"  # escaped: still one line
    assert first["context"] == {
        "request_id": "r-1",
        "partner_id": "SUP1",
        "delivery_id": "d1",
        "attempt": 2,
    }
    assert str(first["timestamp"]).endswith("Z") and "T" in str(first["timestamp"])
    assert "context" not in second  # the context ended with its block


def test_nested_contexts_merge_and_extra_wins(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    with log_context(request_id="outer", partner_id="A"), log_context(partner_id="B"):
        logger.info("x", extra={"request_id": "mine"})
    (line,) = _lines(stream)
    assert line["context"] == {"request_id": "mine", "partner_id": "B"}


def test_an_exception_is_kept_in_the_same_object(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("batch failed")
    (line,) = _lines(stream)
    assert line["level"] == "ERROR" and "ValueError: boom" in str(line["exception"])


def test_text_format_prints_the_context_as_key_value() -> None:
    record = logging.makeLogRecord(
        {"name": "gateway.sync", "levelname": "INFO", "msg": "delivered", "delivery_id": "d1"}
    )
    with log_context(request_id="r-9"):
        text = TextFormatter().format(record)
    assert text.endswith("INFO gateway.sync: delivered request_id=r-9 delivery_id=d1")
