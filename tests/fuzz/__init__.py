"""Coverage-guided fuzzing (atheris) of every surface that reads outside input.

Each target is a ``check(data: bytes) -> None`` that states the contract: the input gives a
result, or is refused with the project's documented exception; anything else (another
exception, a broken invariant) is a failure. atheris runs it through ``python -m tests.fuzz``;
``tests/unit/test_fuzz_corpus.py`` replays the curated inputs in ``corpus/<target>/`` in CI.

This package imports nothing from the project at import time, so that the runner can
instrument the project's modules as they are first imported.
"""
