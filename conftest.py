"""Fixtures shared by the whole suite: Beijing's organisations, and the Playwright browser."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache (cached public pages must not leak between tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _untrained_routing_suggestion(settings: Any, tmp_path: Path) -> None:
    """Every test starts without a trained 12345 routing suggestion (its model file is the
    test's own)."""
    settings.GONGKAI_HOTLINE_SUGGEST_MODEL = tmp_path / "hotline-suggest.joblib"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access from the test thread is still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def _beijing_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the reference data once per test module, inside a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        from gongkai.orgs.services import org_load_reference_data

        org_load_reference_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def beijing(_beijing_loaded: None, db: None) -> None:
    """Beijing's organisations; what a test changes is rolled back after it.

    The data stays for the rest of the module once a test asked for it: a test module either
    uses this fixture throughout or not at all.
    """
