"""Chromium from Debian, driven by Playwright's Python package (no browser download)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium package for the browser journeys.")
        pytest.skip("Browser journeys need /usr/bin/chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the tests' own ORM
    # calls are still synchronous, so Django's async guard does not apply to them.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person) against the live server."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, *, email: str, password: str, totp_secret: str | None = None, next_url=""):
    """allauth's login (and second factor) in the browser; lands on ``next_url``."""
    import pyotp

    page.goto(f"/vi/accounts/login/?next={next_url}" if next_url else "/vi/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").first.click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.fill("input[name=code]", pyotp.TOTP(totp_secret).now())
        page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
