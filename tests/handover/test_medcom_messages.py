"""Receiving MedCom messages: every message logged and answered with a MedCom Acknowledgement,
repeats and conflicts told apart, anything that is not a HospitalNotification refused naming
why, and the answer retrievable by its sender."""

import copy
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fhir.resources.R4B.bundle import Bundle

from handover.models import Discharge, InboundMessage
from tests.medcom import MEDCOM, build, example, fresh, header_id, post, shifted, weeks_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build()


@pytest.fixture
def herlev(api_client, world):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(world.herlev)
    return api_client


def discharge_message() -> dict:  # type: ignore[type-arg]
    return shifted(
        example("discharge-inpatient-home"), weeks_to(example("discharge-inpatient-home"), NOW)
    )


def send(client, message, **kwargs):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        return post(client, message, **kwargs)


def response_of(acknowledgement: dict) -> dict:  # type: ignore[type-arg]
    return acknowledgement["entry"][0]["resource"]["response"]


def test_an_accepted_message_is_acknowledged_ok_from_its_receiver_to_its_sender(herlev) -> None:  # type: ignore[no-untyped-def]
    message = discharge_message()
    answer = send(herlev, message).json()["acknowledgement"]
    Bundle.model_validate(answer)
    header = answer["entry"][0]["resource"]
    assert header["eventCoding"]["code"] == "acknowledgement-message"
    assert response_of(answer) == {"identifier": header_id(message), "code": "ok"}
    organisations = {
        r["id"]: r
        for e in answer["entry"]
        if (r := e["resource"])["resourceType"] == "Organization"
    }
    sender = organisations[header["sender"]["reference"].split("/")[1]]
    receiver = organisations[header["destination"][0]["receiver"]["reference"].split("/")[1]]
    assert {"system": "urn:oid:1.2.208.176.1.1", "value": "953741000016009"} in sender["identifier"]
    assert {"system": "urn:oid:1.2.208.176.1.1", "value": "265161000016000"} in receiver[
        "identifier"
    ]
    provenances = [
        e["resource"] for e in answer["entry"] if e["resource"]["resourceType"] == "Provenance"
    ]
    assert {p["activity"]["coding"][0]["code"] for p in provenances} == {
        "acknowledgement",
        "discharge-inpatient-home",
    }
    assert all(e["resource"].get("text", {}).get("status") == "generated" for e in answer["entry"])


def test_the_acknowledgement_is_kept_for_its_sender_alone(
    herlev, api_client, world, make_user
) -> None:  # type: ignore[no-untyped-def]
    message = discharge_message()
    sent = send(herlev, message).json()["acknowledgement"]
    url = f"/api/v1/fhir/acknowledgements/{header_id(message)}/"
    assert herlev.get(url).json() == sent
    api_client.force_authenticate(world.aarhus)
    assert api_client.get(url).status_code == 404


def test_a_repeat_with_the_same_content_is_a_duplicate_answered_as_the_first_time(herlev) -> None:  # type: ignore[no-untyped-def]
    message = discharge_message()
    first = send(herlev, message).json()
    again = send(herlev, json.dumps(message, indent=2).encode(), content_type="application/json")
    assert (again.status_code, again.json()["result"]) == (200, "duplicate")
    assert again.json()["acknowledgement"] == first["acknowledgement"]
    assert Discharge.objects.count() == 1
    assert list(InboundMessage.objects.order_by("id").values_list("result", flat=True)) == [
        "created",
        "duplicate",
    ]


