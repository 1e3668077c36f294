"""CSV exports neutralise formula injection (OWASP "CSV Injection") in every cell."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from handover.exports import csv_response, neutralise
from tests.factories import UserFactory, record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\tX", "\rY"]


def cells(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(
        csv.reader(io.StringIO(response.content.decode("utf-8"), newline=""), delimiter=";")
    )


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(formula: str) -> None:
    assert neutralise(formula) == f"'{formula}"


@pytest.mark.parametrize("text", ["Ole Hansen", "Æble = pære", "44 88 44 88", "", "'=1"])
def test_a_cell_that_is_no_formula_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("number", [-2, 0.6667, Decimal("-1.5")])
def test_numbers_the_product_computes_stay_numbers(number: object) -> None:
    assert neutralise(number) == number


def test_a_csv_download_is_utf8_with_semicolons() -> None:
    response = csv_response(filename="liste.csv", header=["Navn"], rows=[["Søren Ærø", 3]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    assert response.content.decode("utf-8") == "Navn\r\nSøren Ærø;3\r\n"


@pytest.mark.parametrize("formula", FORMULAS)
def test_downtime_list_neutralises_names_and_plans(
    client, herlev_nurse, herlev_ward, formula
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, name=formula, treatment_plan=formula)
    client.force_login(herlev_nurse)
    header, row = cells(client.get(reverse("handover:board_csv")))
    assert (row[header.index("Navn")], row[header.index("Behandlingsplan")]) == (
        f"'{formula}",
        f"'{formula}",
    )


def test_downtime_list_writes_phone_numbers_as_the_product_shows_them(
    client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    herlev_ward.day_phone = "+4544884488"
    herlev_ward.on_call_phone = "+4538683868"
    herlev_ward.save()
    record_discharge(ward=herlev_ward, phone_line="by_clock")
    client.force_login(herlev_nurse)
    header, row = cells(client.get(reverse("handover:board_csv")))
    assert row[header.index("Telefon")] == "44 88 44 88 i dagtid, ellers 38 68 38 68"


@pytest.mark.parametrize("formula", FORMULAS)
def test_access_report_neutralises_usernames(
    client, api_client, herlev_ward, make_user, formula
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    nurse = UserFactory(username=formula, role=Role.MUNICIPAL_NURSE, municipality_id="163")
    api_client.force_authenticate(nurse)
    api_client.post("/api/v1/lookup/", {"cpr": "0101451234"}, format="json")
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    response = client.post(
        reverse("handover:access_report"), {"cpr": "0101451234", "format": "csv"}
    )
    header, *rows = cells(response)
    users = [row[header.index("Bruger")] for row in rows]
    assert (f"'{formula}" in users, formula in users) == (True, False)
