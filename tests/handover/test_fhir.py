"""MedCom HospitalNotification import and FHIR export."""

import copy
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.db import IntegrityError
from fhir.resources.R4B.bundle import Bundle

from accounts.models import Role
from contacts.models import ContactRole
from handover.fhir import importer
from handover.models import Discharge, InboundMessage, Notification
from tests.factories import ContactPersonFactory, HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads(
    (Path(__file__).parent / "data" / "hospital_notification_slhj.json").read_text()
)
URL = "/api/v1/fhir/hospital-notification/"
SOR = "265161000016000"


@pytest.fixture
def heart_ward():  # type: ignore[no-untyped-def]
    return WardFactory(
        hospital=HospitalFactory(name="Herlev Hospital", region_id=1084), sor_code=SOR
    )


@pytest.fixture
def integration(api_client, heart_ward, make_user):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(
        make_user(Role.COORDINATOR, ward=None, hospital=heart_ward.hospital)
    )
    return api_client


def post(client, bundle, content_type="application/fhir+json"):  # type: ignore[no-untyped-def]
    body = bundle if isinstance(bundle, bytes) else json.dumps(bundle).encode()
    return client.post(URL, data=body, content_type=content_type)


def message(**changes):  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        for key, value in changes.get(kind, {}).items():
            entry["resource"][key] = value
    return bundle


def with_activity(bundle, code, header_id):  # type: ignore[no-untyped-def]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "MessageHeader":
            resource["id"] = header_id
            entry["fullUrl"] = entry["fullUrl"].rsplit("/", 1)[0] + "/" + header_id
        if resource["resourceType"] == "Provenance":
            resource["activity"]["coding"][0]["code"] = code
            resource["target"][0]["reference"] = f"MessageHeader/{header_id}"
    return bundle


def test_example_creates_one_discharge_with_the_right_facts(integration, heart_ward) -> None:  # type: ignore[no-untyped-def]
    response = post(integration, EXAMPLE)
    assert response.status_code == 201, response.json()
    assert response.json()["result"] == "created"
    discharge = Discharge.objects.get(pk=response.json()["discharge"])
    assert discharge.ward == heart_ward
    assert discharge.patient.cpr == "2509479989"
    assert discharge.patient.name == "Bruno Elmer"
    assert discharge.municipality.name == "Herlev"
    assert discharge.discharged_at == datetime(2022, 12, 18, 8, 45, 30, tzinfo=UTC)
    assert discharge.admitted_at == datetime(2022, 12, 7, 11, 0, tzinfo=UTC)
    assert (discharge.source, discharge.destination, discharge.window_hours) == ("fhir", "", 72)
    assert InboundMessage.objects.get().result == "created"


def test_shuffled_entries_give_the_same_discharge(integration) -> None:  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    header, rest = bundle["entry"][0], bundle["entry"][1:]
    random.Random(7).shuffle(rest)
    bundle["entry"] = [header, *rest]
    assert post(integration, bundle).status_code == 201


def test_references_resolve_by_full_url_too(integration) -> None:  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    base = "https://medcomfhir.dk/ig/hospitalnotification/"
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Encounter":
            entry["resource"]["subject"]["reference"] = base + "Patient/pat"
    assert post(integration, bundle).status_code == 201


def test_a_repeat_is_a_duplicate_and_changes_nothing(integration) -> None:  # type: ignore[no-untyped-def]
    post(integration, EXAMPLE)
    again = post(integration, EXAMPLE, content_type="application/json")
    assert (again.status_code, again.json()) == (200, {"result": "duplicate"})
    assert Discharge.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_ward_moved_to_another_hospital_is_no_longer_imported_for_this_one(  # type: ignore[no-untyped-def]
    integration, heart_ward
) -> None:
    assert post(integration, EXAMPLE).status_code == 201  # the ward is now kept in the process
    heart_ward.hospital = HospitalFactory(name="Gentofte Hospital", region_id=1084)
    heart_ward.save()
    response = post(integration, with_activity(message(), "discharge-inpatient-home", "second"))
    assert response.status_code == 400
    assert "unknown SOR code" in response.json()["detail"]


def test_admission_inside_the_window_ends_it_as_readmitted(integration, heart_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=heart_ward, cpr="2509479989")
    stin = with_activity(message(), "admit-inpatient", "stin-1")
    response = post(integration, stin)
    assert response.json()["result"] == "ended"
    discharge.refresh_from_db()
    assert (discharge.status, discharge.end_reason) == ("ended", "readmitted")


def test_deceased_patient_ends_the_window(integration, heart_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=heart_ward, cpr="2509479989")
    mors = with_activity(message(Patient={"deceasedBoolean": True}), "deceased", "mors-1")
    assert post(integration, mors).json()["result"] == "ended"
    discharge.refresh_from_db()
    assert discharge.end_reason == "deceased"


# The example's patient left on 2022-12-18 at 09:45 Danish time; its 72-hour window was open then.
IN_THE_WINDOW = datetime(2022, 12, 19, 12, 0, tzinfo=UTC)


