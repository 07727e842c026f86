"""The OpenAPI document, with the canonical model's schemas for bodies read raw."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

from gateway.model import DOCUMENT_TYPES, Document

REF = "#/components/schemas/{model}"


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
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
