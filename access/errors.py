"""Access errors, each with a stable code and the HTTP status it maps to.

AccessError
├── Unauthenticated (401)   missing, malformed, unknown, expired or revoked key
├── Forbidden (403)         a known principal reaching for an operation it may not do
└── NotVisible (404)        a record out of scope; said as "not found" to hide existence
"""

from __future__ import annotations


class AccessError(Exception):
    """Base of every access error."""

    status = 403
    code = "access.error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.code


class Unauthenticated(AccessError):
    status = 401
    code = "access.unauthenticated"


class Forbidden(AccessError):
    status = 403
    code = "access.forbidden"


class NotVisible(AccessError):
    status = 404
    code = "access.not_found"
