"""Learning that reaches the morning meeting (issue 26 §7–§8): the risk manager's dashboard on a
phone and the ward's weekly digest, the municipal pocket card, and the discharge checklist."""

import pytest

from tests.journeys.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "document.scrollingElement.scrollWidth"
# The rendered height of every chart label, in CSS pixels.
LABEL_HEIGHTS = (
    "Array.from(document.querySelectorAll('svg.chart text'), t => t.getBoundingClientRect().height)"
)
# The mark before a checklist item: "☐" or "☑".
BEFORE = (
    "(id) => getComputedStyle("
    "document.querySelector(`.checklist li[data-check=${id}]`), '::before').content"
)
# How many lines each masked CPR number takes.
CPR_LINES = "Array.from(document.querySelectorAll('.cpr'), e => e.getClientRects().length)"


def test_risk_manager_on_a_phone_reads_the_dashboard_and_the_weekly_digest(browser, demo) -> None:  # type: ignore[no-untyped-def]
    manager = Journey(browser, demo, "risk_manager", PHONE, "learning")
    page = manager.page
    assert "Dokumentationsgrad" in manager.text()
    assert manager.evaluate(PAGE_WIDTH) <= 390
    heights = manager.evaluate(LABEL_HEIGHTS)
    assert heights
    assert min(heights) >= 11  # readable, not the 6 px of a squeezed chart
    assert "Annulleret (fejlregistrering)" in manager.text()
    assert "Henvist til egen læge eller intet svar" in manager.text()
    manager.shot("dashboard-phone")
    page.click("nav >> text=Læring pr. uge")
    page.click("text=Kardiologisk Afsnit")
    text = manager.text()
    assert "Læring fra utilsigtede hændelser, uge" in text
    assert "tjeklisten ved udskrivelse gennemgås på morgenmødet" in text
    assert "Behandlingsansvaret er en del af introduktionen af nye medarbejdere." in text
    for name in ("Hans Christensen", "Inger Jørgensen", "Susanne Berg", "Anne Sørensen"):
        assert name not in text  # blame-free and without the patient
    assert manager.count(".digest svg.chart rect") >= 1
    assert manager.evaluate(PAGE_WIDTH) <= 390
    manager.shot("digest")
    manager.close()


def test_municipal_nurse_opens_her_municipal_pocket_card(browser, demo) -> None:  # type: ignore[no-untyped-def]
    nurse = Journey(browser, demo, "municipal_nurse_herlev", PHONE, "learning")
    page = nurse.page
    page.click("nav >> text=Borgere med behandlingsansvar")
    masked = nurse.count(".cpr")
    assert masked >= 1
    # A masked CPR number is one line, never broken at its hyphen.
    assert nurse.evaluate(CPR_LINES) == [1] * masked
    page.click("nav >> text=Telefonliste")
    # Her own region first (alphabetically the phone list would start in Aalborg).
    first_hospital = nurse.text("#ward-rows tr:first-child td:nth-child(2)")
    assert first_hospital == "Amager og Hvidovre Hospital"
    page.click("text=Lommekort for Herlev Kommune")
    text = nurse.text()
    assert "Lommekort for kommunens personale" in text
    assert "Herlev Hospital" in text
    assert "Rigshospitalet" in text
    assert "Aarhus Universitetshospital" not in text
    assert nurse.count('a[href="tel:1813"]') == 1
    assert nurse.count('a[href="tel:112"]') == 1
    assert "Mette Holm" in text
    assert nurse.evaluate(PAGE_WIDTH) <= 390
    nurse.shot("municipal-card")
    nurse.close()


def test_ward_nurse_sees_the_checklist_tick_off_as_the_form_fills(browser, demo) -> None:  # type: ignore[no-untyped-def]
    nurse = Journey(browser, demo, "ward_nurse", {"width": 1280, "height": 900}, "learning")
    page = nurse.page
    page.click("nav >> text=Ny udskrivelse")
    assert nurse.evaluate(BEFORE, "plan") == '"☐"'
    page.fill("#id_cpr", "150355-1234")
    page.fill("#id_name", "Karen Hansen")
    page.select_option("#id_municipality", label="Herlev")
    page.select_option("#id_destination", "home_nursing")
    page.fill("#id_treatment_plan", "Observer vægt og åndenød.")
    page.check("#id_patient_informed")
    page.wait_for_selector("#coverage >> text=Omfattet")
    assert [
        nurse.evaluate(BEFORE, key)
        for key in ("responsibility", "until", "phone", "plan", "informed")
    ] == ['"☑"'] * 5
    nurse.shot("checklist")
    nurse.close()
