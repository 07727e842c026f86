"""Pull connectors as pure rules: which request comes next, what a page holds, what to retry.

::

    PullError                      a page that cannot become documents (stable ``code``)
     ├── MalformedPage             not JSON, or not the shape the poller expects
     └── InvalidItem               an item that is not a valid canonical document

The resume rule (why a crash never skips a page): the stored position is the request that
comes next. After a page is stored, a page that names a next page moves the position there;
the last page keeps its own position, with its ``ETag`` / ``Last-Modified``, so the next run
asks for it again conditionally (a cheap 304 when nothing changed, the new items when the
supplier appended some). Nothing moves until the page is in the inbox.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ValidationError

from gateway.model import CapacityCommit, InventoryPosition, ShipNotice
from sync.delivery import Verdict, classify
from sync.pull_config import Pagination, PollerConfig

_MODELS: dict[str, type[BaseModel]] = {
    "inventory_position": InventoryPosition,
    "capacity_commit": CapacityCommit,
    "ship_notice": ShipNotice,
}


class PullError(ValueError):
    """A fetched page that cannot become documents; the raw page stays in the inbox."""

    code = "pull.error"


class MalformedPage(PullError):
    code = "pull.malformed_page"


class InvalidItem(PullError):
    code = "pull.invalid_document"


@dataclass(frozen=True)
class PullState:
    """Where the next run starts: a cursor (or next link) and the validators of that request."""

    cursor: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class PageRequest:
    url: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """A decoded page: its items (canonical JSON objects) and where the next page is."""

    items: tuple[dict[str, Any], ...]
    next: str | None = None


def page_request(config: PollerConfig, state: PullState) -> PageRequest:
    """The request for the page at ``state``, conditional when the poller and state allow."""
    url, params = config.url, {}
    if state.cursor and config.pagination is Pagination.CURSOR:
        params[config.cursor_param] = state.cursor
    elif state.cursor and config.pagination is Pagination.NEXT_LINK:
        url = urljoin(config.url, state.cursor)  # a relative next link is relative to the API
    headers = {"Accept": "application/json"}
    if config.conditional and state.etag:
        headers["If-None-Match"] = state.etag
    if config.conditional and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return PageRequest(url, params, headers)


def read_page(body: bytes, config: PollerConfig) -> Page:
    """Decode a page body; a body that is not JSON or has no item list is a MalformedPage."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedPage(f"the page is not valid JSON: {error}") from None
    items = _dig(data, config.items_field)
    if not isinstance(items, list):
        where = config.items_field or "the body"
        raise MalformedPage(f"{where} is not a list of documents (got {_kind(items)})")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise MalformedPage(f"{config.items_field or 'body'}[{index}] is not an object")
    return Page(tuple(items), _next_from_body(data, config))


def next_position(page: Page, config: PollerConfig, link_header: str | None = None) -> str | None:
    """Where the next page is: the body's field, else a ``Link: <...>; rel="next"`` header.

    A next link to another origin is refused: the request would carry the supplier's
    credentials to wherever a response points (and could reach internal hosts).
    """
    if config.pagination is Pagination.NONE:
        return None
    found = page.next
    if not found and config.pagination is Pagination.NEXT_LINK and link_header:
        found = _link_next(link_header)
    if found and config.pagination is Pagination.NEXT_LINK:
        target = urlsplit(urljoin(config.url, found))
        home = urlsplit(config.url)
        if (target.scheme, target.netloc) != (home.scheme, home.netloc):
            raise MalformedPage(f"the next link {found} leaves {home.scheme}://{home.netloc}")
    return found or None


def to_documents(page: Page, config: PollerConfig) -> list[BaseModel]:
    """Validate each item as the poller's document type; all or nothing for a page.

    An item may leave out ``type`` and ``supplier_id``; a ``supplier_id`` other than the
    partner's is refused, as for a supplier's own API key: one supplier's API must not
    speak for another.
    """
    model = _MODELS[config.document_type]
    documents: list[BaseModel] = []
    for index, item in enumerate(page.items):
        where = f"{config.items_field or 'body'}[{index}]"
        claimed = item.get("supplier_id")
        if claimed not in (None, config.partner_id):
            raise InvalidItem(f"{where}.supplier_id: {claimed} is not partner {config.partner_id}")
        if item.get("type") not in (None, config.document_type):
            raise InvalidItem(f"{where}.type: {item['type']} is not {config.document_type}")
        values = {**item, "type": config.document_type, "supplier_id": config.partner_id}
        try:
            documents.append(model.model_validate(values))
        except ValidationError as error:
            first = error.errors()[0]
            path = ".".join(str(part) for part in first["loc"])
            raise InvalidItem(f"{where}.{path}: {first['msg']}") from None
    return documents


def item_key(item: dict[str, Any]) -> str:
    """The identity of an item: the sha256 of its JSON with sorted keys (spacing ignored)."""
    canonical = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def advance(
    config: PollerConfig,
    fetched_at: PullState,
    next_at: str | None,
    *,
    etag: str | None,
    last_modified: str | None,
) -> PullState:
    """The position after a stored page fetched at ``fetched_at`` (see the module's rule)."""
    if config.pagination is Pagination.NONE:
        return PullState(None, etag, last_modified)
    if next_at:
        return PullState(next_at)
    return PullState(fetched_at.cursor, etag, last_modified)


def is_transient(status_code: int | None) -> bool:
    """Worth another try: no answer, 5xx, 408, 429 (the delivery rules, RFC 9110)."""
    return classify(status_code) is Verdict.TRANSIENT


def retry_after_s(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a ``Retry-After`` asks for: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is True, float("²") fails
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - now).total_seconds())


def _dig(data: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _next_from_body(data: Any, config: PollerConfig) -> str | None:
    name = config.cursor_field if config.pagination is Pagination.CURSOR else config.next_link_field
    value = _dig(data, name) if isinstance(data, dict) else None
    if value is None or value == "":
        return None
    return str(value)


_LINK = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


def _link_next(header: str) -> str | None:
    match = _LINK.search(header)
    return match.group(1) if match else None


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
