"""GraphQL for planners (strawberry): one scoped graph over segments, items, suppliers,
documents, findings and partner health, mounted on the FastAPI app at ``/graphql``."""

from fastapi import FastAPI

from gateway.graphql.schema import SDL_PATH, build_schema, graphql_router, sdl


def install(app: FastAPI) -> None:
    """Mount ``/graphql`` (GraphiQL on a browser's GET) on the gateway app."""
    app.include_router(graphql_router())


__all__ = ["SDL_PATH", "build_schema", "install", "sdl"]
