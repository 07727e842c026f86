"""X12 benchmark: ``python bench/edi.py [--big] [--quick] [--repeat N] [--cpu]``.

In one run, on a generated 50,000-segment 850 interchange and a mixed 850/856/830 file:
the naive ``split`` ceiling (segments and elements, no checks), pyx12's reader, pyx12's
validation (with a 997) running our guides, and this project's validating parse to canonical
documents. Then a memory check: peak RSS while streaming a 10 MB and a 40 MB file (200 MB
with ``--big``) through ``iter_results`` in a fresh process, to show it stays flat.

On a shared machine, ``--repeat N`` runs every comparison N times and prints the medians of
the rates and of the ratios (each ratio from one run, so both sides saw the same load).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.edi import AckOptions, SetResult, iter_results

ISA = (
    "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUPPLIER       *260301*1015*U*"
    "00401*{icn:09d}*0*P*>~\n"
)


def _po(n: int, lines: int) -> list[str]:
    body = [
        f"BEG*00*SA*PO{n:07d}**20260301",
        "CUR*BY*USD",
        "REF*DP*038",
        "N1*ST*DC EAST*92*0001",
        "N3*1 MAIN ST",
        "N4*SOLON*OH*44139",
    ]
    for line in range(1, lines + 1):
        body += [
            f"PO1*{line}*{line * 3}*EA*9.25**BP*B-{line}*VP*V-{n % 97}-{line}",
            f"PID*F****WIDGET {line}",
            "DTM*002*20260315",
        ]
    return [*body, f"CTT*{lines}"]


def _asn(n: int, items: int) -> list[str]:
    body = [
        f"BSN*00*SH{n:07d}*20260302*1200*0001",
        "HL*1**S",
        "TD5**2*UPSN",
        f"REF*BM*BOL{n}",
        "DTM*011*20260302",
        "N1*SF*ACME*92*V01",
        "HL*2*1*O",
        f"PRF*PO{n:07d}",
        "HL*3*2*P",
        f"MAN*GM*{n:020d}",
    ]
    for item in range(items):
        body += [f"HL*{4 + item}*3*I", f"LIN*{item + 1}*BP*B-{item}", f"SN1**{item + 1}*EA"]
    return [*body, f"CTT*{3 + items}"]


def _schedule(n: int, lines: int) -> list[str]:
    body = [f"BFR*00*S{n:07d}**DL*A*20260302*20260531*20260301", "N1*BY*BUYER*92*B01"]
    for line in range(lines):
        body += [f"LIN**BP*B-{line}", "UIT*EA", "ATH*FI*20260315*120**20260101", "SDP*Y*Y"]
        body += [f"FST*{10 + week}*D*W*202603{week + 2:02d}" for week in range(4)]
        body += ["SHP*02*1250*011*20260228"]
    return [*body, f"CTT*{lines}"]


def _group(fic: str, set_id: str, bodies: Iterator[list[str]], gcn: int) -> Iterator[str]:
    count = 0
    yield f"GS*{fic}*BUYER*SUPPLIER*20260301*1015*{gcn}*X*004010~\n"
    for count, body in enumerate(bodies, 1):
        yield f"ST*{set_id}*{count:04d}~\n"
        yield "".join(f"{seg}~\n" for seg in body)
        yield f"SE*{len(body) + 2}*{count:04d}~\n"
    yield f"GE*{count}*{gcn}~\n"


def purchase_orders(segments: int) -> str:
    per_set = len(_po(0, 100)) + 2
    sets = max(1, (segments - 4) // per_set)
    parts = [
        ISA.format(icn=1),
        *_group("PO", "850", (_po(n, 100) for n in range(sets)), 1),
        "IEA*1*000000001~\n",
    ]
    return "".join(parts)


def mixed(sets_each: int) -> str:
    parts = [ISA.format(icn=2)]
    parts += _group("PO", "850", (_po(n, 20) for n in range(sets_each)), 1)
    parts += _group("SH", "856", (_asn(n, 20) for n in range(sets_each)), 2)
    parts += _group("PS", "830", (_schedule(n, 5) for n in range(sets_each)), 3)
    parts.append("IEA*3*000000002~\n")
    return "".join(parts)


# wall-clock time by default; --cpu measures this process's CPU time instead, which other
# busy processes on a shared machine disturb much less (both sides of a ratio alike)
CLOCK: Callable[[], float] = time.perf_counter


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = CLOCK()
        work()
        best = min(best, CLOCK() - start)
    return best


def naive_split(data: bytes) -> int:
    text = data.decode("utf-8")
    count = 0
    for segment in text.split("~"):
        segment.strip().split("*")
        count += 1
    return count


def pyx12_read(data: bytes) -> int:
    import pyx12.x12file

    return sum(1 for _ in pyx12.x12file.X12Reader(io.StringIO(data.decode("ascii"))))


def pyx12_validate(data: bytes, map_dir: Path) -> bool:
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    ack = io.StringIO()
    ok: bool = pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(data.decode("ascii")), ack, None, map_path=str(map_dir)
    )
    return ok


def ours(data: bytes) -> tuple[int, int]:
    accepted = rejected = 0
    for result in iter_results(data):
        if isinstance(result, SetResult):
            accepted += result.accepted
            rejected += not result.accepted
    return accepted, rejected


OURS = "ours: validate + canonical + 997"
PYX12 = "pyx12 validation + 997 (our guides)"
SPLIT = "naive split ceiling"


def run_file(name: str, data: bytes, map_dir: Path, quick: bool) -> dict[str, float]:
    """Measure every contender on ``data`` in this run; print and return the rates."""
    segments = naive_split(data) - 1
    print(f"\n{name}: {segments:,} segments, {len(data) / 1e6:.1f} MB")
    rates: dict[str, float] = {}
    rates[SPLIT] = segments / best_of(3, lambda: naive_split(data))
    rates["pyx12 reader"] = segments / best_of(1, lambda: pyx12_read(data))
    sample = data
    if quick:  # pyx12's validation is slow: measure it on the first ~5,000 segments
        sample = _head(data, 5000)
    sample_segments = naive_split(sample) - 1
    rates[PYX12] = sample_segments / best_of(1, lambda: pyx12_validate(sample, map_dir))
    accepted, rejected = ours(data)
    rates[OURS] = segments / best_of(3, lambda: ours(data))
    for label, rate in rates.items():
        print(f"  {label:<38} {rate:>12,.0f} segments/s")
    print(f"  sets accepted/rejected by us: {accepted}/{rejected}")
    _print_ratios(rates)
    return rates


def _print_ratios(rates: dict[str, float], indent: str = "  ") -> None:
    mine = rates[OURS]
    print(f"{indent}ours / naive split ceiling : {mine / rates[SPLIT]:.3f}  (target >= 0.25)")
    print(f"{indent}ours / pyx12 validation    : {mine / rates[PYX12]:.1f}x  (target >= 40x)")
    print(f"{indent}ours / pyx12 reader        : {mine / rates['pyx12 reader']:.2f}x")


def print_medians(name: str, runs: list[dict[str, float]]) -> None:
    """Median rates and median ratios (each ratio taken within one run) over the repeats."""
    print(f"\n{name}: medians of {len(runs)} runs (ratios taken within each run)")
    for label in runs[0]:
        print(f"  {label:<38} {median(r[label] for r in runs):>12,.0f} segments/s")
    ratios = {
        "naive split": [r[OURS] / r[SPLIT] for r in runs],
        "pyx12 validation": [r[OURS] / r[PYX12] for r in runs],
    }
    for label, values in ratios.items():
        spread = ", ".join(f"{v:.3g}" for v in values)
        print(f"  ours / {label:<18}: median {median(values):.3g}  (runs: {spread})")
    # each side at its least disturbed: the best rate of every contender over the runs
    best = {label: max(r[label] for r in runs) for label in runs[0]}
    print(
        f"  best rates over the runs: ours / naive split {best[OURS] / best[SPLIT]:.3g},"
        f" ours / pyx12 validation {best[OURS] / best[PYX12]:.3g}"
    )


def _head(data: bytes, segments: int) -> bytes:
    """A valid interchange holding the first sets of ``data`` (about ``segments`` of them)."""
    text = data.decode("ascii")
    lines = text.split("~\n")
    cut = segments
    while cut < len(lines) and not lines[cut].startswith("SE*"):
        cut += 1
    sets = sum(1 for line in lines[:cut] if line.startswith("ST*"))
    head = "~\n".join(lines[: cut + 1])
    gs = next(line for line in lines if line.startswith("GS*"))
    icn = lines[0].split("*")[13]
    return f"{head}~\nGE*{sets}*{gs.split('*')[6]}~\nIEA*1*{icn}~\n".encode()


def _rss_kb() -> tuple[int, int]:
    """(current, peak) resident set of this process in KiB. /proc's VmHWM starts afresh at
    exec; ru_maxrss on Linux keeps the forking parent's peak, so it is only a fallback."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak
    values = {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return values["VmRSS"], values["VmHWM"]


def memory_child(path: str, compact: bool) -> None:
    before = _rss_kb()[0]
    sets = 0
    start = time.perf_counter()
    ack = AckOptions(list_accepted_sets=not compact)
    with open(path, "rb") as stream:
        for result in iter_results(stream, ack=ack):
            sets += isinstance(result, SetResult)
    elapsed = time.perf_counter() - start
    after = _rss_kb()[1]
    print(f"{before} {after} {sets} {elapsed:.1f}")


def memory_check(sizes_mb: list[int]) -> None:
    print("\nmemory: streaming iter_results over a file, fresh process per size")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes_mb:
            path = Path(tmp) / f"po-{size}mb.edi"
            _write_file(path, size * 1_000_000)
            for compact in (False, True):
                command = [sys.executable, __file__, "--memory-child", str(path)]
                out = subprocess.run(
                    command + (["--compact-ack"] if compact else []),
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                before, after, sets, elapsed = int(out[0]), int(out[1]), int(out[2]), out[3]
                mode = "997 lists errors only" if compact else "997 lists every set "
                print(
                    f"  {size:>4} MB, {mode}: {sets:>7,} sets in {elapsed:>6} s, peak RSS "
                    f"{after / 1024:6.1f} MB (at start {before / 1024:5.1f} MB)"
                )
            path.unlink()


def _write_file(path: Path, size: int) -> None:
    with path.open("w", encoding="ascii") as out:
        out.write(ISA.format(icn=9))
        written = 0
        sets = 0
        out.write("GS*PO*BUYER*SUPPLIER*20260301*1015*1*X*004010~\n")
        while written < size:
            body = _po(sets, 50)
            chunk = (
                f"ST*850*{sets:09d}~\n"
                + "".join(f"{s}~\n" for s in body)
                + f"SE*{len(body) + 2}*{sets:09d}~\n"
            )
            out.write(chunk)
            written += len(chunk)
            sets += 1
        out.write(f"GE*{sets}*1~\nIEA*1*000000009~\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="add the 200 MB memory check")
    parser.add_argument("--quick", action="store_true", help="pyx12 validation on 5k segments")
    parser.add_argument("--memory-only", action="store_true", help="only the memory check")
    parser.add_argument("--repeat", type=int, default=1, help="runs per file; print medians")
    parser.add_argument("--cpu", action="store_true", help="time CPU of this process, not wall")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--compact-ack", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.compact_ack)
        return
    if args.memory_only:
        memory_check([10, 40, 200] if args.big else [10, 40])
        return
    from adapters.edi.guides.pyx12_maps import build_pyx12_map_dir

    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    clock = "CPU time of this process" if args.cpu else "wall-clock time"
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f};"
        f" {clock}; best of 3 for split and ours"
    )
    files = {
        "850 interchange": purchase_orders(50_000).encode(),
        "mixed 850/856/830": mixed(60).encode(),
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in files}
    with tempfile.TemporaryDirectory() as tmp:
        map_dir = build_pyx12_map_dir(Path(tmp) / "maps")
        for _ in range(args.repeat):
            for name, data in files.items():
                runs[name].append(run_file(name, data, map_dir, args.quick))
    if args.repeat > 1:
        for name, measured in runs.items():
            print_medians(name, measured)
    if not args.no_memory:
        memory_check([10, 40, 200] if args.big else [10, 40])


if __name__ == "__main__":
    main()
