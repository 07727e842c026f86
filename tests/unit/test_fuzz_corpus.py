"""Every input kept in tests/fuzz/corpus/ still meets its target's contract.

The corpus holds the fuzzers' seeds and the inputs that once failed (each named after the
defect it found); see docs/reliability.md. The API target runs over HTTP in
tests/integration/test_fuzz_api_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.targets import CORPUS, TARGETS, Target

_IN_PROCESS = [name for name in TARGETS if name != "json_api"]


def _files(names: list[str]) -> list[object]:
    return [
        pytest.param(TARGETS[name], path, id=f"{name}/{path.name}")
        for name in names
        for path in sorted((CORPUS / name).glob("*"))
        if path.is_file() and path.name != "README.md"
    ]


def test_every_corpus_folder_is_a_target() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders <= set(TARGETS), folders - set(TARGETS)
    assert set(TARGETS) <= folders, "every target keeps at least its seeds"


def test_the_corpus_stays_small() -> None:
    sizes = [p.stat().st_size for p in CORPUS.rglob("*") if p.is_file()]
    assert len(sizes) < 300 and sum(sizes) < 512 * 1024


@pytest.mark.parametrize(("target", "path"), _files(_IN_PROCESS))
def test_corpus_input_meets_the_contract(target: Target, path: Path) -> None:
    target.check(path.read_bytes())
