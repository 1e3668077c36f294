"""The three journeys of the story of Ole. Each step asserts what a person sees."""

import logging

import pytest

from handover.models import AccessLog
from tests.journeys.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


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
    sentence = nurse.text("#epr-sentence")
    assert sentence.startswith("Hospitalet har behandlingsansvar for patienten indtil ")
    page.click("text=Kopiér sætningen")
    nurse.shot("discharge")
    page.click("text=Patientkort")
    assert "Ved livsfare: ring 112." in nurse.text()
    assert nurse.count(".qr svg") == 1
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
    # No consequence is chosen for her: she says what it was.
    page.select_option("#id_actual_consequence", "minor")
    page.select_option("#id_possible_consequence", "serious_risk")
    nurse.shot("report")
    page.click("button.primary >> text=Send rapport")
    assert "Rapporten er modtaget" in nurse.text("body")
    nurse.close(secrets=("1203402782", "120340-2782"))
    # the server's log during the journey never carries the CPR number, nor the access log
    assert "1203402782" not in caplog.text
    assert not AccessLog.objects.filter(criterion__contains="1203402782").exists()


def test_risk_manager_closes_a_case_and_sees_the_dashboard(browser, demo) -> None:  # type: ignore[no-untyped-def]
    manager = Journey(browser, demo, "risk_manager", {"width": 1280, "height": 900}, "3-risk")
    page = manager.page
    assert "Dokumentationsgrad" in manager.text()
    assert manager.count("svg.chart") >= 1
    page.click("nav >> text=Indbakke")
    page.click("text=Henvist til egen læge inden for 96 timer")
    page.select_option("#to", "in_review")
    page.click("button.primary >> text=Gem")
    assert "Sagen er opdateret." in manager.text("body")
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
    assert manager.count("svg.chart rect") >= 1
    manager.shot("dashboard")
    manager.close()
