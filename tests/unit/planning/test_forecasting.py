"""The gateway's planning glue without a database: policy masks, commits, consensus, buffers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gateway.planning.buffering import compute_buffers
from gateway.planning.forecasting import (
    StatForecast,
    allowed_methods,
    consensus_cells,
)
from gateway.planning.inputs import DemandPanel
from planning_core import DEFAULT_METHODS

WEEK = dt.date(2026, 11, 23)


def test_a_segment_policy_restricts_the_methods_of_its_series() -> None:
    policies = pd.DataFrame(
        {"forecast_methods": [["ses", "croston"], ["no_such_method"]]}, index=["FAST", "ODD"]
    )
    mask = allowed_methods(np.array(["FAST", "ODD", "NEW", "FAST"], dtype=object), policies)
    names = np.array(DEFAULT_METHODS)
    assert set(names[mask[0]]) == {"ses", "croston"} and (mask[0] == mask[3]).all()
    assert mask[1].all() and mask[2].all()  # nothing usable, unknown segment: every method


def _two_locations() -> tuple[DemandPanel, StatForecast]:
    panel = DemandPanel(
        np.array(["I1", "I1"], dtype=object), np.array(["L1", "L2"], dtype=object),
        [WEEK - dt.timedelta(weeks=1)], np.array([[3.0], [1.0]]),
    )  # fmt: skip
    point = np.array([[30.0, 30.0], [10.0, 10.0]])
    quantiles = np.repeat(point[:, None, :], 4, axis=1)
    return panel, StatForecast(
        point, quantiles, np.array(["ses", "ses"]), [WEEK, WEEK + dt.timedelta(weeks=1)]
    )


def test_commits_are_spread_over_locations_and_overrides_win() -> None:
    panel, stat = _two_locations()
    commits = pd.DataFrame(
        {"supplier_id": ["S1", "S2"], "item_id": ["I1", "I1"], "period_start": [WEEK, WEEK],
         "committed_quantity": [20.0, 12.0]}
    )  # fmt: skip
    overrides = pd.DataFrame(
        {"id": [1, 2], "item_id": ["I1", "I1"], "location_id": ["L2", "L2"],
         "period_start": [WEEK, WEEK], "quantity": [50.0, 5.0]}
    )  # fmt: skip
    cells = consensus_cells(panel, np.array(["S", "S"], dtype=object), stat, commits, overrides)
    first = cells[cells["period_start"] == WEEK].set_index("location_id")
    assert first.loc["L1", "committed"] == 24.0 and first.loc["L2", "committed"] == 8.0
    assert (first.loc["L1", "consensus"], first.loc["L1", "source"]) == (30.0, "stat")
    assert (first.loc["L2", "consensus"], first.loc["L2", "source"]) == (5.0, "override")
    assert first.loc["L1", "constrained"] == 24.0
    later = cells[cells["period_start"] != WEEK]
    assert later["committed"].isna().all() and (later["source"] == "stat").all()


def test_buffers_grow_with_the_service_level() -> None:
    rng = np.random.default_rng(1)
    history = rng.poisson(20, size=(3, 60)).astype(float)
    consensus = np.full((3, 26), 20.0)
    series = pd.DataFrame(
        {"service_level": [0.8, 0.95, 0.99], "measure": "cycle", "review_weeks": 1.0,
         "lead_time_weeks": 2.0, "lead_time_sd_weeks": 0.5, "rmse": 4.0}
    )  # fmt: skip
    out = compute_buffers(series, history, consensus)
    assert (np.diff(out["safety_stock"]) > 0).all()
    assert (out["order_up_to"] == out["reorder_point"]).all()
    assert (out["method"] == "normal").all()
