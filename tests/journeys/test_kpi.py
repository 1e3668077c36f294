"""Seed 003's KPI in the browser: a ward nurse confirms the plan with contact details in the
epikrise on the discharge page, and the risk manager sees both KPIs against the target, per
month, ward and sundhedsklynge, with the rows behind a figure."""

import re

import pytest

from tests.journeys.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

PERCENT = re.compile(r"\d+ %")


def test_ward_nurse_confirms_the_epikrise_in_time(browser, demo) -> None:  # type: ignore[no-untyped-def]
    nurse = Journey(browser, demo, "ward_nurse", {"width": 1280, "height": 900}, "kpi")
    page = nurse.page
    page.click("text=Ny udskrivelse >> nth=-1")
    page.fill("#id_cpr", "100450-1236")
    page.fill("#id_name", "Villy Mikkelsen")
    page.select_option("#id_municipality", label="Ballerup")
    page.select_option("#id_destination", "home_nursing")
    page.fill("#id_treatment_plan", "Observer vægt og åndenød. Ring ved vægtøgning over 2 kg.")
    page.click("button.primary >> text=Registrér udskrivelse")
    assert "ikke bekræftet" in nurse.text("#documents")
    page.click("#document-epikrise button")
    assert "Bekræftelsen er gemt." in nurse.text("body")
    epikrise = nurse.text("#document-epikrise")
    assert "bekræftet" in epikrise
    assert "tæller med i målet" in epikrise
    assert "ikke bekræftet" in nurse.text("#document-discharge_report")
    nurse.shot("confirm")
    nurse.close(secrets=("1004501236", "100450-1236"))


def test_risk_manager_sees_both_kpis_and_the_rows_behind_a_cluster(browser, demo) -> None:  # type: ignore[no-untyped-def]
    manager = Journey(browser, demo, "risk_manager", {"width": 1280, "height": 900}, "kpi")
    page = manager.page
    assert "Dokumentationsgrad" in manager.text()
    assert PERCENT.search(manager.text("#kpi-epikrise"))
    assert PERCENT.search(manager.text("#kpi-discharge-report"))
    assert "mål 90 %" in manager.text("#kpi-epikrise")
    assert "tælles for sig og indgår ikke i målet" in manager.text("#kpi-other")
    # Two charts, each with the dashed target line.
    assert manager.count("#kpi svg.chart line") == 2
    assert manager.count("#kpi-month tbody tr") >= 12
    assert "Kardiologisk Afsnit" in manager.text("#kpi-ward")
    clusters = manager.text("#kpi-cluster")
    assert "Sundhedsklynge Midt" in clusters
    assert "Sundhedsklynge Byen" in clusters
    manager.shot("dashboard")
    page.click("#kpi-cluster >> text=Sundhedsklynge Midt")
    assert "Rækkerne bag tallet" in manager.text()
    assert manager.count("table.stack tbody tr") >= 1
    assert "Epikrise" in manager.text("table.stack thead")
    manager.shot("rows")
    manager.close()
