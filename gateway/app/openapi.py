"""The OpenAPI document, with the canonical model's schemas for bodies read raw.

Every error the app sends is an RFC 9457 problem (``application/problem+json``,
``gateway.app.problems``); the document says so for every 4xx and 5xx response, in place of
FastAPI's default ``HTTPValidationError`` (which the app never sends).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

from gateway.app.problems import PROBLEM_JSON
from gateway.model import DOCUMENT_TYPES, Document

REF = "#/components/schemas/{model}"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each invalid field.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "A stable code, e.g. access.key_missing"},
        "message_id": {"type": "string", "description": "The stored message, for writes"},
        "limit": {
            "type": "string",
            "enum": ["idle", "total"],
            "description": "408: the body timeout that was hit",
        },
        "received_bytes": {"type": "integer", "description": "408: body bytes that arrived"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "description": "e.g. lines.2.quantity"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="Problem")}}}
_COMMON_ERRORS = {
    "401": "Missing, malformed, unknown, expired or revoked API key",
    "422": "A parameter or the body is invalid; `errors` names each field",
}
_SLOW_BODY = (
    "The body arrived too slowly (GATEWAY_BODY_IDLE_TIMEOUT_S between parts, "
    "GATEWAY_BODY_TIMEOUT_S in all); nothing was stored"
)


def install(app: FastAPI) -> None:
    """Serve an OpenAPI document whose write routes name the canonical schemas."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            document = TypeAdapter(Document).json_schema(ref_template=REF)
            schemas.update(document.pop("$defs", {}))
            schemas["Document"] = document
            for model in DOCUMENT_TYPES.values():
                schema = model.model_json_schema(ref_template=REF)
                schemas.update(schema.pop("$defs", {}))
                schemas.setdefault(model.__name__, schema)
            _errors_as_problems(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def _errors_as_problems(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    for path, item in spec.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            if path.startswith("/api/v1"):
                for status, description in _COMMON_ERRORS.items():
                    responses.setdefault(status, {"description": description})
            if "requestBody" in operation:
                responses.setdefault("408", {"description": _SLOW_BODY})
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = dict(_PROBLEM_CONTENT)
