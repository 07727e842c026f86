"""Principals and segment-scoped authorization (Casbin): one decision point for every read."""

from access.authorizer import Authorizer, RulesAdapter
from access.errors import AccessError, Forbidden, NotVisible, Unauthenticated
from access.keys import NewKey, generate_key, hash_secret, parse_bearer, secret_matches
from access.principals import NOTHING, Principal, PrincipalKind, Scope
from access.roles import (
    ANY,
    READ,
    ROLE_PERMISSIONS,
    WRITE,
    global_role,
    supplier_role,
    template_rules,
)

__all__ = [
    "ANY",
    "NOTHING",
    "READ",
    "ROLE_PERMISSIONS",
    "WRITE",
    "AccessError",
    "Authorizer",
    "Forbidden",
    "NewKey",
    "NotVisible",
    "Principal",
    "PrincipalKind",
    "RulesAdapter",
    "Scope",
    "Unauthenticated",
    "generate_key",
    "global_role",
    "hash_secret",
    "parse_bearer",
    "secret_matches",
    "supplier_role",
    "template_rules",
]
