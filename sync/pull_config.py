"""What a pull connector polls: one partner's REST endpoint, validated before it is stored.

A poller never holds a secret: ``auth_secret`` names where the secret lives (``env:NAME``, an
environment variable of the process that polls), so the configuration table can be read,
exported and audited without leaking a supplier's token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PULLED_TYPES = ("inventory_position", "capacity_commit", "ship_notice")
PulledType = Literal["inventory_position", "capacity_commit", "ship_notice"]
_ENV = "env:"


class Pagination(StrEnum):
    """How a response says where the next page is."""

    NONE = "none"  # one request per run
    CURSOR = "cursor"  # a field of the body names the next cursor; we send it as a parameter
    NEXT_LINK = "next_link"  # a field of the body (or the Link header, rel=next) is the next URL


class PollerConfig(BaseModel):
    """One partner's pull connector; every field is checked when it is added."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    partner_id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$")
    name: str = Field(pattern=r"^[a-z0-9_-]{1,40}$", description="Unique per partner.")
    base_url: str = Field(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$", max_length=400)
    path: str = Field("/", pattern=r"^/[^\s#]*$", max_length=200)
    document_type: PulledType
    interval_s: float = Field(300.0, gt=0, le=7 * 24 * 3600)
    auth_header: str = Field("Authorization", pattern=r"^[A-Za-z0-9-]{1,60}$")
    auth_scheme: str | None = Field("Bearer", max_length=20, description="Put before the secret.")
    auth_secret: str | None = Field(None, description="Where the secret is: env:VARIABLE.")
    pagination: Pagination = Pagination.CURSOR
    cursor_param: str = Field("cursor", pattern=r"^[A-Za-z0-9_.-]{1,60}$")
    cursor_field: str = Field("next_cursor", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    next_link_field: str = Field("next", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    items_field: str = Field("items", pattern=r"^[A-Za-z0-9_.-]{0,100}$", description="'' = body")
    conditional: bool = Field(True, description="Send If-None-Match / If-Modified-Since.")
    timeout_s: float = Field(10.0, gt=0, le=300)
    max_pages: int = Field(10, ge=1, le=10_000, description="Pages per run at most.")
    max_attempts: int = Field(3, ge=1, le=20, description="Tries per page within a run.")
    enabled: bool = True

    @field_validator("auth_secret")
    @classmethod
    def _a_reference(cls, value: str | None) -> str | None:
        # A pasted token would end up in the database, backups and audit log: refuse it.
        if value is None:
            return None
        if not value.startswith(_ENV) or not _is_env_name(value[len(_ENV) :]):
            raise ValueError(
                "must name where the secret is, as env:VARIABLE (e.g. env:SUP001_TOKEN), "
                "never the secret itself"
            )
        return value

    @property
    def key(self) -> str:
        return f"{self.partner_id}/{self.name}"

    @property
    def url(self) -> str:
        """The first page's URL; it also names the endpoint's circuit breaker."""
        return self.base_url.rstrip("/") + self.path


class SecretMissing(LookupError):
    """The environment variable a poller's ``auth_secret`` names is not set."""


def auth_headers(config: PollerConfig, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The authentication header, with the secret read from the environment now."""
    if config.auth_secret is None:
        return {}
    name = config.auth_secret[len(_ENV) :]
    secret = (os.environ if environ is None else environ).get(name)
    if not secret:
        raise SecretMissing(f"environment variable {name} (auth secret of {config.key}) is unset")
    value = f"{config.auth_scheme} {secret}" if config.auth_scheme else secret
    return {config.auth_header: value}


def _is_env_name(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,100}", name) is not None
