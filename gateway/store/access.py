"""Principals, API keys and Casbin rules in the store; every change is audited.

Rule changes bump the policy version in the same transaction, so every gateway process sees
the change on its next request and reloads (see ``gateway.app.auth``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from access import NewKey, Principal, PrincipalKind, Unauthenticated, generate_key, secret_matches
from gateway.store.access_tables import AccessRuleRow, ApiKeyRow, PolicyVersionRow, PrincipalRow
from gateway.store.audit import record
from gateway.store.tables import SupplierRow, utcnow

# Writing last_used_at on every request would make every read a write; once a minute is
# enough to tell which keys are in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
DEFAULT_SCOPES = ("read", "write")


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    principal_id: str
    token: str  # shown once
    expires_at: dt.datetime | None


def ensure_principal(
    session: Session,
    principal_id: str,
    kind: PrincipalKind,
    *,
    supplier_id: str | None = None,
    display_name: str = "",
    actor: str,
) -> None:
    """Create a principal if it does not exist (kind and supplier must agree)."""
    if (kind is PrincipalKind.SUPPLIER) != (supplier_id is not None):
        raise ValueError("a supplier principal needs a supplier id, and only it has one")
    if session.get(PrincipalRow, principal_id) is not None:
        return
    if supplier_id is not None and session.get(SupplierRow, supplier_id) is None:
        raise LookupError(f"no supplier {supplier_id}: load master data first")
    session.add(
        PrincipalRow(
            id=principal_id,
            kind=kind.value,
            supplier_id=supplier_id,
            display_name=display_name or principal_id,
        )
    )
    record(
        session,
        actor,
        "principal.created",
        "principal",
        principal_id,
        {"kind": kind.value, "supplier_id": supplier_id},
    )


def create_key(
    session: Session,
    principal_id: str,
    *,
    name: str,
    actor: str,
    owner: str = "",
    scopes: Sequence[str] = DEFAULT_SCOPES,
    expires_at: dt.datetime | None = None,
) -> IssuedKey:
    """Issue a key for a principal; the token is returned once and never stored."""
    if session.get(PrincipalRow, principal_id) is None:
        raise LookupError(f"no principal {principal_id}")
    unknown = set(scopes) - set(DEFAULT_SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)}; use read and/or write")
    new: NewKey = generate_key()
    session.add(
        ApiKeyRow(
            id=new.key_id,
            principal_id=principal_id,
            name=name,
            owner=owner,
            scopes=sorted(set(scopes)),
            secret_hash=new.secret_hash,
            expires_at=expires_at,
        )
    )
    record(
        session,
        actor,
        "key.created",
        "api_key",
        new.key_id,
        {
            "principal_id": principal_id,
            "name": name,
            "scopes": sorted(set(scopes)),
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return IssuedKey(new.key_id, principal_id, new.token, expires_at)


def list_keys(session: Session, principal_id: str | None = None) -> list[ApiKeyRow]:
    query = select(ApiKeyRow).order_by(ApiKeyRow.principal_id, ApiKeyRow.created_at)
    if principal_id:
        query = query.where(ApiKeyRow.principal_id == principal_id)
    return list(session.scalars(query))


def revoke_key(session: Session, key_id: str, *, actor: str) -> None:
    key = session.get(ApiKeyRow, key_id)
    if key is None:
        raise LookupError(f"no key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record(session, actor, "key.revoked", "api_key", key_id, {})


def rotate_key(
    session: Session, key_id: str, *, actor: str, overlap: dt.timedelta = dt.timedelta(hours=24)
) -> IssuedKey:
    """Issue a successor; the old key keeps working for ``overlap``, then expires."""
    old = session.get(ApiKeyRow, key_id)
    if old is None:
        raise LookupError(f"no key {key_id}")
    if old.revoked_at is not None:
        raise ValueError(f"key {key_id} is revoked; create a new one instead")
    successor = create_key(
        session,
        old.principal_id,
        name=old.name,
        owner=old.owner,
        scopes=old.scopes,
        expires_at=old.expires_at,
        actor=actor,
    )
    ends = utcnow() + overlap
    old.expires_at = min(old.expires_at, ends) if old.expires_at else ends
    old.replaced_by = successor.key_id
    record(
        session,
        actor,
        "key.rotated",
        "api_key",
        key_id,
        {"successor": successor.key_id, "old_key_expires_at": old.expires_at.isoformat()},
    )
    return successor


def authenticate(session: Session, key_id: str, secret: str) -> tuple[Principal, list[str]]:
    """The principal and scopes behind a presented key, or Unauthenticated saying why."""
    found = session.execute(
        select(ApiKeyRow, PrincipalRow)
        .join(PrincipalRow, PrincipalRow.id == ApiKeyRow.principal_id)
        .where(ApiKeyRow.id == key_id)
    ).one_or_none()
    if found is None or not secret_matches(secret, found[0].secret_hash):
        raise Unauthenticated("unknown API key", "access.key_unknown")
    key, principal = found
    now = utcnow()
    if key.revoked_at is not None:
        raise Unauthenticated("this API key was revoked", "access.key_revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthenticated("this API key has expired", "access.key_expired")
    if principal.disabled:
        raise Unauthenticated("the key's principal is disabled", "access.principal_disabled")
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(last_used_at=now))
    identity = Principal(principal.id, PrincipalKind(principal.kind), principal.supplier_id, key_id)
    return identity, list(key.scopes)


def load_rules(session: Session) -> tuple[list[list[str]], int]:
    """Every Casbin rule in bulk, with the policy version they belong to."""
    rows = session.execute(
        select(
            AccessRuleRow.ptype,
            AccessRuleRow.v0,
            AccessRuleRow.v1,
            AccessRuleRow.v2,
            AccessRuleRow.v3,
        ).order_by(AccessRuleRow.id)
    ).all()
    rules = [[ptype, v0, v1, v2, *([v3] if ptype == "p" else [])] for ptype, v0, v1, v2, v3 in rows]
    return rules, policy_version(session)


def policy_version(session: Session) -> int:
    return int(
        session.scalar(select(PolicyVersionRow.version).where(PolicyVersionRow.id == 1)) or 0
    )


def add_rules(session: Session, rules: Sequence[Sequence[str]], *, actor: str) -> int:
    """Add rules that are not there yet (bulk); returns how many were new."""
    existing = {tuple(rule) for rule in load_rules(session)[0]}
    fresh = [list(rule) for rule in rules if tuple(rule) not in existing]
    if fresh:
        session.execute(insert(AccessRuleRow), [_columns(rule) for rule in fresh])
        _bump(session)
        record(
            session,
            actor,
            "policy.added",
            "access_rules",
            str(len(fresh)),
            {"rules": fresh[:200], "count": len(fresh)},
        )
    return len(fresh)


def remove_rules(session: Session, rules: Sequence[Sequence[str]], *, actor: str) -> int:
    removed = 0
    for rule in rules:
        values = _columns(list(rule))
        result = session.connection().execute(
            delete(AccessRuleRow).where(
                *(getattr(AccessRuleRow, name) == value for name, value in values.items())
            )
        )
        removed += result.rowcount or 0
    if removed:
        _bump(session)
        record(
            session,
            actor,
            "policy.removed",
            "access_rules",
            str(removed),
            {"rules": [list(r) for r in rules][:200], "count": removed},
        )
    return removed


def _bump(session: Session) -> None:
    session.execute(
        update(PolicyVersionRow)
        .where(PolicyVersionRow.id == 1)
        .values(version=PolicyVersionRow.version + 1)
    )


def _columns(rule: list[str]) -> dict[str, str]:
    ptype, *values = rule
    if ptype not in ("p", "g") or len(values) != (4 if ptype == "p" else 3):
        raise ValueError(
            f"a rule is 'p, role, domain, object, action' or 'g, subject, role, domain'; got {rule}"
        )
    padded = [*values, ""][:4]
    return {"ptype": ptype, "v0": padded[0], "v1": padded[1], "v2": padded[2], "v3": padded[3]}
