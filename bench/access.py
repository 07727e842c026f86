"""Authorization cost: scope resolution (cold and warm) next to a plain Casbin enforce().

Builds 1,000 suppliers each holding a role in 10 of 40 segments (10,000 grants) plus the role
templates. The peer is pycasbin's plain Enforcer over all the rules: its build time and one
``enforce()``. Ours: reloading the Authorizer (what every process does after a policy change),
a cold scope (first request of a principal: its small enforcer, then one decision per segment
it holds) and a warm scope (cached). Then a scoped purchase-order page against the same page
unscoped, on the demo data in SQLite. Run: python bench/access.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import casbin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from access import Authorizer, Principal, PrincipalKind, RulesAdapter, Scope, template_rules
from access.authorizer import MODEL_PATH
from gateway.demo import generate_demo, load_demo
from gateway.store import make_engine, make_session_factory, upgrade
from gateway.store.queries import list_purchase_orders

ROLES = ("role:execution_only", "role:advisory", "role:co_creation")


def rules(suppliers: int = 1000, segments: int = 40, per_supplier: int = 10) -> list[list[str]]:
    rng = random.Random(1)
    grants = [
        ["g", f"supplier:S{n:04d}", rng.choice(ROLES), f"SEG{seg:02d}"]
        for n in range(suppliers)
        for seg in rng.sample(range(segments), per_supplier)
    ]
    return [["p", *rule] for rule in template_rules()] + grants


def seconds(call: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def authorization() -> None:
    policy = rules()
    people = [
        Principal(f"supplier:S{n:04d}", PrincipalKind.SUPPLIER, f"S{n:04d}") for n in range(1000)
    ]
    plain_build, plain = seconds(lambda: casbin.Enforcer(str(MODEL_PATH), RulesAdapter(policy)))
    assert isinstance(plain, casbin.Enforcer)
    bare = [
        seconds(lambda p=p: plain.enforce(p.subject, "SEG07", "purchase_order", "read"))[0]
        for p in people
    ]
    our_build, authorizer = seconds(lambda: Authorizer(policy))
    assert isinstance(authorizer, Authorizer)
    cold = [seconds(lambda p=p: authorizer.scope(p, "purchase_order", "read"))[0] for p in people]
    warm = [seconds(lambda p=p: authorizer.scope(p, "purchase_order", "read"))[0] for p in people]
    print(f"{len(policy):,} rules (1,000 suppliers x 10 of 40 segments, plus role templates)")
    print(f"peer  plain Enforcer build over all rules   {plain_build * 1000:9.1f} ms")
    print(f"ours  Authorizer (re)load after a change    {our_build * 1000:9.1f} ms")
    print(f"peer  plain enforce(), one segment          {median_ms(bare):9.3f} ms median")
    print(f"ours  scope, cold (all of a caller's segs)  {median_ms(cold):9.3f} ms median")
    print(f"ours  scope, warm (cached until a change)   {median_ms(warm):9.3f} ms median")
    print(f"ratio plain enforce / warm scope            {median_ms(bare) / median_ms(warm):9.1f}x")
    print(f"ratio plain build / our reload              {plain_build / our_build:9.1f}x")


def scoped_queries() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        load_demo(sessions, generate_demo(7, as_of=dt.date(2026, 11, 20)), lambda *_: None)
        cases = (
            ("unscoped (admin)", Scope(segments=None)),
            ("scoped to 2 segments", Scope(segments=frozenset({"FAST", "SEAS"}))),
        )
        for label, scope in cases:
            with sessions() as session:
                samples = [
                    seconds(lambda s=session, sc=scope: list_purchase_orders(s, sc, limit=50))[0]
                    for _ in range(20)
                ]
            print(f"purchase-order page of 50, {label:<22} {median_ms(samples):9.1f} ms median")
        engine.dispose()


if __name__ == "__main__":
    authorization()
    scoped_queries()
