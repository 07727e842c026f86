"""Authorization cost: scope resolution (cold and warm) next to a bare Casbin enforce().

Builds 1,000 suppliers each holding a role in 10 of 40 segments (10,000 grants) plus the role
templates, then measures per call: a bare ``enforce()``, a cold scope (first time for a
principal: one enforce per segment it holds) and a warm scope (cached). Then the cost of a
scoped purchase-order list against the same list unscoped, on the demo data in SQLite.
Run: python bench/access.py
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from access import Authorizer, Principal, PrincipalKind, Scope, template_rules
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


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.3f} ms"


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def authorization() -> None:
    policy = rules()
    start = time.perf_counter()
    authorizer = Authorizer(policy)
    built = time.perf_counter() - start
    people = [
        Principal(f"supplier:S{n:04d}", PrincipalKind.SUPPLIER, f"S{n:04d}") for n in range(1000)
    ]
    bare = [
        timed(lambda p=p: authorizer.enforce(p.subject, "SEG07", "purchase_order", "read"))
        for p in people
    ]
    cold = [timed(lambda p=p: authorizer.scope(p, "purchase_order", "read")) for p in people]
    warm = [timed(lambda p=p: authorizer.scope(p, "purchase_order", "read")) for p in people]
    print(f"{len(policy):,} rules; Authorizer built in {built * 1000:.0f} ms")
    print(f"peer  bare Casbin enforce() (one segment)      {median_ms(bare)}  median")
    print(f"ours  scope, cold (every segment of a caller)  {median_ms(cold)}  median")
    print(f"ours  scope, warm (cached until policy change) {median_ms(warm)}  median")
    ratio = statistics.median(bare) / statistics.median(warm)
    print(f"ratio bare enforce / warm scope                {ratio:8.1f}x")


def scoped_queries() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        load_demo(sessions, generate_demo(7, as_of=dt.date(2026, 11, 20)), lambda *_: None)
        scoped = Scope(segments=frozenset({"FAST", "SEAS"}))
        everything = Scope(segments=None)
        for label, scope in (("unscoped (admin)", everything), ("scoped to 2 segments", scoped)):
            with sessions() as session:
                samples = [
                    timed(lambda s=session, sc=scope: list_purchase_orders(s, sc, limit=50))
                    for _ in range(20)
                ]
            print(f"purchase-order page of 50, {label:<22} {median_ms(samples)}  median")
        engine.dispose()


if __name__ == "__main__":
    authorization()
    scoped_queries()
