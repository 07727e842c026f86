"""Tables for access: principals, API keys (hashes only), Casbin rules and their version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.tables import Base, BigId, UTCDateTime, utcnow


class PrincipalRow(Base):
    __tablename__ = "principals"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)  # e.g. supplier:SUP001
    kind: Mapped[str] = mapped_column(String(20))
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiKeyRow(Base):
    """An API key: only the SHA-256 of its secret is kept."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(12), primary_key=True)  # the public key id
    principal_id: Mapped[str] = mapped_column(ForeignKey("principals.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    scopes: Mapped[list[Any]]  # actions the key may use: read, write
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    replaced_by: Mapped[str | None] = mapped_column(String(12))


class AccessRuleRow(Base):
    """One Casbin rule: ``p`` (role, domain, object, action) or ``g`` (subject, role, domain)."""

    __tablename__ = "access_rules"
    __table_args__ = (UniqueConstraint("ptype", "v0", "v1", "v2", "v3"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ptype: Mapped[str] = mapped_column(String(2))
    v0: Mapped[str] = mapped_column(String(120))
    v1: Mapped[str] = mapped_column(String(120))
    v2: Mapped[str] = mapped_column(String(120))
    v3: Mapped[str] = mapped_column(String(120), default="")


class PolicyVersionRow(Base):
    """A counter bumped with every rule change, so every process knows when to reload."""

    __tablename__ = "access_policy_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
