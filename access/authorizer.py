"""The one decision point: which segments (and whose records) a principal may read or write.

Scopes are computed from Casbin once per (principal, object, action) and cached until the
policy version changes; queries then filter with ``WHERE segment_id IN (...)`` instead of
asking Casbin per row.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import casbin
from casbin.persist.adapter import Adapter

from access.errors import Forbidden
from access.principals import Principal, PrincipalKind, Scope
from access.roles import ANY

MODEL_PATH = Path(__file__).with_name("model.conf")


class RulesAdapter(Adapter):  # type: ignore[misc]
    """Hands Casbin a list of rules loaded elsewhere (in bulk, from the gateway's store)."""

    def __init__(self, rules: Iterable[Sequence[str]]) -> None:
        self._rules = [list(rule) for rule in rules]

    def load_policy(self, model: Any) -> None:
        for ptype, *values in self._rules:
            model.add_policy(ptype[0], ptype, values)


class Authorizer:
    """Casbin behind a cache of scopes, rebuilt whenever the policy version changes."""

    def __init__(self, rules: Iterable[Sequence[str]], version: int = 0) -> None:
        self._lock = threading.Lock()
        self._load(rules, version)

    def _load(self, rules: Iterable[Sequence[str]], version: int) -> None:
        enforcer = casbin.Enforcer(str(MODEL_PATH), RulesAdapter(rules))
        grants: dict[str, set[str]] = {}
        for subject, _role, domain in enforcer.get_grouping_policy():
            grants.setdefault(subject, set()).add(domain)
        with self._lock:
            self._enforcer, self._grants, self.version = enforcer, grants, version
            self._scopes: dict[tuple[str, str, str], frozenset[str] | None] = {}

    def reload(self, rules: Iterable[Sequence[str]], version: int) -> None:
        """Adopt a new policy set (called when the stored version moved on)."""
        self._load(rules, version)

    def scope(self, principal: Principal, obj: str, act: str) -> Scope:
        """The segments (None: all) and owner in which ``principal`` may ``act`` on ``obj``."""
        key = (principal.subject, obj, act)
        with self._lock:
            segments = self._scopes.get(key, ())
        if segments == ():
            segments = self._resolve(principal.subject, obj, act)
            with self._lock:
                self._scopes[key] = segments
        owner = principal.supplier_id if principal.kind is PrincipalKind.SUPPLIER else None
        return Scope(segments=segments, supplier_id=owner)  # type: ignore[arg-type]

    def _resolve(self, subject: str, obj: str, act: str) -> frozenset[str] | None:
        domains = self._grants.get(subject, set())
        if ANY in domains and self._enforcer.enforce(subject, ANY, obj, act):
            return None
        return frozenset(
            d for d in domains if d != ANY and self._enforcer.enforce(subject, d, obj, act)
        )

    def require(self, principal: Principal, obj: str, act: str) -> Scope:
        """The scope, or Forbidden when the principal may do this nowhere."""
        scope = self.scope(principal, obj, act)
        if scope.is_empty:
            raise Forbidden(f"{principal.kind.value} may not {act} {obj}")
        return scope

    def enforce(self, subject: str, domain: str, obj: str, act: str) -> bool:
        """A bare Casbin decision (for benchmarks and diagnostics)."""
        return bool(self._enforcer.enforce(subject, domain, obj, act))
