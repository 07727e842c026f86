# mypy: disable-error-code="untyped-decorator"
# (strawberry types its field decorator as returning Any)
"""Relay-style connections with opaque cursors, paged by keyset in SQL.

A cursor is base64url of JSON ``[sort, value, id]``: the sort it was made under (a cursor
from another sort is refused rather than silently misread), the sort column's value and the
row id that breaks ties. Pages continue with ``(value, id) > (cursor value, cursor id)`` (or
``<`` descending), so a page costs one indexed range read, however deep.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

N = TypeVar("N")
DEFAULT_PAGE = 50
MAX_PAGE = 500


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    node: N
    _key: strawberry.Private[tuple[str, Any, Any]]  # (sort, value, id): made on request

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(*self._key)


@strawberry.type(description="A page of a list; continue with `after: pageInfo.endCursor`.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many records match, in all pages (counted in SQL).")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(description="The nodes of this page, without their cursors.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]


def encode_cursor(sort: str, value: Any, row_id: Any) -> str:
    raw = json.dumps([sort, _plain(value), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, Any]:
    """The (value, id) a cursor holds; a GraphQL error naming the problem if it is not ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        made_under, value, row_id = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise GraphQLError(f"invalid cursor {cursor!r}", extensions={"code": "cursor"}) from None
    if made_under != sort:
        raise GraphQLError(
            f"cursor was made for sort {made_under}, not {sort}", extensions={"code": "cursor"}
        )
    return value, row_id


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise GraphQLError(
            f"first must be between 1 and {MAX_PAGE}, got {first}",
            extensions={"code": "argument", "argument": "first"},
        )
    return first


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class SortKey:
    """A sort the API offers: its name, the column, its kind (to read cursors) and direction."""

    name: str
    column: Any
    id_column: Any
    descending: bool = False
    kind: type = str

    def parse(self, value: Any) -> Any:
        if self.kind is dt.date:
            return dt.date.fromisoformat(value)
        if self.kind is dt.datetime:
            return dt.datetime.fromisoformat(value)
        return value

    def order(self) -> tuple[Any, Any]:
        if self.descending:
            return self.column.desc(), self.id_column.desc()
        return self.column, self.id_column

    def after(self, cursor: str) -> Any:
        value, row_id = decode_cursor(cursor, self.name)
        key, mark = tuple_(self.column, self.id_column), (self.parse(value), row_id)
        return key < mark if self.descending else key > mark


def fetch_page(
    session: Session,
    query: Select[Any],
    sort: SortKey,
    first: int,
    after: str | None,
    convert: Callable[[Any], N],
) -> tuple[list[Edge[N]], PageInfo]:
    """One page of ``query`` (already scoped and filtered): first+1 rows tell if more follow."""
    paged = query.order_by(*sort.order()).limit(check_first(first) + 1)
    if after:
        paged = paged.where(sort.after(after))
    rows = session.scalars(paged).all()
    more, rows = len(rows) > first, rows[:first]
    edges = [
        Edge(node=convert(row), _key=(sort.name, _value(row, sort), _value_id(row, sort)))
        for row in rows
    ]
    return edges, _page_info(edges, more, after is not None)


def _value(row: Any, sort: SortKey) -> Any:
    return getattr(row, sort.column.key)


def _value_id(row: Any, sort: SortKey) -> Any:
    return getattr(row, sort.id_column.key)


def count_of(session: Session, query: Select[Any]) -> int:
    return int(
        session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def _page_info(edges: Sequence[Edge[Any]], more: bool, continued: bool) -> PageInfo:
    return PageInfo(
        has_next_page=more,
        has_previous_page=continued,
        start_cursor=encode_cursor(*edges[0]._key) if edges else None,
        end_cursor=encode_cursor(*edges[-1]._key) if edges else None,
    )


def connection_of_list(
    nodes: Sequence[Any],
    first: int,
    after: str | None,
    convert: Callable[[Any], N] | None = None,
) -> Connection[N]:
    """A connection over a list a loader already holds (a relation of one parent); only the
    page's rows are converted to nodes."""
    start = 0
    if after:
        _, position = decode_cursor(after, "position")
        start = int(position) + 1
    window = list(nodes[start : start + check_first(first)])
    edges = [
        Edge(
            node=node if convert is None else convert(node),
            _key=("position", None, start + i),
        )
        for i, node in enumerate(window)
    ]
    return _in_memory(edges, start, len(window), len(nodes))


def connection_of_ranked(
    nodes: Sequence[Any],
    first: int,
    after: str | None,
    sort: str,
    key: Callable[[Any], tuple[float, str]],
    convert: Callable[[Any], N],
) -> Connection[N]:
    """A keyset page over a list a loader holds, sorted by ``key``'s value descending, then
    id ascending (e.g. worst shortfall first). The cursor holds that (value, id), so a next
    page starts after the last row seen even when the list has changed in between."""
    start = 0
    if after:
        value, row_id = decode_cursor(after, sort)
        if not isinstance(value, int | float) or not isinstance(row_id, str):
            raise GraphQLError(f"invalid cursor {after!r}", extensions={"code": "cursor"})
        mark = (-value, row_id)
        start = next((i for i, node in enumerate(nodes) if _rank(key(node)) > mark), len(nodes))
    window = nodes[start : start + check_first(first)]
    edges = [Edge(node=convert(node), _key=(sort, *key(node))) for node in window]
    return _in_memory(edges, start, len(window), len(nodes))


def _rank(key: tuple[float, str]) -> tuple[float, str]:
    return -key[0], key[1]


def _in_memory(edges: list[Edge[N]], start: int, shown: int, total: int) -> Connection[N]:
    """A page of a list held in memory: ``shown`` rows from ``start`` of ``total``."""

    async def count() -> int:
        return total

    return Connection(
        edges=edges,
        page_info=_page_info(edges, start + shown < total, start > 0),
        _count=count,
    )
