"""API keys: generated once, shown once, stored only as a hash.

A key reads ``gw_<key id>_<secret>``. The key id is public and indexes the stored record; the
secret (32 random bytes) is never stored, only its SHA-256. A slow password hash buys nothing
for secrets this long, and a fast one keeps every request cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from access.errors import Unauthenticated

PREFIX = "gw"
_KEY = re.compile(r"^gw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewKey:
    key_id: str
    secret_hash: str
    token: str  # shown to the user once, never stored


def generate_key() -> NewKey:
    """A fresh key: its public id, the hash to store, and the token to hand over once."""
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    return NewKey(key_id, hash_secret(secret), f"{PREFIX}_{key_id}_{secret}")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_bearer(header: str | None) -> tuple[str, str]:
    """Split ``Authorization: Bearer gw_<id>_<secret>`` into key id and secret."""
    if not header:
        raise Unauthenticated(
            "missing Authorization header: send 'Bearer <api key>'", "access.key_missing"
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "the Authorization header must be 'Bearer <api key>'", "access.key_malformed"
        )
    match = _KEY.match(token.strip())
    if match is None:
        raise Unauthenticated("the API key is malformed", "access.key_malformed")
    return match.group(1), match.group(2)


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)
