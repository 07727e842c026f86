"""What bench/load.py saw, and how it prints it: latencies and errors per load class, memory
and CPU per process, the memory verdict."""

from __future__ import annotations

import argparse
import os
import statistics
from collections import Counter
from dataclasses import dataclass, field

from bench.load_fleet import Fleet
from bench.load_world import Mix


@dataclass
class ClassStats:
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    since_sample: int = 0

    def quantile_ms(self, q: float) -> float:
        if not self.latencies_s:
            return float("nan")
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


@dataclass
class Run:
    """What the clients and the sampler saw."""

    classes: list[str]
    stats: dict[str, ClassStats] = field(default_factory=dict)
    error_samples: Counter[str] = field(default_factory=Counter)
    memory: list[tuple[float, dict[str, float]]] = field(default_factory=list)  # (s, name->MB)
    cpu_s: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (first, last)
    load_average: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.stats = {name: ClassStats() for name in self.classes}

    def record(self, load_class: str, elapsed_s: float, problem: str | None) -> None:
        stats = self.stats[load_class]
        stats.latencies_s.append(elapsed_s)
        stats.since_sample += 1
        if problem is not None:
            stats.errors += 1
            self.error_samples[f"{load_class}: {problem[:160]}"] += 1

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.stats.values())


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(points) < 3:
        return float("nan")
    return statistics.linear_regression([t for t, _ in points], [mb for _, mb in points]).slope * 60


@dataclass
class Memory:
    name: str
    minute_1_mb: float
    end_mb: float
    slope: float  # MB/min over the second half


def memory_trends(run: Run) -> list[Memory]:
    samples = run.memory
    first = next((s for s in samples if s[0] >= 60), samples[0])
    half = [s for s in samples if s[0] >= run.seconds / 2]
    names = [n for n in samples[-1][1] if n in first[1]]
    return [
        Memory(
            name,
            first[1][name],
            samples[-1][1][name],
            slope_mb_per_min([(t, rss[name]) for t, rss in half if name in rss]),
        )
        for name in names
    ]


def report(
    args: argparse.Namespace,
    run: Run,
    top: tuple[float, float, float],
    mix: Mix,
    seen: dict[str, int],
    store: dict[str, dict[str, int]],
    log_errors: list[str],
    fleet: Fleet,
) -> bool:
    """Print the figures; True when there were no errors, no lost deliveries, no leak."""
    print(
        f"\n{args.minutes:g} min mixed load, {args.concurrency} clients, {fleet.describe()}, "
        f"{fleet.backend}; {os.cpu_count()} cores, load average during the run "
        f"{min(run.load_average, default=0):.1f}-{max(run.load_average, default=0):.1f} "
        "(a shared machine: figures are under that load)"
    )
    print(f"{'class':<16} {'count':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    total = ClassStats()
    for name, stats in run.stats.items():
        total.latencies_s += stats.latencies_s
        total.errors += stats.errors
        print(
            f"{name:<16} {len(stats.latencies_s):8d} {len(stats.latencies_s) / run.seconds:8.1f} "
            f"{stats.quantile_ms(0.5):8.1f} {stats.quantile_ms(0.99):8.1f} {stats.errors:7d}"
        )
    n = len(total.latencies_s)
    print(
        f"{'all':<16} {n:8d} {n / run.seconds:8.1f} {total.quantile_ms(0.5):8.1f} "
        f"{total.quantile_ms(0.99):8.1f} {total.errors:7d}"
    )
    print(
        f"{'ceiling /healthz':<16} {'':>8} {top[0]:8.1f} {top[1]:8.1f} {top[2]:8.1f}   "
        "(same clients and servers, before the mix)"
    )
    for sample, count in run.error_samples.most_common(5):
        print(f"  error x{count}: {sample}")
    expected = set(mix.published)
    missing = expected - set(seen)
    unknown = set(seen) - expected
    duplicates = sum(seen[i] - 1 for i in expected & set(seen))
    print(
        f"deliveries: {len(expected)} published, {len(expected & set(seen))} at the partner, "
        f"{len(missing)} missing, {len(unknown)} unknown, {duplicates} duplicate requests"
    )
    print(
        f"orders: {len(mix.open_orders)} left unshipped; {mix.unshipped_fallbacks} ship notices "
        "went to a demo order (no order was open)"
    )
    for table, counts in store.items():
        print(f"{table}: {counts}")
    print(f"errors in the processes' logs: {len(log_errors)}")
    for line in log_errors[:5]:
        print(f"  {line}")
    trends = memory_trends(run)
    print(
        f"{'process':<14} {'RSS MB at 1 min':>15} {'at the end':>10} {'MB/min, 2nd half':>17} "
        f"{'CPU s':>7}"
    )
    growing = []
    for m in trends:
        first, last = run.cpu_s.get(m.name, (0.0, 0.0))
        print(
            f"{m.name:<14} {m.minute_1_mb:15.1f} {m.end_mb:10.1f} {m.slope:17.2f} "
            f"{last - first:7.0f}"
        )
        if m.slope > args.leak_mb_per_min and not m.name.startswith("sink"):
            growing.append(m.name)
    verdict = f"growing: {', '.join(growing)}" if growing else "flat"
    print(
        f"memory: {verdict} (growing = a slope over {args.leak_mb_per_min:g} MB/min in the "
        f"second half; {len(run.memory)} samples)"
    )
    quality = store["quality checks"]
    return not (
        total.errors or missing or unknown or log_errors or growing or quality["set aside (failed)"]
    )
