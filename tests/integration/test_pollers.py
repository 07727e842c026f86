"""Pull connectors against a supplier API on loopback that pages, fails and stalls on purpose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway import poller as poller_module
from gateway.poller import PollerSettings, PollRunner
from gateway.store.document_tables import InventoryPositionRow
from gateway.store.poller_health import poller_health
from gateway.store.poller_tables import PollerRow, PollerRunRow
from gateway.store.pollers import add_poller
from gateway.store.tables import InboxRow, utcnow
from sync import BreakerPolicy, Pagination, PollerConfig, RetryPolicy
from tests.supplier_api import SupplierApi, inventory
from tests.support import serve

FAST = PollerSettings(
    lease_s=60, poll_s=0.01, retry=RetryPolicy(0.01, 0.05, 0.01), longest_wait_s=5
)


@pytest.fixture
def supplier() -> Iterator[tuple[SupplierApi, str]]:
    api = SupplierApi(slow_s=2.0)
    with serve(api.app) as url:  # type: ignore[arg-type]
        yield api, url


def _add(sessions: sessionmaker[Session], url: str, **overrides: object) -> PollerConfig:
    values: dict[str, object] = {
        "partner_id": "SUP1",
        "name": "inventory",
        "base_url": url,
        "path": "/stock",
        "document_type": "inventory_position",
        "interval_s": 60,
        "timeout_s": 5,
    }
    config = PollerConfig.model_validate(values | overrides)
    with sessions.begin() as session:
        add_poller(session, config, replace=True)
    return config


def _three_pages(api: SupplierApi, feed: str = "stock") -> None:
    api.feeds[feed] = [
        [inventory("R1"), inventory("R2")],
        [inventory("R3"), inventory("R4")],
        [inventory("R5")],
    ]


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        messages = session.scalar(select(func.count()).select_from(InboxRow)) or 0
        documents = session.scalar(select(func.count()).select_from(InventoryPositionRow)) or 0
    return messages, documents


def _row(sessions: sessionmaker[Session], name: str = "inventory") -> PollerRow:
    with sessions() as session:
        return session.get_one(PollerRow, ("SUP1", name))


def _run(sessions: sessionmaker[Session], settings: PollerSettings = FAST, **kw: object):  # type: ignore[no-untyped-def]
    (report,) = PollRunner(sessions, settings, **kw).run_due(due_only=False)  # type: ignore[arg-type]
    return report


def test_pages_by_cursor_become_documents_then_a_304(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url)
    report = _run(sessions)
    assert report.ok and (report.pages, report.documents, report.requests) == (3, 5, 3)
    assert _counts(sessions) == (3, 5)
    row = _row(sessions)
    assert row.cursor == "2" and row.etag and row.consecutive_failures == 0
    assert row.next_due_at > utcnow() + dt.timedelta(seconds=50)
    with sessions() as session:
        message = session.scalars(select(InboxRow)).first()
        assert message is not None and message.channel == "pull"
        assert message.dedupe_key.startswith("pull:inventory:sha256:")

    again = _run(sessions)  # resumes at the last page, conditionally: nothing changed
    assert again.ok and again.not_modified and again.pages == 0
    _feed, cursor, headers = api.requests[-1]
    assert cursor == "2" and headers["if-none-match"] == row.etag
    assert _counts(sessions) == (3, 5)

    api.feeds["stock"][2].append(inventory("R6"))  # the supplier appends to the last page
    api.feeds["stock"].append([inventory("R7")])
    grown = _run(sessions)  # page 2 again, now with R5 and R6: a new page, but R5 is known
    assert grown.ok and (grown.pages, grown.documents) == (2, 2)
    assert _counts(sessions) == (5, 7)


def test_next_links_are_followed(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url, path="/stock/linked", pagination=Pagination.NEXT_LINK)
    report = _run(sessions)
    assert report.ok and (report.pages, report.documents) == (3, 5)
    assert _row(sessions).cursor == "/stock/linked?page=2"


def test_a_next_link_to_another_host_is_not_followed(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    api.next_host["stock"] = "http://169.254.169.254"
    _add(sessions, url, path="/stock/linked", pagination=Pagination.NEXT_LINK)
    report = _run(sessions)
    assert not report.ok and report.documents == 2 and api.hits["stock"] == 1
    assert "pull.malformed_page: the next link http://169.254.169.254/" in (report.error or "")
    assert _row(sessions).cursor is None  # still before the page that named it


def test_a_snapshot_endpoint_with_last_modified(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    api.feeds["snapshot"] = [[inventory("R1"), inventory("R2")]]
    api.last_modified["snapshot"] = "Fri, 20 Nov 2026 08:00:00 GMT"
    _add(sessions, url, path="/snapshot", pagination=Pagination.NONE)
    assert _run(sessions).documents == 2
    row = _row(sessions)
    assert (row.cursor, row.etag, row.last_modified) == (None, None, api.last_modified["snapshot"])
    assert _run(sessions).not_modified
    assert api.requests[-1][2]["if-modified-since"] == "Fri, 20 Nov 2026 08:00:00 GMT"
    api.feeds["snapshot"] = [[inventory("R1"), inventory("R2"), inventory("R3")]]
    api.last_modified["snapshot"] = "Sat, 21 Nov 2026 08:00:00 GMT"
    assert _run(sessions).documents == 1  # the whole list again; R1 and R2 are unchanged
    assert _counts(sessions) == (2, 3)


def test_a_page_fetched_twice_is_stored_once(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url)
    _run(sessions)
    with sessions.begin() as session:  # forget the position: every page comes again
        row = session.get_one(PollerRow, ("SUP1", "inventory"))
        row.cursor = row.etag = None
    report = _run(sessions)
    assert report.ok and report.pages == 3 and report.documents == 0
    assert _counts(sessions) == (3, 5)


def test_a_crash_after_storing_a_page_refetches_it_and_skips_nothing(
    sessions: sessionmaker[Session],
    supplier: tuple[SupplierApi, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url)
    real = poller_module.save_position
    calls = {"n": 0}

    def crash_on_second(*args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(poller_module, "save_position", crash_on_second)
    crashed = _run(sessions)
    assert not crashed.ok and "power cut" in (crashed.error or "")
    assert _row(sessions).cursor == "1"  # page 2 is stored but the position did not move
    assert _counts(sessions) == (2, 4)
    monkeypatch.setattr(poller_module, "save_position", real)
    report = _run(sessions)  # page 2 again (already stored: no new documents), then page 3
    assert report.ok and report.pages == 2 and report.documents == 1
    assert _counts(sessions) == (3, 5)


def test_500s_then_success_within_a_run(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    api.modes["stock"] = ["500", "500"]
    _add(sessions, url, max_attempts=3)
    report = _run(sessions)
    assert report.ok and report.requests == 5 and report.documents == 5


def test_a_failing_supplier_is_recorded_then_heals(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url, max_attempts=2)
    api.modes["stock"] = ["500"] * 4
    patient = replace(FAST, breaker=BreakerPolicy(failure_threshold=10))
    for expected in (1, 2):
        report = _run(sessions, patient)
        assert not report.ok and report.requests == 2
        row = _row(sessions)
        assert row.consecutive_failures == expected
        assert row.last_error == "page 1: HTTP 500: the supplier is down on purpose"
    assert _counts(sessions) == (0, 0)
    assert _run(sessions, patient).ok
    row = _row(sessions)
    assert row.consecutive_failures == 0 and row.last_success_at is not None
    assert row.last_failure_at is not None and row.failures_total == 2 and row.runs_total == 3


def test_429_with_retry_after_is_honoured(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url)
    api.modes["stock"] = ["429:1"]  # wait a second, within the run
    report = _run(sessions)
    assert report.ok and report.requests == 4
    api.modes["stock"] = ["429:3600"]  # longer than a run waits: try again no sooner
    before = utcnow()
    report = _run(sessions)
    assert not report.ok and report.requests == 1 and "HTTP 429" in (report.error or "")
    assert _row(sessions).next_due_at >= before + dt.timedelta(seconds=3500)


def test_slowness_beyond_the_timeout_is_a_failure(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    api.modes["stock"] = ["slow", "slow"]
    _add(sessions, url, timeout_s=0.3, max_attempts=2)
    report = _run(sessions)
    assert not report.ok and report.requests == 2
    assert _row(sessions).last_error == "page 1: timeout after 0.3s (ReadTimeout)"
    assert _counts(sessions) == (0, 0)


def test_malformed_json_is_kept_raw_and_recorded_not_stored_as_documents(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    api.modes["stock"] = ["ok", "malformed"]
    _add(sessions, url)
    report = _run(sessions)
    assert not report.ok and report.pages == 2 and report.documents == 2
    row = _row(sessions)
    assert row.cursor == "1"  # not past the broken page
    assert row.last_message_id and row.last_message_id in (row.last_error or "")
    assert "page 2" in (row.last_error or "") and "pull.malformed_page" in (row.last_error or "")
    assert "not valid JSON" in (row.last_error or "")
    with sessions() as session:
        kept = session.get_one(InboxRow, row.last_message_id)
        assert kept.status == "failed" and kept.body.startswith(b'{"items": [')
        assert "not valid JSON" in (kept.error or "")
    assert _counts(sessions) == (2, 2)
    healed = _run(sessions)  # the supplier fixed it: the page comes whole, and the rest
    assert healed.ok and healed.documents == 3 and _counts(sessions) == (4, 5)


def test_an_invalid_document_fails_the_page_and_names_the_field(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    api.feeds["stock"] = [[inventory("R1"), inventory("R2", supplier="SUP9")]]
    _add(sessions, url)
    report = _run(sessions)
    assert not report.ok
    assert "pull.invalid_document: items[1].supplier_id: SUP9 is not partner SUP1" in (
        report.error or ""
    )
    assert _counts(sessions) == (1, 0)


def test_the_secret_comes_from_the_environment_and_never_reaches_the_database(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url, auth_secret="env:SUP1_TOKEN", max_pages=1)
    missing = _run(sessions, environ={})
    assert not missing.ok and "SUP1_TOKEN" in (missing.error or "") and api.hits["stock"] == 0
    assert _run(sessions, environ={"SUP1_TOKEN": "s3cret"}).ok
    assert api.requests[-1][2]["authorization"] == "Bearer s3cret"
    with sessions() as session:
        assert "s3cret" not in str(session.get_one(PollerRow, ("SUP1", "inventory")).config)


def test_the_breaker_opens_and_spares_the_supplier(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url, max_attempts=3)
    api.modes["stock"] = ["500"] * 3
    stays_open = replace(FAST, breaker=BreakerPolicy(failure_threshold=3, cooldown_s=3600))
    assert not _run(sessions, stays_open).ok
    hits = api.hits["stock"]
    report = _run(sessions, stays_open)
    assert not report.ok and "breaker" in (report.error or "") and api.hits["stock"] == hits
    assert _row(sessions).next_due_at > utcnow() + dt.timedelta(seconds=3000)
    heals = replace(FAST, breaker=BreakerPolicy(failure_threshold=3, cooldown_s=0))
    assert _run(sessions, heals).ok  # half-open: the probe succeeds and closes it


def test_health_counts_the_last_hour(
    sessions: sessionmaker[Session], supplier: tuple[SupplierApi, str]
) -> None:
    api, url = supplier
    _three_pages(api)
    _add(sessions, url)
    _run(sessions)
    api.modes["stock"] = ["malformed"]
    _run(sessions)
    with sessions() as session:
        (health,) = poller_health(session, utcnow())
        runs = session.scalar(select(func.count()).select_from(PollerRunRow))
    assert runs == 2
    entry = health.as_dict()
    assert entry["partner_id"] == "SUP1" and entry["document_type"] == "inventory_position"
    assert entry["pages_last_hour"] == 4 and entry["documents_last_hour"] == 5
    assert entry["runs_last_hour"] == 2 and entry["failures_last_hour"] == 1
    assert entry["consecutive_failures"] == 1 and "pull.malformed_page" in entry["last_error"]
    assert entry["url"] == f"{url}/stock" and entry["running"] is False
