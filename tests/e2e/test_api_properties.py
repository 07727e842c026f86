"""Property-based API testing: schemathesis generates requests from our OpenAPI document.

Every operation is called over real HTTP (uvicorn on loopback) with a supplier key and a
planner key, with valid and invalid inputs; no answer may be a 500, and every answer with a
documented status must match its documented schema and content type. Bounded: a few examples
per operation and mode, so the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.supplier_world import issue_keys, populate
from tests.support import serve

EXAMPLES_PER_OPERATION = 5
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
CALLERS = ("sup1", "planner")


@schemathesis.serializer("application/edi-x12")
def _x12_text(ctx: Any, value: Any) -> bytes:
    """X12 bodies are text: send what was generated as UTF-8 (garbage is the point)."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")


def _run_operation(operation: Any, mode: GenerationMode, call: Callable[[Any, str], None]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), who=st.sampled_from(CALLERS))
    def check(case: Any, who: str) -> None:
        call(case, who)

    check()


def test_no_generated_request_breaks_the_api(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    populate(sessions)
    keys = issue_keys(database_url)
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        failures: list[str] = []

        def call(case: Any, who: str) -> None:
            try:
                case.call_and_validate(base_url=url, headers=keys[who], checks=CHECKS, timeout=30)
            except Exception as error:  # collect, so one run reports every operation
                failures.append(f"{case.operation.label} as {who}: {str(error)[:700]}")
                raise

        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _run_operation(operation, mode, call)
                except Unsatisfiable:  # nothing invalid to send (no parameters, no body)
                    continue
                except Exception:
                    if not failures or operation.label not in failures[-1]:
                        raise
        assert httpx.get(f"{url}/healthz").status_code == 200
    assert not failures, "\n\n".join(failures)
