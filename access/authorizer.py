"""The one decision point: which segments (and whose records) a principal may read or write.

Scopes are computed from Casbin once per (principal, object, action) and cached until the
policy version changes; queries then filter with ``WHERE segment_id IN (...)`` instead of
asking Casbin per row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import casbin
from casbin.persist.adapter import Adapter

from access.errors import Forbidden
from access.principals import Principal, PrincipalKind, Scope
from access.roles import ANY

MODEL_PATH = Path(__file__).with_name("model.conf")
ROLE_PREFIX = "role:"


class RulesAdapter(Adapter):  # type: ignore[misc]
    """Hands Casbin a list of rules loaded elsewhere (in bulk, from the gateway's store)."""

    def __init__(self, rules: Iterable[Sequence[str]]) -> None:
        self._rules = [list(rule) for rule in rules]

    def load_policy(self, model: Any) -> None:
        for ptype, *values in self._rules:
            model.add_policy(ptype[0], ptype, values)


class Authorizer:
    """Casbin decisions per principal, behind a cache of scopes, reset on policy change.

    A principal's decisions depend only on the role templates (``p``), the role hierarchy
    (``g`` rules whose subject is a role) and its own grants. So instead of one enforcer over
    every rule, which Casbin needs seconds to build at 10,000 rules, each principal gets a small
    enforcer over just those, built on first use (a few ms) and kept until the policy changes.
    """

    MAX_ENFORCERS = 10_000

    def __init__(self, rules: Iterable[Sequence[str]], version: int = 0) -> None:
        self._lock = threading.Lock()
        self._load(rules, version)

    def _load(self, rules: Iterable[Sequence[str]], version: int) -> None:
        shared: list[list[str]] = []
        grants: dict[str, list[list[str]]] = {}
        for rule in rules:
            ptype, subject = rule[0], rule[1]
            if ptype == "p" or subject.startswith(ROLE_PREFIX):
                shared.append(list(rule))
            else:
                grants.setdefault(subject, []).append(list(rule))
        with self._lock:
            self._shared, self._grants, self.version = shared, grants, version
            self._enforcers: OrderedDict[str, casbin.Enforcer] = OrderedDict()
            self._scopes: dict[tuple[str, str, str], frozenset[str] | None] = {}

    def reload(self, rules: Iterable[Sequence[str]], version: int) -> None:
        """Adopt a new policy set (called when the stored version moved on)."""
        self._load(rules, version)

    def scope(self, principal: Principal, obj: str, act: str) -> Scope:
        """The segments (None: all) and owner in which ``principal`` may ``act`` on ``obj``."""
        key = (principal.subject, obj, act)
        with self._lock:
            cached = key in self._scopes
            segments = self._scopes.get(key)
        if not cached:
            segments = self._resolve(principal.subject, obj, act)
            with self._lock:
                self._scopes[key] = segments
        owner = principal.supplier_id if principal.kind is PrincipalKind.SUPPLIER else None
        return Scope(segments=segments, supplier_id=owner)

    def _resolve(self, subject: str, obj: str, act: str) -> frozenset[str] | None:
        domains = {rule[3] for rule in self._grants.get(subject, [])}
        if not domains:
            return frozenset()
        enforcer = self._enforcer(subject)
        if ANY in domains and enforcer.enforce(subject, ANY, obj, act):
            return None
        return frozenset(d for d in domains if d != ANY and enforcer.enforce(subject, d, obj, act))

    def _enforcer(self, subject: str) -> casbin.Enforcer:
        with self._lock:
            enforcer = self._enforcers.get(subject)
            if enforcer is not None:
                self._enforcers.move_to_end(subject)
                return enforcer
            rules = self._shared + self._grants.get(subject, [])
        enforcer = casbin.Enforcer(str(MODEL_PATH), RulesAdapter(rules))
        with self._lock:
            self._enforcers[subject] = enforcer
            if len(self._enforcers) > self.MAX_ENFORCERS:
                self._enforcers.popitem(last=False)
        return enforcer

    def require(self, principal: Principal, obj: str, act: str) -> Scope:
        """The scope, or Forbidden when the principal may do this nowhere."""
        scope = self.scope(principal, obj, act)
        if scope.is_empty:
            raise Forbidden(f"{principal.kind.value} may not {act} {obj}")
        return scope

    def enforce(self, subject: str, domain: str, obj: str, act: str) -> bool:
        """One Casbin decision for a subject in a domain."""
        return bool(self._enforcer(subject).enforce(subject, domain, obj, act))
