"""Weekly demand for every stocked item-location at once: trend, season, promotions, gaps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gateway.demo.catalog import Catalog
from gateway.model import LifecycleStage


@dataclass(frozen=True)
class DemandMatrix:
    """Demand as series x weeks, with the promotion weeks that drove part of it."""

    series: list[tuple[str, str]]  # (item id, location id) per row
    quantity: np.ndarray  # int64, series x weeks, never negative
    promoted: np.ndarray  # bool, series x weeks


def simulate_demand(rng: np.random.Generator, catalog: Catalog, weeks: int) -> DemandMatrix:
    """Draw demand for every (item, location) row in one set of array operations.

    Level is lognormal per series; a damped trend, a yearly cycle with a random phase and
    promotion uplifts multiply it; Poisson noise with gamma-mixed rates (a negative binomial)
    gives realistic over-dispersion; intermittent segments zero out most weeks.
    """
    items = {item.id: item for item in catalog.items}
    rows = catalog.item_locations
    profiles = [catalog.profiles[items[item_id].segment_id] for item_id, _ in rows]
    n = len(rows)
    t = np.arange(weeks)

    mean, sigma = np.array([p.level for p in profiles]).T
    level = np.exp(rng.normal(mean, sigma))
    trend = rng.normal(0.0, 0.002, size=n)
    season_amp = np.array([p.seasonality for p in profiles]) * rng.uniform(0.6, 1.2, size=n)
    phase = rng.uniform(0, 2 * np.pi, size=n)
    shape = np.exp(np.outer(trend, t)) * (
        1 + season_amp[:, None] * np.sin(2 * np.pi * t[None, :] / 52.0 + phase[:, None])
    )
    shape *= _lifecycle_curves(rng, [items[i].lifecycle_stage for i, _ in rows], weeks)

    promo_rate = np.array([p.promotions for p in profiles]) / 52.0
    promoted = rng.random((n, weeks)) < promo_rate[:, None]
    uplift = np.where(promoted, rng.uniform(1.5, 3.0, size=(n, weeks)), 1.0)

    rate = level[:, None] * np.clip(shape, 0.0, None) * uplift
    # Gamma-mixed Poisson: dispersion k=4 keeps CV above Poisson's for realistic noise.
    rate = rng.gamma(4.0, rate / 4.0)
    occurrence = np.array([p.occurrence for p in profiles])
    occurs = rng.random((n, weeks)) < occurrence[:, None]
    # Intermittent weeks with demand carry larger orders (a few units at a time, lumpy).
    lumpy = np.where(occurrence[:, None] < 0.5, rng.lognormal(0.7, 0.6, size=(n, weeks)), 1.0)
    quantity = np.where(occurs, rng.poisson(rate * lumpy), 0).astype(np.int64)
    return DemandMatrix(series=list(rows), quantity=quantity, promoted=promoted & occurs)


def _lifecycle_curves(
    rng: np.random.Generator, stages: list[LifecycleStage], weeks: int
) -> np.ndarray:
    """Launch ramps for new items, run-downs for end-of-life ones, flat otherwise."""
    t = np.arange(weeks)[None, :]
    stage = np.array([s.value for s in stages])[:, None]
    n = len(stages)
    launch = rng.integers(int(weeks * 0.55), int(weeks * 0.9), size=n)[:, None]
    ramp = 1.0 / (1.0 + np.exp(-(t - launch - 6) / 3.0))
    ramp = np.where(t < launch, 0.0, ramp)
    fade_start = rng.integers(int(weeks * 0.3), int(weeks * 0.7), size=n)[:, None]
    fade = np.where(t < fade_start, 1.0, np.exp(-(t - fade_start) / 20.0))
    return np.where(
        stage == LifecycleStage.INTRODUCTION.value,
        ramp,
        np.where(stage == LifecycleStage.END_OF_LIFE.value, fade, 1.0),
    )
