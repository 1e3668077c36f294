"""What every browser journey shares: Debian's Chromium driven by Playwright, the demo data on a
live server, and a ``Journey`` that fails on any console error or CSP violation and takes named
screenshots into test-artifacts/ (gitignored)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "handover-demo"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # meanwhile are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("needs Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo(live_server, reference_data, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True  # seed_demo refuses otherwise; the server itself is unaffected
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    return live_server.url


class Journey:
    """A logged-in page that collects console errors and takes named screenshots."""

    def __init__(
        self, browser, base: str, username: str, viewport: dict[str, int], name: str
    ) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport=viewport, locale="da-DK")
        self.page = self.context.new_page()
        self.base, self.name = base, name
        self.errors: list[str] = []
        self.urls: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda request: self.urls.append(request.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{base}/konto/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button.primary")

    def shot(self, step: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.name}-{step}.png"), full_page=True)

    # Every read waits for the page's load event first: a click that navigates returns as soon as
    # the new page starts to arrive, before all of it is parsed.

    def text(self, selector: str = "main") -> str:
        self.page.wait_for_load_state()
        return self.page.inner_text(selector)

    def count(self, selector: str) -> int:
        self.page.wait_for_load_state()
        return self.page.locator(selector).count()

    def evaluate(self, expression: str, arg: object = None) -> Any:
        self.page.wait_for_load_state()
        return self.page.evaluate(expression, arg)

    def close(self, *, secrets: tuple[str, ...] = ()) -> None:
        """End the journey: no console errors or CSP violations, no CPR in any URL requested."""
        self.context.close()
        assert self.errors == [], self.errors
        for secret in secrets:
            assert not [url for url in self.urls if secret in url]
