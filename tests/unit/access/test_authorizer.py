"""The access core without a database: scopes, role templates, key parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access import (
    Authorizer,
    Forbidden,
    Principal,
    PrincipalKind,
    Unauthenticated,
    generate_key,
    parse_bearer,
    secret_matches,
    template_rules,
)

TEMPLATES = [["p", *rule] for rule in template_rules()]
SUPPLIER = Principal("supplier:S1", PrincipalKind.SUPPLIER, "S1")
PLANNER = Principal("planner:ann", PrincipalKind.PLANNER)
ADMIN = Principal("admin:root", PrincipalKind.ADMIN)


def authorizer(*grants: list[str]) -> Authorizer:
    return Authorizer([*TEMPLATES, *grants])


def test_a_supplier_reads_in_every_segment_it_serves_and_only_its_own_records() -> None:
    auth = authorizer(
        ["g", "supplier:S1", "role:execution_only", "FAST"],
        ["g", "supplier:S1", "role:advisory", "SEAS"],
    )
    scope = auth.scope(SUPPLIER, "purchase_order", "read")
    assert scope.segments == {"FAST", "SEAS"} and scope.supplier_id == "S1"
    assert auth.scope(SUPPLIER, "forecast_commit", "write").segments == {"SEAS"}


def test_nothing_granted_is_an_empty_scope_and_a_forbidden_requirement() -> None:
    auth = authorizer(["g", "supplier:S1", "role:execution_only", "FAST"])
    assert auth.scope(SUPPLIER, "receipt", "write").is_empty
    with pytest.raises(Forbidden, match="may not write receipt"):
        auth.require(SUPPLIER, "receipt", "write")
    assert auth.scope(PLANNER, "purchase_order", "read").is_empty  # no grant at all


def test_admins_hold_every_segment() -> None:
    auth = authorizer(["g", "admin:root", "role:admin", "*"])
    assert auth.scope(ADMIN, "policy", "write").segments is None


def test_planners_never_reach_administration() -> None:
    auth = authorizer(["g", "planner:ann", "role:planner", "FAST"])
    assert auth.scope(PLANNER, "purchase_order", "read").segments == {"FAST"}
    for obj in ("policy", "key", "audit", "principal"):
        assert auth.scope(PLANNER, obj, "read").is_empty


def test_role_inheritance_rules_apply_to_every_principal() -> None:
    # Casbin links roles per domain: the inheritance holds in the segment it names.
    auth = authorizer(
        ["g", "role:execution_only", "role:co_creation", "FAST"],
        ["g", "supplier:S1", "role:execution_only", "FAST"],
    )
    assert auth.scope(SUPPLIER, "capacity_commit", "write").segments == {"FAST"}


def test_reload_forgets_cached_scopes() -> None:
    auth = authorizer(["g", "supplier:S1", "role:execution_only", "FAST"])
    assert auth.scope(SUPPLIER, "purchase_order", "read").segments == {"FAST"}
    auth.reload([*TEMPLATES, ["g", "supplier:S1", "role:execution_only", "SEAS"]], version=2)
    assert auth.scope(SUPPLIER, "purchase_order", "read").segments == {"SEAS"}
    assert auth.version == 2


@given(st.permutations(["FAST", "SEAS", "SPARE", "NPI", "EOL"]))
def test_scope_does_not_depend_on_rule_order(segments: list[str]) -> None:
    grants = [["g", "supplier:S1", "role:advisory", seg] for seg in segments]
    assert authorizer(*grants).scope(SUPPLIER, "forecast_commit", "write").segments == set(segments)


def test_keys_round_trip_and_only_the_hash_is_needed() -> None:
    key = generate_key()
    key_id, secret = parse_bearer(f"Bearer {key.token}")
    assert key_id == key.key_id and secret_matches(secret, key.secret_hash)
    assert key.token.split("_")[-1] not in key.secret_hash
    assert not secret_matches(secret + "x", key.secret_hash)


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "access.key_missing"),
        ("", "access.key_missing"),
        ("Token abc", "access.key_malformed"),
        ("Bearer ", "access.key_malformed"),
        ("Bearer gw_short_x", "access.key_malformed"),
    ],
)
def test_bad_authorization_headers_say_why(header: str | None, code: str) -> None:
    with pytest.raises(Unauthenticated) as caught:
        parse_bearer(header)
    assert caught.value.code == code and caught.value.status == 401
