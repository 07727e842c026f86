"""Field permissions: the caller's grant for an object and action, as REST decides it.

Used through ``PermissionExtension`` (the ``permission_classes`` form is deprecated). A field
the caller may not read answers a GraphQL error with the access code; the loaders below it
apply the same scope in SQL, so the permission is the message and the SQL is the fence.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from access import Forbidden


class Granted(BasePermission):
    """The caller holds ``act`` on ``obj`` somewhere (its scope may still be narrow)."""

    def __init__(self, obj: str, act: str = "read", *, global_only: bool = False) -> None:
        self.obj, self.act, self.global_only = obj, act, global_only
        reach = "everywhere" if global_only else "anywhere"
        self.message = f"not allowed to {act} {obj} ({reach})"
        self.error_extensions = {"code": "access.forbidden", "object": obj, "action": act}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        decided = info.context.decide(self.obj, self.act)
        if isinstance(decided, Forbidden):
            return False
        return not (self.global_only and decided.segments is not None)


def can(obj: str, act: str = "read", *, global_only: bool = False) -> PermissionExtension:
    """The extension for a field that needs ``act`` on ``obj``."""
    return PermissionExtension([Granted(obj, act, global_only=global_only)], use_directives=False)


def can_quietly(obj: str, act: str = "read") -> PermissionExtension:
    """For an optional nested field: out of reach reads as null or an empty list."""
    return PermissionExtension([Granted(obj, act)], use_directives=False, fail_silently=True)
