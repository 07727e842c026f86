"""Run one fuzz target under atheris: ``python -m tests.fuzz TARGET [--seconds N] [--corpus DIR]``.

The working corpus (``--corpus``, a temporary folder by default) starts from the target's
seeds; libFuzzer adds the inputs that reach new code there. Inputs that fail the check are
written to ``tests/fuzz/corpus/TARGET/crash-<sha1>`` (``--artifacts`` to change), to be
minimized, renamed and kept as regression cases. ``--list`` names the targets; flags after
``--`` go to libFuzzer.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("target", nargs="?")
    parser.add_argument("--seconds", type=int, default=60, help="total run time (default 60)")
    parser.add_argument("--corpus", type=Path, help="working corpus (default: a temp folder)")
    parser.add_argument("--artifacts", type=Path, help="where failing inputs go")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before an input hangs")
    parser.add_argument("--max-len", type=int, default=8192, help="longest input, in bytes")
    parser.add_argument("--list", action="store_true", help="name the targets and stop")
    cut = argv.index("--") if "--" in argv else len(argv)
    args, extra = parser.parse_args(argv[:cut]), argv[cut + 1 :]  # extra: libFuzzer's flags

    import atheris  # not a test dependency: pip install atheris (see docs/reliability.md)

    from tests.fuzz.targets import TARGETS, seeds

    if args.list or args.target not in TARGETS:
        print("targets:", ", ".join(TARGETS))
        sys.exit(0 if args.list else 2)
    target = TARGETS[args.target]
    # Instrument the project (and openpyxl, which reads the XLSX cells) as it is imported;
    # the seeds run once inside the block, so that modules imported lazily (openpyxl, the
    # app of json_api) are instrumented too.
    with atheris.instrument_imports(include=["adapters", "gateway", "sync", "openpyxl"]):
        check = target.checker()
        for seed in seeds(target):
            try:
                check(seed.read_bytes())
            except Exception as error:  # libFuzzer runs it again and reports it properly
                print(f"seed {seed.name} fails: {error!r}"[:300], flush=True)
    work = args.corpus or Path(tempfile.mkdtemp(prefix=f"fuzz-{target.name}-"))
    work.mkdir(parents=True, exist_ok=True)
    for seed in seeds(target):
        shutil.copy(seed, work / f"seed-{seed.name}")
    artifacts = args.artifacts or target.corpus
    artifacts.mkdir(parents=True, exist_ok=True)
    flags = [
        f"-max_total_time={args.seconds}",
        f"-timeout={args.timeout}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={artifacts}/",
        f"-dict={target.dictionary_path}",
        "-print_final_stats=1",
        *extra,
    ]
    print(f"fuzzing {target.name}: corpus {work}, failures to {artifacts}", flush=True)

    def guarded(data: bytes) -> None:
        try:
            check(data)
        except Exception:
            # saved here too: some runs here lost libFuzzer's own copy (the process ended on
            # SIGALRM, status 142, before writing it); same name, so no duplicate otherwise
            name = "crash-" + hashlib.sha1(data).hexdigest()
            (artifacts / name).write_bytes(data)
            raise

    atheris.Setup([sys.argv[0], *flags, str(work)], guarded)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv[1:])
