# ruff: noqa: RUF002
"""Consensus forecast, forecast value added, accuracy against target, variance exceptions.

Input frame (long, one row per item and period): ``item_id, segment_id, period, stat`` and
optional ``commit`` (supplier forecast commit: what it can supply), ``override`` (planner
quantity) with ``override_reason``, ``actual`` (demand once known), ``naive`` (a naive
forecast, the FVA baseline).

Consensus (documented combination): the planner override where one exists — the planner
owns the demand number and states why; otherwise the statistical forecast blended with the
supplier commit, (1 − w)·stat + w·commit, w = ``commit_weight`` per segment (default 0: the
commit informs supply, not demand); without a commit, the statistical forecast.
``constrained`` = min(consensus, commit) is the plan the supplier can meet.

Forecast value added (Gilliland, *The Business Forecasting Deal*, 2010): for each step the
reduction in WAPE against the step before it — stat vs naive, blend vs stat, consensus
(override) vs blend; positive means the input improved accuracy.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from planning_core.errors import MissingColumnsError

__all__ = ["consensus_forecast", "forecast_exceptions", "forecast_value_added"]

REQUIRED = ("item_id", "segment_id", "period", "stat")


def _check(frame: pd.DataFrame) -> pd.DataFrame:
    missing = set(REQUIRED) - set(frame.columns)
    if missing:
        raise MissingColumnsError("forecast inputs", missing)
    result = frame.copy()
    for column in ("commit", "override", "actual", "naive"):
        if column not in result.columns:
            result[column] = np.nan
    return result


def consensus_forecast(
    frame: pd.DataFrame, commit_weight: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Add ``blend``, ``consensus``, ``constrained`` and ``source`` columns (see module doc)."""
    f = _check(frame)
    weights = f["segment_id"].map(lambda s: (commit_weight or {}).get(s, 0.0)).astype(float)
    has_commit = f["commit"].notna()
    f["blend"] = np.where(has_commit, (1 - weights) * f["stat"] + weights * f["commit"], f["stat"])
    has_override = f["override"].notna()
    f["consensus"] = np.where(has_override, f["override"], f["blend"]).clip(min=0)
    f["constrained"] = np.where(has_commit, np.minimum(f["consensus"], f["commit"]), f["consensus"])
    f["source"] = np.where(
        has_override, "override", np.where(has_commit & (weights > 0), "blend", "stat")
    )
    return f


def _wape(frame: pd.DataFrame, column: str) -> pd.Series:
    known = frame.dropna(subset=["actual", column])
    error = (known["actual"] - known[column]).abs().groupby(known["segment_id"]).sum()
    volume = known["actual"].abs().groupby(known["segment_id"]).sum()
    return error / volume.where(volume > 0)


def forecast_value_added(
    frame: pd.DataFrame, accuracy_target: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Per segment: WAPE, bias of each input, FVA per step, accuracy (1 − WAPE) vs target."""
    f = consensus_forecast(frame) if "consensus" not in frame.columns else _check(frame)
    steps = ["naive", "stat", "blend", "consensus"]
    table = pd.DataFrame({f"wape_{s}": _wape(f, s) for s in steps})
    for before, after in itertools.pairwise(steps):
        table[f"fva_{after}"] = table[f"wape_{before}"] - table[f"wape_{after}"]
    known = f.dropna(subset=["actual"])
    sums = known.groupby("segment_id")[["consensus", "actual"]].sum()
    table["bias_consensus"] = (sums["consensus"] - sums["actual"]) / sums["actual"].where(
        sums["actual"] > 0
    )
    table["accuracy"] = 1 - table["wape_consensus"]
    targets = accuracy_target or {}
    table["accuracy_target"] = [targets.get(s, np.nan) for s in table.index]
    table["meets_target"] = ~(table["accuracy"] < table["accuracy_target"])
    return table.reset_index(names="segment_id")


def forecast_exceptions(
    frame: pd.DataFrame, thresholds: Mapping[str, float], default: float = 0.25
) -> list[dict[str, object]]:
    """Records where |x − consensus| / consensus exceeds the segment threshold, for x in stat
    and commit: ``item_id, segment_id, period, kind, value, consensus, variance, threshold``."""
    f = consensus_forecast(frame) if "consensus" not in frame.columns else _check(frame)
    limit = f["segment_id"].map(lambda s: thresholds.get(s, default)).astype(float)
    records: list[dict[str, object]] = []
    for kind in ("stat", "commit"):
        with np.errstate(all="ignore"):
            gap = (f[kind] - f["consensus"]).abs() / f["consensus"].where(f["consensus"] > 0)
        gap = gap.where(f["consensus"] > 0, np.where(f[kind] > 0, np.inf, 0.0))
        hit = f[kind].notna() & (gap > limit)
        found = f.loc[hit, ["item_id", "segment_id", "period", kind, "consensus"]]
        found = found.rename(columns={kind: "value"}).assign(
            kind=f"{kind}_vs_consensus", variance=gap[hit], threshold=limit[hit]
        )
        columns = ["item_id", "segment_id", "period", "kind", "value", "consensus", "variance"]
        for record in found[[*columns, "threshold"]].to_dict("records"):
            records.append({str(key): value for key, value in record.items()})
    return records
