"""`gateway plan` over the store, run as a real process: thresholds, proposals, recompute,
override and publish on the demo the `demo` command built (with its first recompute)."""

from __future__ import annotations

import json

from sqlalchemy import select

from gateway.store.planning_tables import ForecastCellRow
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import ItemSourceRow
from tests.e2e.test_cli import SMALL, environment, gateway
from tests.support import engine_for_tests


def test_plan_commands_over_the_demo(database_url: str) -> None:
    env = environment(database_url)
    built = gateway("demo", "--seed", "3", "--no-serve", *SMALL, env=env)
    assert built.returncode == 0, built.stderr
    assert "forecast cells" in built.stderr

    shown = gateway("plan", "thresholds", "show", env=env)
    assert shown.returncode == 0 and json.loads(shown.stdout)["version"] == "default-1"
    changed = gateway(
        "plan", "thresholds", "set", "--set", "abc_a_share=0.5", "--set", "hysteresis=0",
        "--set", "auto_apply_max_changes=0", "--note", "tighter A", "--actor", "planner:ann",
        env=env,
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert json.loads(gateway("plan", "thresholds", "show", env=env).stdout)["abc_a_share"] == 0.5
    bad = gateway("plan", "thresholds", "set", "--set", "xyz_x_cv=5", env=env)
    assert bad.returncode == 2 and "plan.invalid_thresholds" in bad.stderr

    proposed = gateway("plan", "propose", env=env)
    assert proposed.returncode == 0 and "pending" in proposed.stderr, proposed.stderr
    listed = gateway("plan", "proposals", env=env)
    assert listed.returncode == 0 and "pending" in listed.stdout
    shown = gateway("plan", "proposals", "show", "2", env=env)
    assert "abc_volume" in shown.stdout
    approved = gateway("plan", "proposals", "approve", "2", "--note", "agreed", env=env)
    assert approved.returncode == 0, approved.stderr
    again = gateway("plan", "proposals", "reject", "2", "--note", "late", env=env)
    assert again.returncode == 2 and "already approved" in again.stderr
    assert gateway("plan", "alerts", env=env).returncode == 0

    recomputed = gateway("plan", "recompute", "--horizon", "13", env=env)
    assert recomputed.returncode == 0, recomputed.stderr
    assert "run 2" in recomputed.stdout and "storing" in recomputed.stdout

    engine = engine_for_tests(database_url)
    with engine.connect() as connection:
        cell = connection.execute(
            select(ForecastCellRow.item_id, ForecastCellRow.location_id,
                   ForecastCellRow.period_start).where(ForecastCellRow.run_id == 2).limit(1)
        ).one()  # fmt: skip
        supplier = connection.execute(select(ItemSourceRow.supplier_id).limit(1)).scalar_one()
    overridden = gateway(
        "plan", "override", cell.item_id, cell.location_id, cell.period_start.isoformat(), "42",
        "--reason", "trade show", env=env,
    )  # fmt: skip
    assert overridden.returncode == 0 and "run 2: 42.0" in overridden.stderr, overridden.stderr
    published = gateway("plan", "publish", supplier, env=env)
    assert published.returncode == 0 and "830" in published.stderr, published.stderr
    with engine.connect() as connection:
        bodies = connection.execute(select(OutboxRow.body)).scalars().all()
    engine.dispose()
    assert len(bodies) == 1 and b"ST*830*" in bodies[0]
    unknown = gateway("plan", "publish", "NOPE", env=env)
    assert unknown.returncode == 2 and "plan.not_found" in unknown.stderr

    # Run 1 (the demo's) is neither among the newest nor published: it goes; run 2 stays.
    trial = gateway("plan", "prune", "--keep", "1", "--dry-run", env=env)
    assert trial.returncode == 0 and "would delete 1 run (1)" in trial.stdout, trial.stdout
    pruned = gateway("plan", "prune", "--keep", "1", env=env)
    assert pruned.returncode == 0 and "deleted 1 run (1)" in pruned.stdout, pruned.stdout
    assert "kept runs 2" in pruned.stdout
    refused = gateway("plan", "prune", "--keep", "0", env=env)
    assert refused.returncode == 2 and "plan.invalid_retention" in refused.stderr
