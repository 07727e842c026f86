"""The /dashboard page in headless Chromium, against a real gateway on loopback.

The store holds real trouble made by a real worker against a failing partner: an endpoint
whose breaker opened after three 503s, and a message a partner refused with a 422 (a dead
letter). The page must show both, replay the dead letter for a key that may, and offer no
replay to a key that may not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store.outbox import enqueue, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.sync_worker import DeliveryWorker
from tests.integration.test_sync_worker import STAYS_OPEN
from tests.sink import Sink
from tests.support import IN_CI, issue_key, serve

CHROMIUM = Path("/usr/bin/chromium")

try:
    from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
except ImportError as error:  # pragma: no cover - playwright is a test dependency
    sync_playwright = None
    MISSING = f"playwright is not importable: {error}"
else:
    MISSING = "" if CHROMIUM.exists() else f"{CHROMIUM} is missing (apt-get install chromium)"


def _require_browser() -> None:
    if MISSING:
        if IN_CI:
            pytest.fail(f"the dashboard test needs a browser in CI: {MISSING}")
        pytest.skip(MISSING)


@dataclass
class World:
    api: str
    keys: dict[str, str]
    dead_letter: str
    sessions: sessionmaker[Session]


def _integration_key(database_url: str, principal: str, scopes: tuple[str, ...]) -> str:
    grants = [["g", principal, "role:integration", "*"]]
    return issue_key(database_url, principal, "integration", grants=grants, scopes=scopes)


def _make_trouble(sessions: sessionmaker[Session], partner_url: str) -> str:
    """Three messages behind a failing endpoint (its breaker opens), one refused: dead."""
    with sessions.begin() as session:
        set_channel(
            session, partner_id="SUP1", document_type="850", primary_url=f"{partner_url}/down"
        )
        set_channel(
            session, partner_id="SUP2", document_type="json:po", primary_url=f"{partner_url}/strict"
        )
        for n in range(3):
            enqueue(session, partner_id="SUP1", document_type="850", body=f"ISA {n}".encode(),
                    content_type="application/edi-x12")  # fmt: skip
        dead = enqueue(session, partner_id="SUP2", document_type="json:po", body=b"{}",
                       content_type="application/json")  # fmt: skip
    with DeliveryWorker(sessions, STAYS_OPEN) as worker:
        worker.run_once()
    with sessions() as session:
        assert session.get_one(OutboxRow, dead).status == "dead"
    return dead


@pytest.fixture
def world(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[World]:
    _require_browser()
    keys = {
        "integration": _integration_key(database_url, "integration:ops", ("read", "write")),
        "read_only": _integration_key(database_url, "integration:viewer", ("read",)),
        # a valid key whose principal holds no grant: not even partner health
        "nobody": issue_key(database_url, "planner:bob", "planner"),
    }
    partner = Sink()
    partner.modes["down"], partner.modes["strict"] = "503", "422"
    app = create_app(Settings(database_url=database_url, run_worker=False), engine=engine)
    with serve(partner.app) as partner_url, serve(app) as api:  # type: ignore[arg-type]
        dead = _make_trouble(sessions, partner_url)
        yield World(api, keys, dead, sessions)


@pytest.fixture
def browser() -> Iterator[Browser]:
    _require_browser()
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


def _open(browser: Browser, world: World, key: str | None, problems: list[str]) -> Page:
    page = browser.new_context().new_page()
    # A CSP violation or a script error shows up as a console error: none is allowed.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{world.api}/dashboard")
    if key is not None:
        page.fill("#api-key", world.keys[key])
        page.click("button[type=submit]")
    return page


def _row(page: Page, partner: str, channel: str) -> Locator:
    return page.locator(f'#partners tr[data-partner="{partner}"][data-channel="{channel}"]')


def test_the_page_without_a_key_shows_a_prompt_and_the_data_needs_one(world: World) -> None:
    page = httpx.get(f"{world.api}/dashboard", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy and "form-action 'none'" in policy
    assert 'id="key-prompt"' in page.text and world.keys["integration"] not in page.text
    for path in (
        "/api/v1/health/partners",
        "/api/v1/health/partners/timeline",
        "/api/v1/sync/dead-letters",
        "/api/v1/sync/permissions",
    ):
        assert httpx.get(f"{world.api}{path}", timeout=10).status_code == 401
    auth = {"Authorization": f"Bearer {world.keys['read_only']}"}
    timeline = httpx.get(f"{world.api}/api/v1/health/partners/timeline", headers=auth, timeout=10)
    minutes = timeline.json()["minutes"]
    assert len(minutes) == 60 and minutes[0]["minute"] < minutes[-1]["minute"]
    assert sum(m["attempts"] for m in minutes) == sum(m["failures"] for m in minutes) == 4
    only_sup2 = httpx.get(
        f"{world.api}/api/v1/health/partners/timeline",
        params={"partner_id": "SUP2", "minutes": 5},
        headers=auth,
        timeout=10,
    ).json()["minutes"]
    assert len(only_sup2) == 5 and sum(m["attempts"] for m in only_sup2) == 1


def test_the_dashboard_shows_trouble_and_replays_a_dead_letter(
    world: World, browser: Browser
) -> None:
    problems: list[str] = []
    page = _open(browser, world, None, problems)
    expect(page.locator("#key-prompt")).to_be_visible()
    expect(page.locator("#health")).to_be_hidden()

    page.fill("#api-key", world.keys["integration"])
    page.click("button[type=submit]")
    down = _row(page, "SUP1", "850")
    expect(down).to_be_visible()
    expect(down.locator("td.queue")).to_have_text("3")
    expect(down).to_contain_text("primary: open")
    expect(down.locator("td.active-endpoint")).to_have_text("none: every breaker is open")
    expect(down).to_contain_text("HTTP 503")  # the last error
    expect(down.locator("td.rate")).to_have_text("100.0 %")
    # four attempts this minute, every one failed: the chart draws both
    expect(page.locator("#chart-note")).to_contain_text("4 attempts, 4 failed in the last hour")
    assert page.locator("#timeline rect.failures").count() >= 1
    strict = _row(page, "SUP2", "json:po")
    expect(strict.locator("td.dead-letters")).to_have_text("1")
    expect(strict).to_contain_text("primary: closed")  # a 422 is an answer, not an outage
    # the key lives in the tab's session storage, never in the address
    stored = page.evaluate("sessionStorage.getItem('gateway.dashboard.key')")
    assert stored == world.keys["integration"] and world.keys["integration"] not in page.url

    letter = page.locator(f'#dead-letters tr[data-delivery="{world.dead_letter}"]')
    expect(letter).to_contain_text("HTTP 422")
    page.once("dialog", lambda dialog: dialog.accept())
    letter.locator("button.replay").click()
    expect(letter).to_have_count(0)
    expect(strict.locator("td.dead-letters")).to_have_text("0")
    expect(page.locator("#dead-note")).to_have_text("No dead letters.")
    with world.sessions() as session:
        original = session.get_one(OutboxRow, world.dead_letter)
        replays = session.scalars(select(OutboxRow).where(OutboxRow.replay_of == original.id))
        assert original.status == "replayed" and len(replays.all()) == 1
    assert problems == []


def test_a_key_that_may_not_replay_sees_no_replay_button(world: World, browser: Browser) -> None:
    problems: list[str] = []
    page = _open(browser, world, "read_only", problems)
    letter = page.locator(f'#dead-letters tr[data-delivery="{world.dead_letter}"]')
    expect(letter).to_be_visible()
    expect(page.locator("#dead-note")).to_have_text("This key may not replay dead letters.")
    assert page.locator("button.replay").count() == 0
    assert problems == []


def test_a_key_without_health_read_is_told_so_and_a_bad_key_is_forgotten(
    world: World, browser: Browser
) -> None:
    problems: list[str] = []
    page = _open(browser, world, "nobody", problems)
    expect(page.locator("#status")).to_contain_text("may not read partner health")
    expect(page.locator("#health")).to_be_hidden()

    bad = browser.new_context().new_page()
    bad.goto(f"{world.api}/dashboard")
    bad.fill("#api-key", "gw_nope.nope")
    bad.click("button[type=submit]")
    expect(bad.locator("#status")).to_contain_text("401")
    expect(bad.locator("#key-prompt")).to_be_visible()
    assert bad.evaluate("sessionStorage.getItem('gateway.dashboard.key')") is None
    assert problems == []
