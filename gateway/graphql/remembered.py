"""Answers remembered across requests, in each server process, and what keeps them right.

Two kinds, both bounded (least recently used first out) and keyed by the database (its engine
and URL), the question and the caller's scope:

- Segment health (``at_risk_cached``): its inputs change with ingest, so an answer is kept
  with the inputs version it was computed at and only served at that version; a repeated
  question costs one primary-key statement.
- What a complete forecast run stored (``scorecards``): recompute inserts a run's results with
  the run and pruning deletes whole runs, so they never change while the run exists. An answer
  is kept per run and key, and a request that has already read its run (``RunKey``) is served
  without a trip to the database (``scorecards_known``).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.graphql import planning_fetch
from gateway.store.document_tables import InventoryPositionRow, PurchaseOrderRow, ReceiptRow
from gateway.store.planning import RunKey
from gateway.store.planning_tables import OverrideRow
from gateway.store.tables import AuditRow

MISSING = object()


class Answers:
    """A bounded map of answers, least recently used first out, shared by the threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The answer, or ``MISSING``."""
        with self._lock:
            found = self._answers.get(key, MISSING)
            if found is not MISSING:
                self._answers.move_to_end(key)
            return found

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()

    def put(self, key: Hashable, answer: Any) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)


def database_key(engine: Engine) -> tuple[int, str]:
    return id(engine), str(engine.url)


def _scope_key(scope: Scope) -> tuple[Any, ...]:
    return None if scope.segments is None else tuple(sorted(scope.segments)), scope.supplier_id


# --- segment health: kept with its inputs version ------------------------------------------


def inputs_version(session: Session) -> tuple[Any, ...]:
    """The newest ids of what ``at_risk`` reads besides the run: audited changes (overrides,
    policy and master-data changes by people), inventory reports, orders and receipts. Every
    change to them inserts a row, so equal versions mean equal answers. One statement over
    primary keys."""
    return tuple(session.execute(_inputs_version_query()).one())


@functools.cache
def _inputs_version_query() -> Select[Any]:
    # built once: constructing a statement costs more than running this one
    tables = (AuditRow, InventoryPositionRow, PurchaseOrderRow, ReceiptRow, OverrideRow)
    return select(*(select(func.max(t.id)).scalar_subquery() for t in tables))


# One answer per question, with the inputs version it was computed at. Ingest moves the
# version on almost every message, so an answer keyed by its version as well would never be
# asked for again, yet stay until 256 newer ones pushed it out: under write load that held
# ~50 MB of dead answers per process (bench/load.py saw the servers' RSS climb for minutes).
_AT_RISK = Answers(256)


def at_risk_cached(
    session: Session,
    scope: Scope,
    keys: Sequence[str],
    weeks: int,
    run: RunKey | None,
    version: tuple[Any, ...],
) -> list[list[Any]]:
    """``planning_fetch.at_risk``, remembered per database, run, segments, window and scope
    at ``version`` (``inputs_version``, as the request read it; rows are immutable): a
    repeated question costs nothing more, and a newer version replaces the answer."""
    if run is None:
        return [[] for _ in keys]
    question = (database_key(session.get_bind().engine), run, tuple(keys), weeks, _scope_key(scope))
    found = _AT_RISK.get(question)
    if found is not MISSING and found[0] == version:
        return found[1]  # type: ignore[no-any-return]
    rows = planning_fetch.at_risk(session, scope, keys, weeks, run)
    _AT_RISK.put(question, (version, rows))
    return rows


# --- a complete run's results: kept per run and key ----------------------------------------

# Per supplier and question: a few scorecard rows. 20,000 answers are a few MB.
_RUN_RESULTS = Answers(20_000)


def scorecards(
    session: Session,
    scope: Scope,
    keys: Sequence[str],
    run: RunKey | None,
    segment: str | None,
    months: int,
) -> list[list[Any]]:
    """``planning_fetch.scorecards``, reading only the suppliers not remembered yet."""
    if run is None:
        return [[] for _ in keys]
    question = _scorecard_question(
        database_key(session.get_bind().engine), scope, run, segment, months
    )
    found = {k: _RUN_RESULTS.get((question, k)) for k in keys}
    missing = [k for k, answer in found.items() if answer is MISSING]
    if missing:
        read = planning_fetch.scorecards(session, scope, missing, run.id, segment, months)
        for k, answer in zip(missing, read, strict=True):
            _RUN_RESULTS.put((question, k), answer)
            found[k] = answer
    return [found[k] for k in keys]


def scorecards_known(
    engine: Engine,
    scope: Scope,
    keys: Sequence[str],
    run: RunKey,
    segment: str | None,
    months: int,
) -> list[list[Any]] | None:
    """The scorecards of every key if all are remembered (no database needed), else None."""
    question = _scorecard_question(database_key(engine), scope, run, segment, months)
    answers = []
    for k in keys:
        answer = _RUN_RESULTS.get((question, k))
        if answer is MISSING:
            return None
        answers.append(answer)
    return answers


def _scorecard_question(
    database: tuple[int, str], scope: Scope, run: RunKey, segment: str | None, months: int
) -> tuple[Any, ...]:
    return ("scorecards", database, run, _scope_key(scope), segment, months)
