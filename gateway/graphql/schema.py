"""The schema, its SDL snapshot, and the router mounted at /graphql."""

from __future__ import annotations

import logging
from pathlib import Path

import strawberry
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from graphql import GraphQLError
from strawberry.fastapi import GraphQLRouter
from strawberry.types import ExecutionContext

from gateway.graphql.answers import RememberedAnswers
from gateway.graphql.context import Context, get_context
from gateway.graphql.ide import graphiql_html
from gateway.graphql.limits import extensions, unexpected
from gateway.graphql.mutations import Mutation
from gateway.graphql.queries import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")
log = logging.getLogger("gateway")


class _Schema(strawberry.Schema):
    """Strawberry logs every error of a request at ERROR with its traceback, a client's bad
    query (syntax, unknown field, depth or alias bomb, weeks out of range) included: an abusive
    client would fill the log with tracebacks. Those are the client's errors, logged at INFO in
    one line; a resolver's unexpected exception is still logged in full."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if not unexpected(error):
                log.info("GraphQL request refused: %s", error.message)
        super().process_errors([e for e in errors if unexpected(e)], execution_context)


def build_schema(remember_answers: bool = True) -> strawberry.Schema:
    more = [RememberedAnswers] if remember_answers else []
    return _Schema(query=Query, mutation=Mutation, extensions=[*extensions(), *more])


def sdl() -> str:
    """The schema as SDL, as checked in at ``SDL_PATH``."""
    return build_schema().as_str() + "\n"


class _Router(GraphQLRouter[Context, None]):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())


def graphql_router(remember_answers: bool = True) -> GraphQLRouter[Context, None]:
    """The /graphql routes: POST (and GET) queries, GraphiQL in a browser."""

    async def context(ctx: Context = Depends(get_context)) -> Context:
        return ctx

    schema = build_schema(remember_answers)
    return _Router(schema, path="/graphql", context_getter=context, tags=["graphql"])
