"""Limits against abusive queries, and strawberry's parser and validation caches.

The caches matter: the issue measured a trivial query at ~360 req/s bare and ~1,200 req/s
with both on (strawberry 0.341, uvicorn). The limits refuse a query during validation, before
any resolver runs: a 100-alias query took 1.1 s without MaxAliasesLimiter, 34 ms with it.

Strawberry wants extension factories (a fresh extension per request). QueryDepthLimiter and
MaxAliasesLimiter each make a new validation-rule class when constructed, and ValidationCache
keys its LRU on the rule classes, so a limiter built per request would make every request a
cache miss. Their rule classes are therefore made once, here, and added by one extension.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
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

_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,  # __schema/__type not counted
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class QueryLimits(AddValidationRules):
    """Depth and alias limits, with rule classes that stay the same from request to request."""

    def __init__(self) -> None:
        super().__init__(list(_RULES))


def unexpected(error: GraphQLError) -> bool:
    # An exception that is not a GraphQL error is a bug: log it (strawberry does), answer a
    # bare "Unexpected error." rather than SQL or a stack frame. Our own errors pass as they are.
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def extensions() -> list[Any]:
    """The schema's extension factories, in the order they run."""
    return [
        lambda: MaskErrors(should_mask_error=unexpected),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        QueryLimits,
        lambda: ValidationCache(maxsize=CACHE_SIZE),
    ]
