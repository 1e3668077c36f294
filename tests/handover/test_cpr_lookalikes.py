"""A CPR number written in look-alike digits: one rule (``rules.parse_cpr``) for every way in.

Full-width digits (and the full-width hyphen) are the same characters in another width: NFKC
makes them ASCII, and they name the same citizen as the ASCII number. Arabic-Indic digits are
other characters that NFKC keeps: they are refused, never stored as a second citizen.
"""

import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import rules
from handover.models import AccessAction, AccessLog, Discharge, InboundMessage, Patient
from tests import medcom
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

ASCII = "010145-1234"
FULL_WIDTH = "０１０１４５－１２３４"
ARABIC_INDIC = "٠١٠١٤٥-١٢٣٤"
EXTENDED_ARABIC_INDIC = "۰۱۰۱۴۵۱۲۳۴"


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


@pytest.fixture
def ward_nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


def api_discharge(ward, cpr):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return {
        "patient": {"cpr": cpr, "name": "Ole Hansen"},
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=3)).isoformat(),
        "discharged_at": (now - timedelta(minutes=5)).isoformat(),
        "destination": "home_nursing",
        "municipality": "163",
    }


def form_discharge(ward, cpr):  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    return {
        "cpr": cpr,
        "name": "Ole Hansen",
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "discharged_at": (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "destination": "home_nursing",
        "municipality": "163",
        "finished": "on",
    }


def test_full_width_digits_and_hyphen_read_as_the_ascii_number() -> None:
    assert rules.parse_cpr(FULL_WIDTH).number == "0101451234"


@pytest.mark.parametrize("text", [ARABIC_INDIC, EXTENDED_ARABIC_INDIC, "010145‐1234"])
def test_digits_nfkc_keeps_foreign_and_other_dashes_are_refused(text: str) -> None:
    with pytest.raises(rules.InvalidCPR, match="0-9"):
        rules.parse_cpr(text)


def test_api_discharge_in_full_width_digits_is_the_same_patient(
    api_client, ward_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    existing = record_discharge(ward=herlev_ward, discharged_at=timezone.now() - timedelta(days=9))
    api_client.force_authenticate(ward_nurse)
    response = api_client.post(
        "/api/v1/discharges/", api_discharge(herlev_ward, FULL_WIDTH), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["patient"]["cpr_masked"] == "010145-****"
    assert Patient.objects.get().pk == existing.patient_id


@pytest.mark.parametrize("cpr", [ARABIC_INDIC, EXTENDED_ARABIC_INDIC])
def test_api_discharge_in_arabic_indic_digits_is_refused(
    api_client, ward_nurse, herlev_ward, cpr
) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(ward_nurse)
    response = api_client.post(
        "/api/v1/discharges/", api_discharge(herlev_ward, cpr), format="json"
    )
    assert response.status_code == 400
    assert "0-9" in response.json()["errors"]["patient.cpr"][0]
    assert not Patient.objects.exists()


def test_form_discharge_in_full_width_digits_is_the_same_patient(
    client, ward_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    existing = record_discharge(ward=herlev_ward, discharged_at=timezone.now() - timedelta(days=9))
    client.force_login(ward_nurse)
    response = client.post(
        reverse("handover:discharge_new"), form_discharge(herlev_ward, FULL_WIDTH)
    )
    assert response.status_code == 302
    assert Discharge.objects.count() == 2
    assert Patient.objects.get().pk == existing.patient_id


def test_form_discharge_in_arabic_indic_digits_is_refused(client, ward_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client.force_login(ward_nurse)
    response = client.post(
        reverse("handover:discharge_new"), form_discharge(herlev_ward, ARABIC_INDIC)
    )
    assert response.status_code == 200
    assert "0-9" in response.context["form"].errors["cpr"][0]
    assert not Patient.objects.exists()


def test_api_lookup_in_full_width_digits_finds_the_ascii_window(
    api_client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, cpr="0101451234")
    api_client.force_authenticate(herlev_nurse)
    ascii_answer = api_client.post("/api/v1/lookup/", {"cpr": ASCII}, format="json").json()
    full_width = api_client.post("/api/v1/lookup/", {"cpr": FULL_WIDTH}, format="json").json()
    assert full_width["discharge"]["id"] == discharge.pk
    assert full_width == ascii_answer


def test_api_lookup_in_arabic_indic_digits_is_400_and_not_logged(
    api_client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, cpr="0101451234")
    api_client.force_authenticate(herlev_nurse)
    response = api_client.post("/api/v1/lookup/", {"cpr": ARABIC_INDIC}, format="json")
    assert response.status_code == 400
    assert "cpr" in response.json()["errors"]
    assert not AccessLog.objects.filter(action=AccessAction.LOOKUP).exists()


def test_lookup_page_in_full_width_digits_shows_the_window(
    client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, cpr="0101451234")
    client.force_login(herlev_nurse)
    response = client.post(reverse("handover:lookup"), {"cpr": FULL_WIDTH})
    assert response.context["answer"].discharge == discharge


def test_lookup_page_in_arabic_indic_digits_says_which_digits(
    client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, cpr="0101451234")
    client.force_login(herlev_nurse)
    response = client.post(reverse("handover:lookup"), {"cpr": ARABIC_INDIC})
    assert "answer" not in response.context
    assert "0-9" in response.context["form"].errors["cpr"][0]


def test_full_width_discharge_is_on_the_downtime_list_in_ascii(
    api_client, ward_nurse, herlev_nurse, herlev_ward, client
) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(ward_nurse)
    api_client.post("/api/v1/discharges/", api_discharge(herlev_ward, FULL_WIDTH), format="json")
    client.force_login(herlev_nurse)
    listing = client.get(reverse("handover:board_csv")).content.decode()
    assert listing.count(";Ole Hansen") == 1
    assert f"{ASCII};Ole Hansen" in listing
    assert "０" not in listing


def test_access_report_in_full_width_digits_finds_the_ascii_lookups(
    client, api_client, herlev_nurse, herlev_ward, make_user
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, cpr="0101451234")
    api_client.force_authenticate(herlev_nurse)
    api_client.post("/api/v1/lookup/", {"cpr": ASCII}, format="json")
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    response = client.post(reverse("handover:access_report"), {"cpr": FULL_WIDTH})
    assert "Fundet" in response.content.decode()
    refused = client.post(reverse("handover:access_report"), {"cpr": ARABIC_INDIC})
    assert "0-9" in refused.context["form"].errors["cpr"][0]


EXAMPLE = medcom.example("discharge-inpatient-home")
FHIR_URL = "/api/v1/fhir/hospital-notification/"


def notification(cpr: str) -> bytes:
    bundle = copy.deepcopy(EXAMPLE)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["identifier"][0]["value"] = cpr
    return json.dumps(bundle).encode()


@pytest.fixture
def integration(api_client):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(medcom.build().herlev)
    return api_client


def test_medcom_notification_in_full_width_digits_is_the_ascii_patient(integration) -> None:  # type: ignore[no-untyped-def]
    # The example's patient, 250947-9989, in full-width digits.
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in "2509479989")
    response = integration.post(
        FHIR_URL, data=notification(full_width), content_type="application/fhir+json"
    )
    assert response.status_code == 201, response.json()
    assert Discharge.objects.get(pk=response.json()["discharge"]).patient.cpr == "2509479989"


def test_medcom_notification_in_arabic_indic_digits_is_rejected(integration) -> None:  # type: ignore[no-untyped-def]
    arabic_indic = "".join(chr(ord(digit) - ord("0") + 0x0660) for digit in "2509479989")
    response = integration.post(
        FHIR_URL, data=notification(arabic_indic), content_type="application/fhir+json"
    )
    assert response.status_code == 400
    assert not Patient.objects.exists()
    assert InboundMessage.objects.get().result == "rejected"