@pytest.fixture
def herlev_nursing():  # type: ignore[no-untyped-def]
    ContactPersonFactory(
        municipality_id="163", role=ContactRole.KEY_PERSON, email="sygepleje@herlev.dk"
    )


def test_a_timely_message_opens_the_window_and_tells_the_municipality(
    integration, herlev_nursing
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(IN_THE_WINDOW, tick=False):
        created = post(integration, EXAMPLE).json()["discharge"]
    assert Discharge.objects.get(pk=created).status == "active"
    assert Notification.objects.filter(discharge_id=created).count() == 1


def test_a_message_after_the_window_records_it_as_expired_and_tells_nobody(
    integration, herlev_nursing
) -> None:  # type: ignore[no-untyped-def]
    late = post(integration, EXAMPLE).json()["discharge"]
    assert Discharge.objects.get(pk=late).status == "expired"
    assert not Notification.objects.exists()


def test_revision_corrects_the_time_and_cancel_cancels(integration) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(IN_THE_WINDOW, tick=False):
        created = post(integration, EXAMPLE).json()["discharge"]
        revised = message(
            Encounter={
                "period": {
                    "start": "2022-12-07T12:00:00+01:00",
                    "end": "2022-12-18T11:00:00+01:00",
                }
            }
        )
        response = post(
            integration, with_activity(revised, "revise-discharge-inpatient-home", "re-1")
        )
        assert response.json() == {"result": "updated", "discharge": created}
        discharge = Discharge.objects.get(pk=created)
        assert discharge.discharged_at == datetime(2022, 12, 18, 10, 0, tzinfo=UTC)
        cancel = with_activity(message(), "cancel-discharge-inpatient-home", "an-1")
        assert post(integration, cancel).json()["result"] == "cancelled"
        # The repeat can no longer be acted on (the window has ended): still a duplicate.
        assert post(integration, cancel).json() == {"result": "duplicate"}
    discharge.refresh_from_db()
    assert (discharge.status, discharge.end_reason) == ("ended", "cancelled")
    assert not InboundMessage.objects.filter(result="rejected").exists()


def test_other_events_are_stored_without_effect(integration) -> None:  # type: ignore[no-untyped-def]
    response = post(integration, with_activity(message(), "start-leave-inpatient", "leave-1"))
    assert (response.status_code, response.json()) == (200, {"result": "ignored"})
    assert Discharge.objects.count() == 0


def _without(kind):  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != kind]
    return bundle


def _header_without_id():  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    del bundle["entry"][0]["resource"]["id"]
    return bundle


def _two_patients():  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    extra = copy.deepcopy(
        next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    )
    extra["resource"]["id"] = "pat2"
    extra["fullUrl"] += "2"
    bundle["entry"].append(extra)
    return bundle


BAD = [
    ("not JSON", b"{not json", "not JSON"),
    ("not a Bundle", {"resourceType": "Patient"}, "not a FHIR Bundle"),
    ("not a message", {**EXAMPLE, "type": "collection"}, "not a message"),
    ("no patient", _without("Patient"), "exactly one Patient"),
    ("two patients", _two_patients(), "exactly one Patient"),
    ("no provenance", _without("Provenance"), "Provenance"),
    ("no CPR", message(Patient={"identifier": []}), "no CPR"),
    (
        "invalid CPR",
        message(
            Patient={"identifier": [{"system": "urn:oid:1.2.208.176.1.2", "value": "3102479989"}]}
        ),
        "invalid CPR",
    ),
    (
        "unknown SOR",
        message(Organization={"identifier": [{"system": "urn:oid:1.2.208.176.1.1", "value": "1"}]}),
        "SOR",
    ),
    (
        "end before start",
        message(
            Encounter={
                "period": {"start": "2022-12-18T12:00:00+01:00", "end": "2022-12-07T12:00:00+01:00"}
            }
        ),
        "before",
    ),
    (
        "naive time",
        message(
            Encounter={
                "period": {"start": "2022-12-07T12:00:00", "end": "2022-12-18T09:45:30+01:00"}
            }
        ),
        "period.start",
    ),
    (
        "malformed time",
        message(Encounter={"period": {"start": "yesterday", "end": "2022-12-18T09:45:30+01:00"}}),
        "invalid FHIR",
    ),
    ("MessageHeader without id", _header_without_id(), "the MessageHeader has no id"),
    (
        "unresolved reference",
        message(Encounter={"subject": {"reference": "Patient/nobody"}}),
        "unresolved",
    ),
]


@pytest.mark.parametrize(("case", "bundle", "reason"), BAD, ids=[case for case, _, _ in BAD])
def test_bad_messages_are_400_with_the_reason_and_only_logged(
    integration, case, bundle, reason
) -> None:  # type: ignore[no-untyped-def]
    response = post(integration, bundle)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert Discharge.objects.count() == 0
    assert InboundMessage.objects.get().result == "rejected"


