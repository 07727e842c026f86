"""X12 benchmark in instructions: ``python bench/edi_instructions.py [--no-pyx12] [--stages]``.

The same files and contenders as ``bench/edi.py``, each run once (after one warm-up run)
in a fresh process under ``valgrind --tool=callgrind``, which counts the instructions of the
run alone: the counters are zeroed just before it and dumped just after (the run is framed
by ``os.getppid()`` and ``os.getpgrp()``, which nothing else calls). Instruction counts do
not depend on the load of a shared machine, so they compare two versions of the code
repeatably where wall-clock rates cannot; they are not time (cache misses and branch
mispredictions are not counted). pyx12's validation runs on the same first ~5,000 segments
as ``bench/edi.py --quick`` and without a warm-up (it loads its maps on each call).
``--stages`` counts the stages of ``bench/edi_stages.py`` instead, each on its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import edi  # bench/edi.py: the same files and contenders
import edi_stages

FILES = ("850 interchange", "mixed 850/856/830")
CONTENDERS = ("split", "pyx12", "ours")  # and "stage:<label>" of edi_stages


def _data(name: str) -> bytes:
    if name == "850 interchange":
        return edi.purchase_orders(50_000).encode()
    return edi.mixed(60).encode()


def child(name: str, contender: str, map_dir: str) -> None:
    """Run one contender on one file between the two markers (inside valgrind)."""
    data = _data(name)
    if contender.startswith("stage:"):
        work = edi_stages.stage_works(data)[contender[6:]]
    elif contender == "split":
        work = lambda: edi.naive_split(data)  # noqa: E731
    elif contender == "ours":
        work = lambda: edi.ours(data)  # noqa: E731
    else:
        import importlib

        importlib.import_module("pyx12.x12n_document")  # imports are not validation's cost

        data = edi._head(data, 5000)
        work = lambda: edi.pyx12_validate(data, Path(map_dir))  # noqa: E731
    if contender != "pyx12":
        work()  # warm-up: guides loaded, state machines and caches made
    print(edi.naive_split(data) - 1)
    sys.stdout.flush()
    os.getppid()  # callgrind zeroes its counters here
    work()
    os.getpgrp()  # and dumps them here


def measure(name: str, contender: str, map_dir: Path, tmp: Path) -> tuple[int, int]:
    """(instructions, segments) of one contender on one file."""
    out = tmp / f"cg.{contender.replace(' ', '_')}.{name[:3]}"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--zero-before=*getppid*",
        "--dump-before=*getpgrp*",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--child",
        name,
        contender,
        str(map_dir),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same string hashes in every run
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    segments = int(done.stdout.split()[0])
    dump = out.with_name(out.name + ".1")
    summary = next(line for line in dump.read_text().splitlines() if line.startswith("summary:"))
    return int(summary.split()[1]), segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pyx12", action="store_true", help="skip pyx12 (slow in valgrind)")
    parser.add_argument("--file", choices=["850", "mixed"], help="only this file")
    parser.add_argument("--stages", action="store_true", help="count the stages instead")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    from adapters.edi.guides.pyx12_maps import build_pyx12_map_dir

    names = [n for n in FILES if args.file is None or n.startswith(args.file)]
    with tempfile.TemporaryDirectory() as tmp:
        map_dir = build_pyx12_map_dir(Path(tmp) / "maps")
        for name in names:
            if args.stages:
                count_stages(name, map_dir, Path(tmp))
            else:
                count_contenders(name, map_dir, Path(tmp), pyx12=not args.no_pyx12)


def count_contenders(name: str, map_dir: Path, tmp: Path, *, pyx12: bool) -> None:
    per: dict[str, float] = {}
    for contender in CONTENDERS:
        if contender == "pyx12" and not pyx12:
            continue
        instructions, segments = measure(name, contender, map_dir, tmp)
        per[contender] = instructions / segments
        print(f"{name}: {contender:<6} {per[contender]:>10,.0f} instructions/segment")
    print(f"{name}: ours / naive split {per['split'] / per['ours']:.3f}", end="")
    if "pyx12" in per:
        print(f", ours / pyx12 validation {per['pyx12'] / per['ours']:.1f}x", end="")
    print()


def count_stages(name: str, map_dir: Path, tmp: Path) -> None:
    data = _data(name)
    per: dict[str, float] = {}
    for label in edi_stages.stage_works(data):
        instructions, segments = measure(name, f"stage:{label}", map_dir, tmp)
        per[label] = instructions / segments
    print(f"\n{name}: instructions per segment")
    edi_stages.print_parts(edi_stages.stage_parts(per), "instr/seg", 1, ",.0f")


if __name__ == "__main__":
    main()
