"""Configuration from the environment (prefix ``GATEWAY_``), read once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the gateway reads; each can be set as ``GATEWAY_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'gateway.db'}",
        description="SQLAlchemy URL; a SQLite file in the working folder by default.",
    )
    host: str = Field("127.0.0.1", description="Address `gateway serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `gateway serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="Uvicorn worker processes (PostgreSQL).")
    log_level: str = Field("info", description="Uvicorn and application log level.")
    log_format: Literal["text", "json"] = Field(
        "text", description="`json`: one JSON object per log line (for a log shipper)."
    )
    max_body_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, description="Largest inbound message accepted, in bytes."
    )
    max_file_bytes: int = Field(
        25 * 1024 * 1024,
        ge=1024,
        description="Largest supplier file (POST /api/v1/files, `gateway watch`), in bytes.",
    )
    body_idle_timeout_s: float = Field(
        15.0,
        gt=0,
        le=3600,
        description="Longest wait for the next part of a request body, in seconds (408 after).",
    )
    body_timeout_s: float = Field(
        120.0,
        gt=0,
        le=86400,
        description="Longest a whole request body may take to arrive, in seconds (408 after).",
    )
    keep_alive_s: int = Field(
        5,
        ge=1,
        le=600,
        description="`gateway serve`: seconds an idle connection stays open after an answer.",
    )
    limit_concurrency: int | None = Field(
        None,
        ge=1,
        description="`gateway serve`: connections and requests per process before new requests "
        "get 503 (unset: no limit). Idle connections count too: see docs/reliability.md.",
    )
    db_pool_size: int = Field(5, ge=1, le=100, description="Connections per process (PostgreSQL).")
    run_worker: bool = Field(
        True,
        description="Run one delivery worker and one poll worker inside `gateway serve` "
        "(false when `gateway worker` processes deliver and poll instead).",
    )
    quality_policy: Path | None = Field(
        None, description="JSON file of data-quality thresholds, owners and escalation paths."
    )
    run_quality_worker: bool = Field(
        True,
        description="Run one quality worker (streaming checks, feed freshness) inside `gateway "
        "serve` (false when `gateway quality worker` processes run instead).",
    )
    quality_poll_s: float = Field(
        1.0, gt=0, le=60, description="Seconds the quality worker sleeps when nothing is queued."
    )
    quality_linger_s: float = Field(
        5.0,
        ge=0,
        le=300,
        description="Longest a processed message waits for others to join its quality check.",
    )
    quality_freshness_every_s: float = Field(
        900.0, gt=0, description="Seconds between two stale-feed checks (by any worker)."
    )
    graphql_remember_answers: bool = Field(
        True,
        description="Serve a repeated segment-health question from memory while its inputs "
        "are unchanged (docs/graphql.md).",
    )

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, url: str) -> str:
        # A bare postgresql:// URL would pick psycopg2, which is not installed: say so plainly.
        if url.startswith(("postgres://", "postgresql://")):
            raise ValueError("use a postgresql+psycopg:// URL (psycopg 3 is the installed driver)")
        return url


def get_settings() -> Settings:
    """Read the settings from the environment now (no cache: tests change the environment)."""
    return Settings()
