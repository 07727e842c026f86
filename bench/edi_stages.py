"""Where the X12 adapter's time goes: ``python bench/edi_stages.py [--cpu] [--repeat N]``.

On the same two files as ``bench/edi.py``, in one run: the naive split, then each stage of
our pipeline timed on its own (lexer; envelope walk; guide validation of the collected sets;
mapping of the collected sets, which includes building the canonical models; and the rest of
``iter_results``: results, 997), and the canonical models alone: the documents of the file
built again from plain values with the fast builder that the mappings use (and, to compare,
with pydantic's ``model_validate``, and with no check at all: the floor for documents that
are pydantic models). Each is printed in microseconds per segment, as a share of
the whole, and in multiples of the split, the unit of the issue's "a quarter of the naive split"
target: the whole pipeline must then cost at most 4x the split.
"""

from __future__ import annotations

import argparse
import sys
import time
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import edi  # bench/edi.py: the same files, contenders and clock
from pydantic import BaseModel

from adapters.edi import SetResult, default_guides, iter_results
from adapters.edi.build import _SLOT_SETTERS, fast_model
from adapters.edi.envelope import TransactionSet, iter_envelope
from adapters.edi.errors import Location
from adapters.edi.lexer import iter_segments
from adapters.edi.planning_schedule import parse_830
from adapters.edi.purchase_order import parse_850
from adapters.edi.ship_notice import parse_856
from adapters.edi.validator import validate_set

_MAPPINGS: dict[str, Callable[..., object]] = {
    "850": lambda segs, comp: parse_850(segs),
    "856": lambda segs, comp: parse_856(segs),
    "830": lambda segs, comp: parse_830(segs, None, comp),
}


def _as_values(model: BaseModel) -> dict[str, Any]:
    """A document as the mappings hand it to the builder: lists of models as lists of dicts."""
    out: dict[str, Any] = {}
    for name, value in model.__dict__.items():
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            value = [_as_values(item) for item in value]
        out[name] = value
    return out


# the fast builder's own four slot setters, so the floor ends exactly as it does
_SET_DICT, _SET_FIELDS = _SLOT_SETTERS["set_dict"], _SLOT_SETTERS["set_fields_set"]
_SET_EXTRA, _SET_PRIVATE = _SLOT_SETTERS["set_extra"], _SLOT_SETTERS["set_private"]


def _bare(cls: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    """The floor of any pydantic output: an instance made from ``values`` with no check at
    all (``__new__`` and BaseModel's four slots, as the fast builder ends), its lists of
    models alike. What a validating parse cannot go below while its documents are models."""
    data = values.copy()
    for name, nested in _nested_lists(cls):
        items = data[name]
        if items and type(items[0]) is dict:
            data[name] = [_bare(nested, item) for item in items]
    model = cls.__new__(cls)
    _SET_DICT(model, data)
    _SET_FIELDS(model, set(data))
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


@cache
def _nested_lists(cls: type[BaseModel]) -> tuple[tuple[str, type[BaseModel]], ...]:
    """The fields of ``cls`` that hold lists of models, with the models' class."""
    out = []
    for name, info in cls.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            (item,) = typing.get_args(info.annotation)
            if issubclass(item, BaseModel):
                out.append((name, item))
    return tuple(out)


def stage_works(data: bytes) -> dict[str, Callable[[], object]]:
    """The work of each stage on one file, as a call (inputs of each stage made beforehand)."""
    guides = default_guides()
    sets = [e for e in iter_envelope(iter_segments(data)) if isinstance(e, TransactionSet)]
    found = [(guides.find(ts.set_id, ts.group.version)[0], ts) for ts in sets]

    def validate() -> None:
        for guide, ts in found:
            assert guide is not None
            validate_set(guide, ts.segments, ">", None, Location())

    def mapping() -> None:
        for ts in sets:
            _MAPPINGS[ts.set_id](ts.segments, ">")

    documents = [r.document for r in iter_results(data) if isinstance(r, SetResult) and r.document]
    values = [(type(doc), _as_values(doc)) for doc in documents]
    return {
        "naive split": lambda: edi.naive_split(data),
        "lexer": lambda: sum(1 for _ in iter_segments(data)),
        "lexer + envelope": lambda: sum(1 for _ in iter_envelope(iter_segments(data))),
        "guide validation": validate,
        "mapping (with models)": mapping,
        "models alone (fast builder)": lambda: [fast_model(c, v) for c, v in values],
        "models alone (model_validate)": lambda: [c.model_validate(v) for c, v in values],
        "models alone (no checks)": lambda: [_bare(c, v) for c, v in values],
        "whole pipeline (ours)": lambda: edi.ours(data),
    }


def stages(data: bytes) -> dict[str, float]:
    """Seconds per stage (best of 3 each) for one file."""
    return {label: edi.best_of(3, work) for label, work in stage_works(data).items()}


def stage_parts(t: dict[str, float]) -> dict[str, float]:
    """The printed rows from the cost of each work in ``stage_works`` (any unit)."""
    whole = t["whole pipeline (ours)"]
    return {
        "lexer": t["lexer"],
        "envelope walk": t["lexer + envelope"] - t["lexer"],
        "guide validation": t["guide validation"],
        "mapping (with models)": t["mapping (with models)"],
        "  of which models (fast builder)": t["models alone (fast builder)"],
        "rest: results, acks, 997": whole
        - t["lexer + envelope"]
        - t["guide validation"]
        - t["mapping (with models)"],
        "whole pipeline (ours)": whole,
        "naive split": t["naive split"],
        "models with model_validate instead": t["models alone (model_validate)"],
        "models with no checks at all (floor)": t["models alone (no checks)"],
    }


def print_parts(parts: dict[str, float], unit: str, per_segment: float, digits: str) -> None:
    """The table: each row per segment (``per_segment`` scales it), its share of the whole
    pipeline and its multiple of the split, then the target's budget."""
    whole, split = parts["whole pipeline (ours)"], parts["naive split"]
    print(f"  {'stage':<36} {unit:>10} {'share':>7} {'x split':>8}")
    for label, value in parts.items():
        share = f"{value / whole:7.0%}" if label != "naive split" else " " * 7
        print(f"  {label:<36} {value * per_segment:10{digits}} {share} {value / split:8.2f}")
    floor = parts["models with no checks at all (floor)"]
    print(
        f"  budget for 0.25 of the split: {4:.2f}x split; the split plus unchecked models "
        f"alone take {(split + floor) / split:.2f}x, the whole pipeline {whole / split:.2f}x"
    )


def report(name: str, segments: int, runs: list[dict[str, float]]) -> None:
    t = {label: median(run[label] for run in runs) for label in runs[0]}
    print(f"\n{name}: {segments:,} segments, medians of {len(runs)} runs")
    print_parts(stage_parts(t), "us/segment", 1e6 / segments, ".3f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (medians)")
    parser.add_argument("--cpu", action="store_true", help="time CPU of this process, not wall")
    args = parser.parse_args()
    if args.cpu:
        edi.CLOCK = time.process_time
    files = {
        "850 interchange": edi.purchase_orders(50_000).encode(),
        "mixed 850/856/830": edi.mixed(60).encode(),
    }
    clock = "CPU time" if args.cpu else "wall-clock time"
    print(f"python {sys.version.split()[0]}; {clock}; best of 3 per stage, medians of runs")
    for name, data in files.items():
        runs = [stages(data) for _ in range(args.repeat)]
        report(name, edi.naive_split(data) - 1, runs)


if __name__ == "__main__":
    main()
