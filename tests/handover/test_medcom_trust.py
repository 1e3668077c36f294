"""The trust boundary of MedCom messaging: a message touches only the stays and discharges of its
sender's own hospital, its sender must belong to the posting account's hospital, and its answer
never depends on what the sender may not see."""

import copy
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from contacts.sor import SOR_SYSTEM
from handover.models import (
    AccessLog,
    Discharge,
    EndReason,
    InboundMessage,
    Notification,
    Status,
    Stay,
)
from tests.factories import ContactPersonFactory, record_discharge
from tests.medcom import build, example, fresh, post, shifted, weeks_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HERLEV_PATIENT = "2509479989"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build()


def from_ward(message: dict, ward) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The message as the ward's own system would send it: sender and department are the ward
    (by its SOR code, its EAN dropped)."""
    changed = copy.deepcopy(message)
    header = changed["entry"][0]["resource"]
    own = {header["sender"]["reference"].rsplit("/", 1)[1]}
    for entry in changed["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Encounter":
            own.add(resource["serviceProvider"]["reference"].rsplit("/", 1)[1])
    for entry in changed["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Organization" and resource["id"] in own:
            resource["identifier"] = [{"system": SOR_SYSTEM, "value": ward.sor_code}]
            resource["name"] = ward.name
    return changed


def admission() -> dict:  # type: ignore[type-arg]
    by = weeks_to(example("admit-inpatient"), NOW, field="start")
    return fresh(shifted(example("admit-inpatient"), by))


@pytest.fixture
def herlev_window(world):  # type: ignore[no-untyped-def]
    ContactPersonFactory(ward=world.herlev_ward, email="kardio@herlev.example.dk")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        return record_discharge(ward=world.herlev_ward, cpr=HERLEV_PATIENT, municipality_code="163")


def test_a_message_in_another_hospitals_name_is_refused_and_writes_nothing(  # type: ignore[no-untyped-def]
    api_client, world, herlev_window
) -> None:
    api_client.force_authenticate(world.aarhus)
    with time_machine.travel(NOW, tick=False):
        answer = post(api_client, admission())  # Herlev's SOR code, posted from Aarhus
    assert answer.status_code == 403
    assert "does not belong to your hospital" in answer.json()["detail"]
    assert answer.json()["acknowledgement"]["entry"][0]["resource"]["response"]["code"] == (
        "fatal-error"
    )
    herlev_window.refresh_from_db()
    assert herlev_window.status == Status.ACTIVE
    assert not Stay.objects.exists()
    logged = InboundMessage.objects.get()
    assert (logged.result, logged.hospital) == ("forbidden", world.aarhus_ward.hospital)


def test_an_unknown_sender_is_refused(api_client, world) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(world.herlev)
    message = admission()
    for entry in message["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Organization":
            resource["identifier"] = [{"system": SOR_SYSTEM, "value": "111111111111111"}]
    with time_machine.travel(NOW, tick=False):
        answer = post(api_client, message)
    assert answer.status_code == 403
    assert InboundMessage.objects.get().result == "forbidden"


def test_a_department_of_another_hospital_is_refused(api_client, world) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(world.herlev)
    message = admission()
    header = message["entry"][0]["resource"]
    sender = header["sender"]["reference"].rsplit("/", 1)[1]
    for entry in message["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Encounter":
            resource["serviceProvider"] = {"reference": "Organization/aarhus"}
    message["entry"].append(
        {
            "fullUrl": "https://medcomfhir.dk/ig/hospitalnotification/Organization/aarhus",
            "resource": {
                "resourceType": "Organization",
                "id": "aarhus",
                "identifier": [{"system": SOR_SYSTEM, "value": world.aarhus_ward.sor_code}],
                "name": world.aarhus_ward.name,
            },
        }
    )
    assert sender
    with time_machine.travel(NOW, tick=False):
        answer = post(api_client, message)
    assert answer.status_code == 403
    assert "another hospital" in answer.json()["detail"]


def test_a_readmission_elsewhere_ends_the_window_by_the_service_and_tells_the_owner(  # type: ignore[no-untyped-def]
    api_client, world, herlev_window
) -> None:
    api_client.force_authenticate(world.aarhus)
    with time_machine.travel(NOW, tick=False):
        answer = post(api_client, from_ward(admission(), world.aarhus_ward))
    assert (answer.status_code, answer.json()["result"]) == (200, "recorded")
    assert "discharge" not in answer.json()
    herlev_window.refresh_from_db()
    assert (herlev_window.status, herlev_window.end_reason) == (Status.ENDED, EndReason.READMITTED)
    assert herlev_window.ended_by is None  # the service ended it, not the Aarhus nurse
    assert herlev_window.ended_by_stay.hospital == world.aarhus_ward.hospital
    told = Notification.objects.filter(discharge=herlev_window, ward=world.herlev_ward)
    assert told.exists()
    assert not AccessLog.objects.filter(user=world.aarhus, patient=herlev_window.patient).exists()


def test_the_answer_is_the_same_for_a_citizen_with_a_window_elsewhere_and_an_unknown_one(  # type: ignore[no-untyped-def]
    api_client, world, herlev_window
) -> None:
    api_client.force_authenticate(world.aarhus)
    unknown = from_ward(admission(), world.aarhus_ward)
    for entry in unknown["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["identifier"][0]["value"] = "0202451234"
    with time_machine.travel(NOW, tick=False):
        known = post(api_client, from_ward(admission(), world.aarhus_ward))
        stranger = post(api_client, fresh(unknown))

    def shape(answer):  # type: ignore[no-untyped-def]
        body = dict(answer.json())
        acknowledgement = body.pop("acknowledgement")
        return answer.status_code, body, acknowledgement["entry"][0]["resource"]["response"]["code"]

    assert shape(known) == shape(stranger) == (200, {"result": "recorded"}, "ok")


def test_a_correction_from_another_hospital_cannot_reach_a_stay(api_client, world) -> None:  # type: ignore[no-untyped-def]
    by = weeks_to(example("discharge-inpatient-home"), NOW)
    discharge = shifted(example("discharge-inpatient-home"), by)
    api_client.force_authenticate(world.herlev)
    with time_machine.travel(NOW, tick=False):
        assert post(api_client, discharge).status_code == 201
    correction = from_ward(fresh(discharge), world.aarhus_ward)
    for entry in correction["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Provenance":
            code = resource["activity"]["coding"][0]
            if code["code"] == "discharge-inpatient-home":
                code["code"] = "revise-discharge-inpatient-home"
                resource["target"][0]["reference"] = (
                    f"MessageHeader/{correction['entry'][0]['resource']['id']}"
                )
    api_client.force_authenticate(world.aarhus)
    with time_machine.travel(NOW, tick=False):
        answer = post(api_client, correction)
    herlevs = Discharge.objects.get(ward=world.herlev_ward)
    assert herlevs.ward.hospital == world.herlev_ward.hospital
    assert answer.json()["result"] in ("created", "updated")
    assert Stay.objects.filter(hospital=world.herlev_ward.hospital).count() == 1
    assert Discharge.objects.filter(ward=world.aarhus_ward).count() == 1


def test_a_municipal_nurse_may_not_send_hospital_notifications(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user("municipal_nurse", municipality_id="163"))
    assert post(api_client, example("admit-inpatient")).status_code == 403
