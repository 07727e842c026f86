"""Outbound delivery to partners and inbound pull connectors: the pure rules of retries,
breakers, failover, dead letters and paging.

The store and the worker loops that apply them live in ``gateway.store.outbox``,
``gateway.sync_worker``, ``gateway.store.pollers`` and ``gateway.poller``; this package has no
database session and no web framework.
"""

from sync.acks import AckStatus, GroupAnswer, is_overdue, read_997
from sync.backoff import RetryPolicy
from sync.breaker import Breaker, BreakerPolicy, BreakerState
from sync.delivery import AttemptResult, Decision, Status, Verdict, classify, decide
from sync.failover import Choice, Role, choose_endpoint
from sync.folder import (
    BadEndpoint,
    ChannelKind,
    channel_endpoint,
    classify_os_error,
    file_name,
    folder_path,
    kind_of,
)
from sync.pull import (
    InvalidItem,
    MalformedPage,
    Page,
    PageRequest,
    PullError,
    PullState,
    advance,
    is_transient,
    item_key,
    next_position,
    page_request,
    read_page,
    retry_after_s,
    to_documents,
)
from sync.pull_config import PULLED_TYPES, Pagination, PollerConfig, SecretMissing, auth_headers
from sync.pull_fetch import Fetched, fetch_page
from sync.transport import DELIVERY_ID_HEADER, IDEMPOTENCY_HEADER, post_delivery

__all__ = [
    "DELIVERY_ID_HEADER",
    "IDEMPOTENCY_HEADER",
    "PULLED_TYPES",
    "AckStatus",
    "AttemptResult",
    "BadEndpoint",
    "Breaker",
    "BreakerPolicy",
    "BreakerState",
    "ChannelKind",
    "Choice",
    "Decision",
    "Fetched",
    "GroupAnswer",
    "InvalidItem",
    "MalformedPage",
    "Page",
    "PageRequest",
    "Pagination",
    "PollerConfig",
    "PullError",
    "PullState",
    "RetryPolicy",
    "Role",
    "SecretMissing",
    "Status",
    "Verdict",
    "advance",
    "auth_headers",
    "channel_endpoint",
    "choose_endpoint",
    "classify",
    "classify_os_error",
    "decide",
    "fetch_page",
    "file_name",
    "folder_path",
    "is_overdue",
    "is_transient",
    "item_key",
    "kind_of",
    "next_position",
    "page_request",
    "post_delivery",
    "read_997",
    "read_page",
    "retry_after_s",
    "to_documents",
]
