"""Process logging: one switch (``GATEWAY_LOG_FORMAT=json|text``), one handler, shared context.

In ``json`` each record is one line: ``{"timestamp", "level", "logger", "message",
"context": {...}}``; the context holds the ``extra`` fields a call passes (``delivery_id``,
``partner_id``, ``attempt``, ...) merged over the fields bound with ``log_context`` for the
current request or task (``request_id``). A log shipper (Vector, Fluent Bit, Loki's promtail)
reads such lines without a parsing rule. ``text`` prints the same fields as ``key=value``.

A stdlib ``Formatter`` rather than python-json-logger: the whole job is ~30 lines, the field
names and the ``context`` object are ours to fix, and it adds no dependency.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

__all__ = ["JsonFormatter", "LogFormat", "TextFormatter", "configure_logging", "log_context"]

LogFormat = Literal["text", "json"]

_CONTEXT: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("log_context")
# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach ``fields`` to every record logged in this context (a request, a batch)."""
    token = _CONTEXT.set({**_CONTEXT.get({}), **fields})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def context_of(record: logging.LogRecord) -> dict[str, Any]:
    """The bound context plus the record's own ``extra`` fields (those win)."""
    extra = {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_")
    }
    return {**_CONTEXT.get({}), **extra}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
        out: dict[str, Any] = {
            "timestamp": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = context_of(record)
        if context:
            out["context"] = context
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message key=value ...`` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(f"{key}={value}" for key, value in context_of(record).items())
        return f"{line} {context}" if context else line


def configure_logging(log_format: LogFormat = "text", level: str = "info") -> None:
    """Send every logger (uvicorn's too) through one stderr handler in ``log_format``.

    Replaces the root handlers, so calling it again switches format rather than doubling
    lines. Uvicorn's own access log is turned off: the gateway's access middleware logs each
    request with its request id and principal instead.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # uvicorn decides per connection whether to log access by asking this logger for handlers:
    # none, and no propagation, turns it off (gateway.access has the request id and principal)
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
