"""The schema, its SDL snapshot, and the router mounted at /graphql."""

from __future__ import annotations

from pathlib import Path

import strawberry
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from gateway.graphql.context import Context, get_context
from gateway.graphql.ide import graphiql_html
from gateway.graphql.limits import extensions
from gateway.graphql.mutations import Mutation
from gateway.graphql.queries import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions())


def sdl() -> str:
    """The schema as SDL, as checked in at ``SDL_PATH``."""
    return build_schema().as_str() + "\n"


class _Router(GraphQLRouter[Context, None]):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())


def graphql_router() -> GraphQLRouter[Context, None]:
    """The /graphql routes: POST (and GET) queries, GraphiQL in a browser."""

    async def context(ctx: Context = Depends(get_context)) -> Context:
        return ctx

    return _Router(build_schema(), path="/graphql", context_getter=context, tags=["graphql"])
