"""``gateway plan``: the planning core over CSV files, for batch use and cross-checking.

Commands: ``forecast``, ``segment``, ``buffers``, ``scorecard``. Input errors (missing
columns, unparseable dates, bad values) print one clear line and exit with code 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress

from planning_core import (
    DEFAULT_METHODS,
    PlanningError,
    ScorecardConfig,
    bootstrap_lead_time_demand,
    build_scorecards,
    classify_items,
    forecast_panel_parallel,
    plan_buffers,
    simulate_policy,
)
from planning_core.forecast.frames import SEASON_LENGTHS, Panel, future_dates, long_to_panel
from planning_core.segmentation import adi_cv2

plan_app = typer.Typer(help="Plan from CSV: forecasts, segments, buffers and supplier scorecards.")
_err = Console(stderr=True)
T = TypeVar("T")
PROGRESS_FROM_SERIES = 500


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=2)


@contextmanager
def _input_errors() -> Iterator[None]:
    """Turn input problems into one line on stderr and exit code 2, never a traceback."""
    try:
        yield
    except PlanningError as exc:
        raise _fail(exc.message) from None
    except FileNotFoundError as exc:
        raise _fail(f"file not found: {exc.filename}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read CSV: {exc}") from None


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


def _write(frame: pd.DataFrame, out: Path | None) -> None:
    if out is None:
        typer.echo(frame.to_csv(index=False), nl=False)
    else:
        frame.to_csv(out, index=False)
        _err.print(f"wrote {len(frame)} rows to {out}")


def _with_progress(enabled: bool, work: Callable[[Callable[[str, int, int], None] | None], T]) -> T:
    if not enabled:
        return work(None)
    with Progress(console=_err, transient=True) as bar:
        task = bar.add_task("forecasting", total=None)

        def report(name: str, index: int, total: int) -> None:
            bar.update(task, total=total, completed=index, description=f"fitting {name}")

        return work(report)


def _levels_to_quantiles(levels: list[int]) -> tuple[list[float], list[str]]:
    taus: list[float] = []
    names: list[str] = []
    for level in sorted(levels):
        if not 0 < level < 100:
            raise PlanningError(f"interval level must be between 0 and 100, got {level}")
        taus += [0.5 - level / 200, 0.5 + level / 200]
        names += [f"forecast-lo-{level}", f"forecast-hi-{level}"]
    return taus, names


@plan_app.command()
def forecast(
    demand: Path = typer.Argument(..., help="Long CSV with columns unique_id, ds, y."),
    horizon: int = typer.Option(..., "--horizon", "-h", min=1, help="Periods to forecast."),
    season_length: int | None = typer.Option(None, help="Season length; inferred if omitted."),
    level: list[int] = typer.Option([80, 95], help="Prediction interval levels (%)."),
    methods: str | None = typer.Option(None, help="Comma-separated allowed methods."),
    jobs: int = typer.Option(1, min=1, help="Worker processes (series split between them)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (stdout if omitted)."),
) -> None:
    """Forecast every series with its best method by rolling-origin backtest."""
    with _input_errors():
        panel = long_to_panel(_read(demand))
        m = season_length or SEASON_LENGTHS[panel.freq]
        taus, names = _levels_to_quantiles(level)
        allowed = tuple(x.strip() for x in methods.split(",")) if methods else None
        result = _with_progress(
            len(panel.ids) >= PROGRESS_FROM_SERIES,
            lambda report: forecast_panel_parallel(
                panel.values,
                horizon,
                n_jobs=jobs,
                season_length=m,
                quantile_levels=taus,
                progress=report,
                methods=allowed or DEFAULT_METHODS,
            ),
        )
    _write(_forecast_frame(panel, result.point, result.method, result.quantiles, names), out)


def _forecast_frame(
    panel: Panel, point: np.ndarray, method: np.ndarray, quantiles: np.ndarray, names: list[str]
) -> pd.DataFrame:
    horizon = point.shape[1]
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(panel.ids, horizon),
            "ds": future_dates(panel.last_dates, panel.freq, horizon).ravel(),
            "forecast": point.ravel(),
            "method": np.repeat(method, horizon),
        }
    )
    for index, name in enumerate(names):
        frame[name] = quantiles[:, index, :].ravel()
    return frame


@plan_app.command()
def segment(
    demand: Path = typer.Argument(..., help="Long CSV with columns unique_id, ds, y."),
    margin: Path | None = typer.Option(None, help="CSV with unique_id, unit_margin."),
    previous: Path | None = typer.Option(None, help="An earlier segment output (hysteresis)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (stdout if omitted)."),
) -> None:
    """ABC (volume, margin), XYZ, Syntetos-Boylan pattern and lifecycle, with reasons."""
    with _input_errors():
        panel = long_to_panel(_read(demand))
        unit_margin = None
        if margin is not None:
            table = _read(margin)
            if not {"unique_id", "unit_margin"} <= set(table.columns):
                raise PlanningError("margin CSV needs columns unique_id, unit_margin")
            lookup = table.set_index(table["unique_id"].astype(str))["unit_margin"]
            unit_margin = lookup.reindex(panel.ids).fillna(0.0).to_numpy(dtype=float)
        prior = _read(previous).astype({"item_id": str}) if previous is not None else None
        result = classify_items(panel.values, panel.ids, unit_margin=unit_margin, previous=prior)
    _write(result, out)


@plan_app.command()
def buffers(
    demand: Path = typer.Argument(..., help="Long CSV with columns unique_id, ds, y."),
    lead_time: float = typer.Option(..., min=0, help="Mean lead time, in periods."),
    lead_time_sd: float = typer.Option(0.0, min=0, help="Lead-time standard deviation."),
    service_level: float = typer.Option(0.95, help="Target: cycle service or fill rate."),
    measure: str = typer.Option("cycle", help="cycle (alpha) or fill_rate (beta)."),
    review_period: float = typer.Option(1.0, min=0, help="Review period R, in periods."),
    window: int = typer.Option(52, min=2, help="Recent periods used for demand statistics."),
    validate: bool = typer.Option(False, help="Monte Carlo check of the achieved service."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (stdout if omitted)."),
) -> None:
    """Safety stock, order-up-to level and expected on hand per series (periodic review).

    Intermittent series (ADI >= 1.32) get a bootstrap lead-time demand instead of a normal one.
    """
    with _input_errors():
        panel = long_to_panel(_read(demand))
        frame = _buffer_frame(
            panel, lead_time, lead_time_sd, service_level, measure, review_period, window
        )
        if validate:
            recent = panel.values[:, -window:]
            report = simulate_policy(
                frame["order_up_to"].to_numpy(),
                frame["demand_mean"].to_numpy(),
                frame["demand_sd"].to_numpy(),
                np.full(len(frame), lead_time),
                lead_time_sd,
                target=service_level,
                review_period=max(int(review_period), 1),
                history=recent,
            )
            frame["achieved_cycle_service"] = report.cycle_service
            frame["achieved_fill_rate"] = report.fill_rate
            frame["target"] = service_level
    _write(frame, out)


def _buffer_frame(
    panel: Panel,
    lead_time: float,
    lead_time_sd: float,
    service_level: float,
    measure: str,
    review_period: float,
    window: int,
) -> pd.DataFrame:
    recent = panel.values[:, -window:]
    mean = np.nanmean(recent, axis=1)
    sd = np.nan_to_num(np.nanstd(recent, axis=1, ddof=1))
    lead = np.full(len(mean), lead_time)
    policy = plan_buffers(
        mean, sd, lead, lead_time_sd, service_level, measure=measure, review_period=review_period
    )
    sparse = adi_cv2(recent)[0] >= 1.32
    frame = pd.DataFrame(
        {
            "unique_id": panel.ids,
            "method": np.where(sparse, "bootstrap", "normal"),
            "demand_mean": mean,
            "demand_sd": sd,
            "safety_stock": policy.safety_stock,
            "order_up_to": policy.order_up_to,
            "expected_on_hand": policy.expected_on_hand,
        }
    )
    if sparse.any():
        sample = _lead_time_sample(lead_time + review_period, lead_time_sd)
        level, stock = bootstrap_lead_time_demand(recent[sparse], sample, service_level)
        frame.loc[sparse, "order_up_to"] = level
        frame.loc[sparse, "safety_stock"] = stock
        frame.loc[sparse, "expected_on_hand"] = stock + mean[sparse] * review_period / 2
    return frame


def _lead_time_sample(mean: float, sd: float, size: int = 400) -> np.ndarray:
    if sd <= 0:
        return np.array([mean])
    shape, scale = (mean / sd) ** 2, sd**2 / mean
    return np.random.default_rng(0).gamma(shape, scale, size)


@plan_app.command()
def scorecard(
    po: Path = typer.Option(..., help="PO lines CSV."),
    asn: Path = typer.Option(..., help="ASN lines CSV."),
    receipts: Path = typer.Option(..., help="Receipts CSV."),
    commits: Path | None = typer.Option(None, help="Supplier forecast commits CSV."),
    freq: str = typer.Option("M", help="Scorecard period: W, M or Q."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (stdout if omitted)."),
) -> None:
    """Supplier x segment x period scorecards: OTIF, fill rate, ASN accuracy, rank, tier."""
    with _input_errors():
        commit_frame = _read(commits) if commits is not None else None
        card = build_scorecards(
            _read(po), _read(asn), _read(receipts), commit_frame, ScorecardConfig(freq=freq)
        )
    _write(card, out)