def test_a_database_conflict_that_is_no_repeat_is_rejected_without_its_text(  # type: ignore[no-untyped-def]
    integration, monkeypatch, caplog
) -> None:
    def conflict(*_args: object) -> None:
        raise IntegrityError("duplicate key value: Key (cpr)=(0101450000) already exists")

    monkeypatch.setattr(importer, "apply", conflict)
    response = post(integration, EXAMPLE)
    assert response.status_code == 400
    assert response.json()["detail"] == "the message conflicts with stored data"
    assert InboundMessage.objects.get().result == "rejected"
    assert "0101450000" not in caplog.text


def test_over_one_megabyte_is_413(integration) -> None:  # type: ignore[no-untyped-def]
    response = post(integration, b" " * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert Discharge.objects.count() == 0


def test_municipal_nurse_may_not_import(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert post(api_client, EXAMPLE).status_code == 403


def test_export_round_trips_through_the_fhir_library(api_client, heart_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    from handover import services

    discharge = record_discharge(ward=heart_ward, treatment_plan="Vej dagligt.")
    services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="Ustabil")
    discharge.refresh_from_db()
    api_client.force_authenticate(make_user(Role.WARD_NURSE, ward=heart_ward))
    response = api_client.get(f"/api/v1/discharges/{discharge.pk}/fhir/")
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate_json(response.content)
    by_type: dict[str, list] = {}
    for entry in bundle.entry:
        by_type.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    assert by_type["Patient"][0].identifier[0].value == "0101451234"
    careplan = by_type["CarePlan"][0]
    assert careplan.description == "Vej dagligt."
    assert careplan.period.end == discharge.responsibility_ends_at
    assert "Forlænget 24 timer" in careplan.note[0].text
    assert {o.identifier[0].value for o in by_type["Organization"]} == {
        SOR,
        heart_ward.hospital.sor_code,
    }
    phones = {s.telecom[0].value for s in by_type["HealthcareService"]}
    assert phones == {str(heart_ward.day_phone), str(heart_ward.on_call_phone)}


def test_export_of_another_hospitals_discharge_is_404(api_client, heart_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=heart_ward)
    api_client.force_authenticate(make_user(Role.WARD_NURSE))
    assert api_client.get(f"/api/v1/discharges/{discharge.pk}/fhir/").status_code == 404


def test_admin_resends_a_rejected_message_after_the_directory_is_fixed(client, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMIN, ward=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin)
    assert post(api, EXAMPLE).status_code == 400  # no ward has the SOR code yet
    WardFactory(hospital=HospitalFactory(region_id=1084), sor_code=SOR)
    rejected = InboundMessage.objects.get()
    client.post(
        "/admin/handover/inboundmessage/",
        {"action": "resend", "_selected_action": [rejected.pk]},
    )
    assert InboundMessage.objects.filter(result="created").count() == 1
    assert Discharge.objects.count() == 1


def _variant(change):  # type: ignore[no-untyped-def]
    bundle = copy.deepcopy(EXAMPLE)
    change(bundle)
    return bundle


def _resource(bundle, kind):  # type: ignore[no-untyped-def]
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


VARIANTS = {
    "the example": lambda b: None,
    "a birth date that is no date": lambda b: _resource(b, "Patient").update(birthDate="soon"),
    "an unknown field": lambda b: _resource(b, "Encounter").update(colour="blue"),
    "a status that is no code": lambda b: _resource(b, "Encounter").update(status=42),
    "an unknown resource type": lambda b: b["entry"].append({"resource": {"resourceType": "Ole"}}),
    "a resource that is a list": lambda b: b["entry"].append({"resource": []}),
    "an entry without a resource": lambda b: b["entry"].append({"fullUrl": "urn:uuid:1"}),
    "a timestamp that is no time": lambda b: b.update(timestamp="yesterday"),
}


@pytest.mark.parametrize("change", VARIANTS.values(), ids=VARIANTS.keys())
def test_validating_resources_apart_judges_as_the_bundle_does(change) -> None:  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from handover.fhir.parse import BadMessage, _validates_apart

    bundle = _variant(change)
    try:
        Bundle.model_validate(bundle)
    except (ValidationError, KeyError):  # KeyError: fhir.resources on an unknown resource type
        valid = False
    else:
        valid = True
    try:
        apart = _validates_apart(bundle)
    except BadMessage:
        apart = False
    assert not (apart and not valid)  # never accepts what the Bundle refuses
    if valid and all(isinstance(e.get("resource"), dict) for e in bundle["entry"]):
        assert apart


def test_an_unknown_resource_type_is_a_bad_message(integration) -> None:  # type: ignore[no-untyped-def]
    bundle = _variant(lambda b: b["entry"].append({"resource": {"resourceType": "Ole"}}))
    response = post(integration, bundle)
    assert response.status_code == 400
    assert "unknown resource type" in response.json()["detail"]
