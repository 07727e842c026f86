"""The fuzz targets by name: each a ``check(data: bytes) -> None`` and where its seeds are.

Imported by the runner inside atheris' instrumentation, and by the corpus replay test.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_HERE = Path(__file__).resolve().parent
CORPUS = _HERE / "corpus"
_GOLDEN = Path(__file__).resolve().parents[1] / "unit" / "edi" / "golden"
_X12_SEEDS = (_GOLDEN / "cases", _GOLDEN / "corpus")


@dataclass(frozen=True)
class Target:
    """A check and the folders its seeds come from besides ``corpus/<name>/``."""

    name: str
    function: str  # "module:function" in tests.fuzz, imported on first use
    dictionary: str  # dictionaries/<name>.dict: tokens libFuzzer splices into inputs
    seed_folders: tuple[Path, ...] = field(default=())

    def check(self, data: bytes) -> None:
        return self.checker()(data)

    def checker(self) -> Callable[[bytes], None]:
        module, _, name = self.function.partition(":")
        found: Callable[[bytes], None] = getattr(
            importlib.import_module(f"tests.fuzz.{module}"), name
        )
        return found

    @property
    def corpus(self) -> Path:
        return CORPUS / self.name

    @property
    def dictionary_path(self) -> Path:
        return _HERE / "dictionaries" / f"{self.dictionary}.dict"


TARGETS = {
    target.name: target
    for target in (
        Target("x12_reader", "x12:check_reader", "x12", _X12_SEEDS),
        Target("x12_interchange", "x12:check_interchange", "x12", _X12_SEEDS),
        *(Target(f"x12_{n}", f"x12:check_{n}", "x12") for n in ("850", "856", "830", "997")),
        Target("csv", "feeds:check_csv", "csv"),
        Target("xlsx", "feeds:check_xlsx", "xlsx"),
        Target("xml", "feeds:check_xml", "xml"),
        Target("json_document", "documents:check_document", "json"),
        Target("json_api", "documents:check_api", "json"),
    )
}


def seeds(target: Target) -> list[Path]:
    """The curated corpus files, then the seed folders' input files (no expected outputs)."""
    found = sorted(p for p in target.corpus.glob("*") if p.is_file() and p.name != "README.md")
    for folder in target.seed_folders:
        found += sorted(
            p for p in folder.iterdir() if p.suffix in (".edi", ".txt", ".x12") and p.is_file()
        )
    return found
