"""The callers seed 001 names besides the municipality (issue 26 §3 and §4): Akuttelefonen 1813
finds the ward for a citizen with an open period, and a mistyped CPR reads as a typo, not as
"call the GP"; a GP states the purpose of her look-up; the ward sees a 112 call's suspension."""

import logging

import pytest

from handover.models import AccessLog
from tests.journeys.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_1813_finds_the_ward_and_reads_a_typo_as_a_typo(browser, demo, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    line = Journey(browser, demo, "akuttelefon_1813", {"width": 390, "height": 844}, "callers-1813")
    page = line.page
    assert "Find ansvarlig afdeling" in line.text()  # where the acute line starts
    page.fill("#id_cpr", "010145-1234")  # Ole Hansen, København, Herlev's heart ward
    page.click("button.primary >> text=Find")
    assert "Kardiologisk Afsnit, Herlev Hospital" in line.text()
    assert page.locator("a.call-now").get_attribute("href").startswith("tel:+45")
    assert "Registrér opkald" not in line.text()  # the ward logs the call, not 1813
    assert page.input_value("#id_cpr") == ""  # a hit: the next look-up starts empty
    line.shot("answer")
    page.fill("#id_cpr", "010145-1243")  # two digits swapped
    page.click("button.primary >> text=Find")
    assert "Ingen aktiv periode for 010145-1243 — tjek nummeret" in line.text()
    assert page.input_value("#id_cpr") == "010145-1243"  # kept, to be corrected
    line.shot("typo")
    page.click("#no-period >> text=Eller find borgeren blandt borgere med behandlingsansvar.")
    assert "Borgere med behandlingsansvar" in line.text()
    assert "Ole Hansen" in line.text()
    line.shot("board")
    line.close(secrets=("0101451234", "010145-1234", "0101451243", "010145-1243"))
    assert "010145-1243" not in caplog.text
    assert "0101451243" not in caplog.text


def test_a_gp_states_the_purpose_of_her_look_up(browser, demo) -> None:  # type: ignore[no-untyped-def]
    gp = Journey(browser, demo, "gp_herlev", {"width": 1280, "height": 900}, "callers-gp")
    page = gp.page
    page.fill("#id_cpr", "120340-2782")  # Inger Jørgensen, Herlev
    page.click("button.primary >> text=Find")
    assert gp.count("#id_reason:invalid") == 1  # the browser asks for the purpose
    page.fill("#id_reason", "Borgeren ringede om åndenød")
    page.click("button.primary >> text=Find")
    assert "Kardiologisk Afsnit, Herlev Hospital" in gp.text()
    gp.shot("answer")
    gp.close(secrets=("1203402782", "120340-2782"))
    row = AccessLog.objects.get(user__username="gp_herlev", action="lookup")
    assert row.purpose == "Borgeren ringede om åndenød"


def test_the_ward_sees_a_112_suspension_and_lifts_it(browser, demo) -> None:  # type: ignore[no-untyped-def]
    nurse = Journey(browser, demo, "ward_nurse", {"width": 1280, "height": 900}, "callers-ward")
    page = nurse.page
    assert "Suspenderet: 112-opkald kl." in nurse.text()  # Grethe Nielsen on the worklist
    page.click("text=Grethe Nielsen")
    assert "præhospitalet har overtaget" in nurse.text()
    nurse.shot("suspended")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#suspended button")
    assert "Suspenderingen er ophævet" in nurse.text("body")
    assert "præhospitalet har overtaget" not in nurse.text()
    nurse.close()
