"""`gateway plan` over CSV files, through typer's CliRunner."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gateway.cli_plan import plan_app

runner = CliRunner()


def weekly_demand(path: Path) -> Path:
    rng = np.random.default_rng(0)
    rows = []
    for name, start, periods in (("smooth", "2024-01-07", 110), ("short", "2025-06-01", 30)):
        dates = pd.date_range(start, periods=periods, freq="W-SUN")
        values = rng.poisson(20, periods)
        rows += [
            {"unique_id": name, "ds": d.date().isoformat(), "y": v}
            for d, v in zip(dates, values, strict=True)
        ]
    sparse_dates = pd.date_range("2024-03-03", periods=80, freq="W-SUN")
    rows += [
        {"unique_id": "sparse", "ds": d.date().isoformat(), "y": (5 if i % 4 == 0 else 0)}
        for i, d in enumerate(sparse_dates)
    ]
    frame = pd.DataFrame(rows)
    target = path / "demand.csv"
    frame.to_csv(target, index=False)
    return target


def test_forecast_command_writes_long_output(tmp_path: Path) -> None:
    demand = weekly_demand(tmp_path)
    out = tmp_path / "out.csv"
    result = runner.invoke(plan_app, ["forecast", str(demand), "--horizon", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns[:4]) == ["unique_id", "ds", "forecast", "method"]
    assert {"forecast-lo-80", "forecast-hi-95"} <= set(frame.columns)
    assert len(frame) == 12 and (frame["forecast"] >= 0).all()
    ordered = frame[["forecast-lo-95", "forecast-lo-80", "forecast-hi-80", "forecast-hi-95"]]
    assert (ordered.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    short = frame[frame["unique_id"] == "short"]["ds"].tolist()
    last_short = pd.Timestamp("2025-06-01") + pd.Timedelta(weeks=29)
    assert short[0] == (last_short + pd.Timedelta(weeks=1)).date().isoformat()


def test_monthly_and_quarterly_frequencies_are_inferred(tmp_path: Path) -> None:
    for freq, step in (("MS", "months"), ("QS", "quarters")):
        dates = pd.date_range("2020-01-01", periods=24, freq=freq)
        path = tmp_path / f"{step}.csv"
        pd.DataFrame({"unique_id": "a", "ds": dates, "y": np.arange(24) % 5 + 1}).to_csv(
            path, index=False
        )
        result = runner.invoke(plan_app, ["forecast", str(path), "--horizon", "2"])
        assert result.exit_code == 0, result.output
        out = pd.read_csv(io.StringIO(result.stdout))
        expected = pd.date_range(dates[-1], periods=3, freq=freq)[1:]
        assert pd.to_datetime(out["ds"]).tolist() == expected.tolist()


def test_bad_csv_gives_exit_code_2_and_a_message(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    pd.DataFrame({"unique_id": ["a"], "y": [1]}).to_csv(missing, index=False)
    result = runner.invoke(plan_app, ["forecast", str(missing), "--horizon", "2"])
    assert result.exit_code == 2 and "missing required column(s): ds" in result.output
    dates = tmp_path / "dates.csv"
    pd.DataFrame({"unique_id": ["a", "a"], "ds": ["2026-01-01", "someday"], "y": [1, 2]}).to_csv(
        dates, index=False
    )
    result = runner.invoke(plan_app, ["forecast", str(dates), "--horizon", "2"])
    assert result.exit_code == 2 and "unparseable dates" in result.output
    result = runner.invoke(plan_app, ["forecast", str(tmp_path / "nope.csv"), "--horizon", "2"])
    assert result.exit_code == 2 and "file not found" in result.output
    assert "Traceback" not in result.output


def test_segment_and_buffers_commands(tmp_path: Path) -> None:
    demand = weekly_demand(tmp_path)
    result = runner.invoke(plan_app, ["segment", str(demand)])
    assert result.exit_code == 0, result.output
    seg = pd.read_csv(io.StringIO(result.stdout)).set_index("item_id")
    assert seg.loc["sparse", "demand_pattern"] == "intermittent"
    result = runner.invoke(plan_app, ["buffers", str(demand), "--lead-time", "2", "--validate"])
    assert result.exit_code == 0, result.output
    buf = pd.read_csv(io.StringIO(result.stdout)).set_index("unique_id")
    assert buf.loc["sparse", "method"] == "bootstrap" and buf.loc["smooth", "method"] == "normal"
    assert (buf["safety_stock"] >= 0).all() and "achieved_cycle_service" in buf.columns


def test_scorecard_command(tmp_path: Path) -> None:
    from tests.unit.planning_core.test_scorecard import ASN, PO, RECEIPTS

    for name, frame in (("po", PO), ("asn", ASN), ("rec", RECEIPTS)):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    args = ["scorecard", "--po", str(tmp_path / "po.csv"), "--asn", str(tmp_path / "asn.csv")]
    result = runner.invoke(plan_app, [*args, "--receipts", str(tmp_path / "rec.csv")])
    assert result.exit_code == 0, result.output
    assert "otif" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_frequency_inference_does_not_depend_on_the_datetime_unit(unit: str) -> None:
    from planning_core.forecast.frames import infer_frequency

    for freq, expected in (("D", "D"), ("W-MON", "W"), ("MS", "MS"), ("QS", "QS")):
        dates = pd.Series(pd.date_range("2024-01-01", periods=12, freq=freq).as_unit(unit))
        assert infer_frequency(dates) == expected
