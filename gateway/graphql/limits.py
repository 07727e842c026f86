"""Limits against abusive queries, and strawberry's parser and validation caches.

The caches matter: the issue measured a trivial query at ~360 req/s bare and ~1,200 req/s
with both on (strawberry 0.341, uvicorn). The limits refuse a query during validation, before
any resolver runs: a 100-alias query took 1.1 s without MaxAliasesLimiter, 34 ms with it.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

# segment > items > edges > node > purchaseOrderLines > edges > node > purchaseOrder > poNumber
MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2_000
CACHE_SIZE = 512  # distinct query texts kept parsed and validated


def extensions() -> list[Any]:  # instances: strawberry's own annotation says classes
    """The schema extensions, in the order they run."""
    return [
        MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ParserCache(maxsize=CACHE_SIZE),
        QueryDepthLimiter(max_depth=MAX_DEPTH),  # introspection (__schema) is not counted
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        ValidationCache(maxsize=CACHE_SIZE),
    ]
