"""The three journeys of the story of Ole, in Debian's Chromium driven by Playwright.

Each step asserts what a person sees. Any console error or CSP violation fails the journey.
Screenshots of the key pages go to test-artifacts/ (gitignored).
"""

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import AccessLog

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORD = "handover-demo"

pytestmark = pytest.mark.django_db(transaction=True)


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

    def text(self) -> str:
        return self.page.inner_text("main")

    def close(self, *, secrets: tuple[str, ...] = ()) -> None:
        """End the journey: no console errors or CSP violations, no CPR in any URL requested."""
        self.context.close()
        assert self.errors == [], self.errors
        for secret in secrets:
            assert not [url for url in self.urls if secret in url]


def test_ward_nurse_registers_a_discharge_and_prints_the_card(browser, demo) -> None:  # type: ignore[no-untyped-def]
    nurse = Journey(browser, demo, "ward_nurse", {"width": 1280, "height": 900}, "1-ward")
    page = nurse.page
    assert "Udskrivelser med behandlingsansvar" in nurse.text()
    page.click("text=Ny udskrivelse >> nth=-1")
    page.fill("#id_cpr", "150355-1234")
    page.fill("#id_name", "Karen Hansen")
    page.select_option("#id_municipality", label="Herlev")
    page.select_option("#id_destination", "home_nursing")
    page.fill("#id_treatment_plan", "Observer vægt og åndenød. Furosemid 40 mg x 2.")
    page.wait_for_selector("#coverage >> text=Omfattet: 96 timers behandlingsansvar")
    nurse.shot("form")
    page.click("button.primary >> text=Registrér udskrivelse")
    page.wait_for_selector("#epr-sentence")
    sentence = page.inner_text("#epr-sentence")
    assert sentence.startswith("Hospitalet har behandlingsansvar for patienten indtil ")
    page.click("text=Kopiér sætningen")
    nurse.shot("discharge")
    page.click("text=Patientkort")
    assert "Ved livsfare: ring 112." in nurse.text()
    assert page.locator(".qr svg").count() == 1
    nurse.shot("card")
    nurse.close()


def test_municipal_nurse_finds_the_ward_logs_a_call_and_reports(browser, demo, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    nurse = Journey(
        browser, demo, "municipal_nurse_herlev", {"width": 390, "height": 844}, "2-municipal"
    )
    page = nurse.page
    page.fill("#id_cpr", "120340-2782")  # Inger Jørgensen, discharged from Herlev's heart ward
    page.click("button.primary >> text=Find")
    assert "Kardiologisk Afsnit, Herlev Hospital" in nurse.text()
    assert page.locator("a.call-now").get_attribute("href").startswith("tel:+45")
    nurse.shot("answer")
    page.click("text=Registrér opkald")
    page.select_option("#id_outcome", "referred_to_gp")
    page.click("button.primary >> text=Gem opkald")
    assert "Forslag: rapportér en utilsigtet hændelse" in nurse.text()
    page.click("text=Udfyld rapporten")
    assert page.input_value("#id_title").startswith("Henvist til egen læge")
    nurse.shot("report")
    page.click("button.primary >> text=Send rapport")
    assert "Rapporten er modtaget" in page.inner_text("body")
    nurse.close(secrets=("1203402782", "120340-2782"))
    # the server's log during the journey never carries the CPR number, nor the access log
    assert "1203402782" not in caplog.text
    assert not AccessLog.objects.filter(criterion__contains="1203402782").exists()


def test_risk_manager_closes_a_case_and_sees_the_dashboard(browser, demo) -> None:  # type: ignore[no-untyped-def]
    manager = Journey(browser, demo, "risk_manager", {"width": 1280, "height": 900}, "3-risk")
    page = manager.page
    assert "Dokumentationsgrad" in manager.text()
    assert page.locator("svg.chart").count() >= 1
    page.click("nav >> text=Indbakke")
    page.click("text=Henvist til egen læge inden for 96 timer")
    page.select_option("#to", "in_review")
    page.click("button.primary >> text=Gem")
    assert "Sagen er opdateret." in page.inner_text("body")
    page.select_option("#to", "closed")
    page.select_option("#severity", "minor")
    page.fill("#learning_text", "Nøgleperson gennemgår udskrivningsrapporter ugentligt.")
    page.fill("#learning_owner", "Afdelingssygeplejerske")
    page.fill("#learning_due", "2027-01-31")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button.primary >> text=Gem")
    assert "Afsluttet" in manager.text()
    assert "Nøgleperson gennemgår" in manager.text()
    manager.shot("case")
    page.click("nav >> text=Overblik")
    assert page.locator("svg.chart rect").count() >= 1
    manager.shot("dashboard")
    manager.close()
