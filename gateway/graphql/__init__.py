"""GraphQL for planners (strawberry): one scoped graph over segments, items, suppliers,
documents, findings and partner health, mounted on the FastAPI app at ``/graphql``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def install(app: FastAPI, remember_answers: bool = True) -> None:
    """Mount ``/graphql`` (GraphiQL on a browser's GET) on the gateway app."""
    # Imported here: the schema reads gateway.app.auth, and gateway.app imports this package.
    from gateway.graphql.schema import graphql_router

    # GraphQL describes itself (introspection, the SDL snapshot); OpenAPI is for REST.
    app.include_router(graphql_router(remember_answers), include_in_schema=False)


__all__ = ["install"]
