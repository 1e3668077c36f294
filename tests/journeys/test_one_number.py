"""One number, one truth, and an ended period that looks ended on both sides (issue 26 §1, §2):
the ward documents a direct number, the municipal nurse's look-up gives exactly that number and
says it is direct; the ward ends the period, and both the ward's page and the municipal nurse's
board show when, why and by whom."""

import pytest

from tests.journeys.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

CPR = "150355-1234"


def test_the_documented_number_reaches_the_caller_and_the_end_reaches_both_sides(
    browser, demo
) -> None:  # type: ignore[no-untyped-def]
    ward = Journey(browser, demo, "ward_nurse", {"width": 1280, "height": 900}, "one-number-ward")
    page = ward.page
    page.click("text=Ny udskrivelse >> nth=-1")
    page.fill("#id_cpr", CPR)
    page.fill("#id_name", "Karen Hansen")
    page.select_option("#id_municipality", label="Herlev")
    page.select_option("#id_destination", "home_nursing")
    page.fill("#id_treatment_plan", "Observer vægt og åndenød. Furosemid 40 mg x 2.")
    page.select_option("#id_phone_line", "direct")
    page.fill("#id_contact_phone", "44 88 12 34")
    page.press("#id_contact_phone", "Tab")  # a change: the preview asks again
    page.wait_for_selector("#coverage >> text=Nummeret, kommunen og lægerne får: 44 88 12 34")
    ward.shot("form")
    page.click("button.primary >> text=Registrér udskrivelse")
    page.wait_for_selector("#epr-sentence")
    assert ward.text("#epr-sentence").endswith("tlf. 44 88 12 34.")
    discharge_url = page.url
    ward.shot("discharge")

    town = Journey(
        browser, demo, "municipal_nurse_herlev", {"width": 390, "height": 844}, "one-number-town"
    )
    town.page.fill("#id_cpr", CPR)
    town.page.click("button.primary >> text=Find")
    assert town.page.locator("a.call-now").get_attribute("href") == "tel:+4544881234"
    assert "Direkte nummer dokumenteret af afdelingen" in town.text()
    town.shot("answer")

    page.goto(discharge_url)
    page.select_option("#end_reason", "readmitted")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button.danger >> text=Afslut")
    assert "Afsluttet" in ward.text("#window-ended")
    assert "Genindlagt" in ward.text("#window-ended")
    assert ward.count("#epr-sentence") == 0
    ward.shot("ended")
    ward.close(secrets=("1503551234", CPR))

    town.page.goto(f"{demo}/borgere/")
    ended = town.text("#ended")
    assert "Karen Hansen" in ended
    assert "Genindlagt" in ended
    town.shot("ended")
    town.close(secrets=("1503551234", CPR))
