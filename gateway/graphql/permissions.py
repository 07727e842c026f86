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


class GrantedAny(BasePermission):
    """The caller holds ``act`` on one of ``objs`` (e.g. forecast, or a co-creating
    supplier's consensus_forecast)."""

    def __init__(self, objs: tuple[str, ...], act: str = "read") -> None:
        self.objs, self.act = objs, act
        self.message = f"not allowed to {act} {' or '.join(objs)} (anywhere)"
        self.error_extensions = {"code": "access.forbidden", "object": objs[0], "action": act}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return any(not isinstance(info.context.decide(o, self.act), Forbidden) for o in self.objs)


def can_any(*objs: str) -> PermissionExtension:
    """The extension for a field readable under any of ``objs``."""
    return PermissionExtension([GrantedAny(objs)], use_directives=False)


def first_scope(context: Any, *objs: str) -> Any:
    """The caller's read scope under the first of ``objs`` it holds (NOTHING if none)."""
    for obj in objs:
        decided = context.decide(obj, "read")
        if not isinstance(decided, Forbidden):
            return decided
    return context.scope(objs[0])