def test_a_repeat_with_other_content_is_a_conflict(herlev) -> None:  # type: ignore[no-untyped-def]
    message = discharge_message()
    send(herlev, message)
    changed = copy.deepcopy(message)
    for entry in changed["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["name"][0]["family"] = "Andersen"
    answer = send(herlev, changed)
    assert answer.status_code == 409
    assert response_of(answer.json()["acknowledgement"])["code"] == "fatal-error"
    assert InboundMessage.objects.order_by("-id").first().result == "conflict"
    assert Discharge.objects.get().patient.name != "Andersen"


def test_a_care_communication_is_no_hospital_notification(herlev) -> None:  # type: ignore[no-untyped-def]
    message = json.loads((MEDCOM / "carecommunication-example.json").read_text())
    answer = send(herlev, message)
    assert answer.status_code == 400
    assert "care-communication-message" in answer.json()["detail"]
    assert InboundMessage.objects.get().result == "rejected"


def test_a_foreign_profile_is_named(herlev) -> None:  # type: ignore[no-untyped-def]
    message = fresh(discharge_message())
    message["meta"] = {"profile": ["http://example.org/StructureDefinition/something-else"]}
    answer = send(herlev, message)
    assert answer.status_code == 400
    assert "something-else" in answer.json()["detail"]


def test_an_unknown_receiver_is_refused_with_medcoms_code(herlev) -> None:  # type: ignore[no-untyped-def]
    message = fresh(discharge_message())
    for entry in message["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Organization" and resource["name"] == "Plejecenter Herlev":
            resource["identifier"] = [
                {"system": "urn:oid:1.2.208.176.1.1", "value": "999999999999999"}
            ]
    answer = send(herlev, message)
    assert answer.status_code == 400
    outcome = next(
        e["resource"]
        for e in answer.json()["acknowledgement"]["entry"]
        if e["resource"]["resourceType"] == "OperationOutcome"
    )
    assert outcome["issue"][0]["details"]["coding"][0]["code"] == "MSG_Receiver_Identifier_UNKNOWN"


def test_a_receiver_known_by_its_ean_alone_is_found(herlev) -> None:  # type: ignore[no-untyped-def]
    message = fresh(discharge_message())
    for entry in message["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Organization" and resource["name"] == "Plejecenter Herlev":
            resource["identifier"] = [
                {"system": "http://www.gs1.org/gln", "value": "5790001348120"}
            ]
    assert send(herlev, message).status_code == 201


def test_shuffled_entries_give_the_same_discharge(herlev) -> None:  # type: ignore[no-untyped-def]
    message = discharge_message()
    header, rest = message["entry"][0], message["entry"][1:]
    random.Random(7).shuffle(rest)
    message["entry"] = [header, *rest]
    assert send(herlev, message).status_code == 201


def _without(kind):  # type: ignore[no-untyped-def]
    message = discharge_message()
    message["entry"] = [e for e in message["entry"] if e["resource"]["resourceType"] != kind]
    return message


def _changed(kind, **values):  # type: ignore[no-untyped-def]
    message = discharge_message()
    for entry in message["entry"]:
        if entry["resource"]["resourceType"] == kind:
            entry["resource"].update(values)
    return message


def _deep() -> bytes:
    return (
        b'{"resourceType": "Bundle", "type": "message", "entry": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )


BAD = [
    ("not JSON", b"{not json", "not JSON"),
    ("nested 100,000 deep", _deep(), "nested too deeply"),
    ("not a Bundle", {"resourceType": "Patient"}, "not a FHIR Bundle"),
    ("not a message", {**discharge_message(), "type": "collection"}, "not a message"),
    ("no patient", _without("Patient"), "Patient"),
    ("no provenance", _without("Provenance"), "Provenance"),
    ("no CPR", _changed("Patient", identifier=[]), "no CPR"),
    (
        "invalid CPR",
        _changed(
            "Patient", identifier=[{"system": "urn:oid:1.2.208.176.1.2", "value": "3102479989"}]
        ),
        "invalid CPR",
    ),
    (
        "NUL in a name",
        _changed("Patient", name=[{"use": "official", "family": "El\x00mer"}]),
        "NUL",
    ),
    (
        "end before start",
        _changed(
            "Encounter",
            period={"start": "2026-11-20T12:00:00+01:00", "end": "2026-11-19T12:00:00+01:00"},
        ),
        "before",
    ),
    (
        "an unknown resource type",
        {
            **discharge_message(),
            "entry": [*discharge_message()["entry"], {"resource": {"resourceType": "Ole"}}],
        },
        "unknown resource type",
    ),
]


@pytest.mark.parametrize(("case", "message", "reason"), BAD, ids=[case for case, _, _ in BAD])
def test_a_bad_message_is_400_with_the_reason_and_only_logged(
    herlev, case, message, reason
) -> None:  # type: ignore[no-untyped-def]
    answer = send(herlev, message)
    assert answer.status_code == 400
    assert reason in answer.json()["detail"]
    assert not Discharge.objects.exists()
    logged = InboundMessage.objects.get()
    assert logged.result == "rejected"
    assert "\x00" not in logged.payload


def test_over_one_megabyte_is_413(herlev) -> None:  # type: ignore[no-untyped-def]
    assert send(herlev, b" " * (1024 * 1024 + 1)).status_code == 413


def test_every_medcom_example_goes_in_and_is_answered(herlev) -> None:  # type: ignore[no-untyped-def]
    """All twelve of the guide's messages, in the order the README lists them, each with its
    own forløbsid (they are examples of different stays) and times moved to this week."""
    from tests.medcom import EXAMPLES

    answers = {}
    for number, event in enumerate(EXAMPLES):
        message = example(event)
        message = shifted(message, weeks_to(message, NOW, field="start") - timedelta(weeks=2))
        message = fresh(message, episode=f"00000000-0000-4000-8000-{number:012d}")
        answers[event] = send(herlev, message)
    assert {event: a.status_code for event, a in answers.items()} == {
        event: 201 if event.startswith("discharge") else 200 for event in EXAMPLES
    }
    assert all(response_of(a.json()["acknowledgement"])["code"] == "ok" for a in answers.values())
    assert InboundMessage.objects.count() == len(EXAMPLES)
