"""The FHIR export of a discharge: valid R4 that follows MedCom/DK core's rules, carrying the
number the ward documented beside its day and on-call lines."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fhir.resources.R4B.bundle import Bundle

from accounts.models import Role
from handover import services
from handover.models import Discharge, EndReason, Status
from tests.factories import record_discharge
from tests.medcom import build, example, post, shifted, weeks_to

pytestmark = pytest.mark.django_db

R4_CAREPLAN_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}


def export(client, discharge):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/discharges/{discharge.pk}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    Bundle.model_validate_json(response.content)
    return response.json()


def by_type(bundle: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    found: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


@pytest.fixture
def nurse(api_client, herlev_ward, make_user):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return api_client


def test_every_resource_has_an_id_a_narrative_and_a_uuid_full_url(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    bundle = export(nurse, record_discharge(ward=herlev_ward))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        assert resource["text"]["status"] == "generated"
        assert resource["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')


def test_the_export_names_the_same_resources_at_every_export(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    first, second = export(nurse, discharge), export(nurse, discharge)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]


def test_the_patient_has_an_official_name_and_her_cpr(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    bundle = export(nurse, record_discharge(ward=herlev_ward, name="Ole Bent Hansen"))
    [patient] = by_type(bundle)["Patient"]
    assert patient["name"] == [{"use": "official", "family": "Hansen", "given": ["Ole Bent"]}]
    assert patient["identifier"] == [{"system": "urn:oid:1.2.208.176.1.2", "value": "0101451234"}]


def test_the_number_the_ward_documented_is_exported_beside_its_lines(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    bundle = export(nurse, record_discharge(ward=herlev_ward, contact_phone="+4544881234"))
    [team] = by_type(bundle)["CareTeam"]
    assert team["telecom"] == [{"system": "phone", "value": "+4544881234", "use": "work"}]
    lines = {s["telecom"][0]["value"] for s in by_type(bundle)["HealthcareService"]}
    assert lines == {str(herlev_ward.day_phone), str(herlev_ward.on_call_phone)}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: None, "active"),
        (
            lambda d: services.end_responsibility(
                discharge=d, by=None, reason=EndReason.READMITTED
            ),
            "revoked",
        ),
        (
            lambda d: services.end_responsibility(discharge=d, by=None, reason=EndReason.CANCELLED),
            "entered-in-error",
        ),
        (lambda d: Discharge.objects.filter(pk=d.pk).update(status=Status.EXPIRED), "completed"),
    ],
)
def test_the_careplan_status_is_one_of_r4s(nurse, herlev_ward, change, expected) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    change(discharge)
    [careplan] = by_type(export(nurse, discharge))["CarePlan"]
    assert careplan["status"] == expected
    assert expected in R4_CAREPLAN_STATUS


def test_a_discharge_the_scheme_does_not_cover_exports_an_r4_status_with_the_reason(
    nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, destination="other")
    [careplan] = by_type(export(nurse, discharge))["CarePlan"]
    assert careplan["status"] == "unknown"
    assert "Ikke omfattet" in careplan["note"][-1]["text"]


def test_a_manual_discharge_has_an_episode_of_care_identifier_under_the_wards_sor(
    nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    [encounter] = by_type(export(nurse, record_discharge(ward=herlev_ward)))["Encounter"]
    [episode] = encounter["episodeOfCare"]
    assert episode["identifier"]["system"] == f"https://sor2.sum.dsdn.dk/#id={herlev_ward.sor_code}"
    assert encounter["class"]["code"] == "IMP"


def test_an_imported_discharge_carries_the_hospitals_forloebsid_and_class(api_client) -> None:  # type: ignore[no-untyped-def]
    world = build()
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    api_client.force_authenticate(world.herlev)
    message = example("discharge-emergency-home")
    with time_machine.travel(now, tick=False):
        created = post(api_client, shifted(message, weeks_to(message, now))).json()["discharge"]
        bundle = export(api_client, Discharge.objects.get(pk=created))
    [encounter] = by_type(bundle)["Encounter"]
    assert encounter["class"]["code"] == "EMER"
    assert (
        encounter["episodeOfCare"][0]["identifier"]["value"]
        == "bd481c38-a921-11ed-afa1-0242ac120002"
    )


def test_the_extension_and_the_plan_are_in_the_careplan(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="Vej dagligt.")
    services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="Ustabil")
    discharge.refresh_from_db()
    [careplan] = by_type(export(nurse, discharge))["CarePlan"]
    assert careplan["description"] == "Vej dagligt."
    assert datetime.fromisoformat(careplan["period"]["end"]) == discharge.responsibility_ends_at
    assert "Forlænget 24 timer" in careplan["note"][0]["text"]


def test_another_hospitals_discharge_is_404(api_client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=datetime.now(UTC) - timedelta(hours=1)
    )
    api_client.force_authenticate(make_user(Role.WARD_NURSE))
    assert api_client.get(f"/api/v1/discharges/{discharge.pk}/fhir/").status_code == 404
