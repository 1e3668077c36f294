"""The CareCommunication "Udvidet behandlingsansvar" the ward sends the municipality: valid
FHIR in MedCom's CareCommunication shape, carrying the responsibility, its end, the number the
ward documented and the plan."""

from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from accounts.models import Role
from handover.medcom import care_communication
from handover.medcom.bundle import Message, Org
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WARD = Org(sor="265161000016000", ean="5790000209354", name="Hjerteafdelingen")
PLEJECENTER = Org(sor="953741000016009", ean="5790001348120", name="Plejecenter Herlev")


@pytest.fixture
def outgoing(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward, first_name="Anne", last_name="Sørensen")
    discharge = record_discharge(
        ward=herlev_ward, contact_phone="+4544881234", treatment_plan="Vej dagligt."
    )
    return care_communication.care_communication(
        discharge=discharge, by=nurse, sender=WARD, receiver=PLEJECENTER, event="Udskrevet", at=AT
    )


def resources(bundle: dict, kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_message_is_valid_fhir_with_medcoms_profiles_and_narratives(outgoing) -> None:  # type: ignore[no-untyped-def]
    Bundle.model_validate(outgoing.bundle)
    assert outgoing.bundle["meta"]["profile"] == [care_communication.PROFILE]
    header = outgoing.bundle["entry"][0]["resource"]
    assert header["id"] == outgoing.message_id
    assert header["eventCoding"]["code"] == "care-communication-message"
    assert header["definition"].endswith("MedComCareCommunicationMessageDefinition|5.0")
    assert all(e["resource"]["text"]["status"] == "generated" for e in outgoing.bundle["entry"])


def test_the_category_is_extended_care_responsibility(outgoing) -> None:  # type: ignore[no-untyped-def]
    [communication] = resources(outgoing.bundle, "Communication")
    assert communication["category"] == [
        {
            "coding": [
                {
                    "system": care_communication.CATEGORY_SYSTEM,
                    "code": "extended-care-responsibility",
                }
            ]
        }
    ]
    assert communication["topic"] == {"text": "Udvidet behandlingsansvar"}


def test_the_text_holds_the_end_the_documented_number_and_the_plan(outgoing) -> None:  # type: ignore[no-untyped-def]
    [communication] = resources(outgoing.bundle, "Communication")
    [payload] = communication["payload"]
    assert "Hospitalet har behandlingsansvar for patienten indtil" in payload["contentString"]
    assert "tlf. 44 88 12 34" in payload["contentString"]
    assert "Vej dagligt." in payload["contentString"]
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in payload["extension"]}
    assert set(extensions) == {
        "medcom-core-datetime-extension",
        "medcom-core-identifier-extension",
        "medcom-core-practitioner-extension",
        "medcom-core-contact-extension",
    }
    assert extensions["medcom-core-contact-extension"]["valueContactPoint"] == {
        "system": "phone",
        "value": "+4544881234",
    }


def test_the_sender_and_receiver_are_named_by_sor_and_ean(outgoing) -> None:  # type: ignore[no-untyped-def]
    identifiers = [o["identifier"] for o in resources(outgoing.bundle, "Organization")]
    assert {"system": "urn:oid:1.2.208.176.1.1", "value": "953741000016009"} in identifiers[1]
    assert {"system": "https://www.gs1.org/gln", "value": "5790000209354"} in identifiers[0]


def test_the_author_is_the_nurse_and_the_encounter_carries_the_forloebsid(outgoing) -> None:  # type: ignore[no-untyped-def]
    [practitioner] = resources(outgoing.bundle, "Practitioner")
    assert practitioner["name"] == [{"family": "Sørensen", "given": ["Anne"]}]
    [encounter] = resources(outgoing.bundle, "Encounter")
    assert encounter["episodeOfCare"][0]["identifier"]["value"]


def test_the_message_reads_back_as_a_care_communication(outgoing) -> None:  # type: ignore[no-untyped-def]
    incoming = care_communication.read(Message(outgoing.bundle))
    assert incoming.category == "extended-care-responsibility"
    assert incoming.cpr == "0101451234"
    assert incoming.author == "Anne Sørensen"
    assert "Vej dagligt." in incoming.text


def test_medcoms_own_example_reads(settings) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.medcom import MEDCOM

    data = json.loads((MEDCOM / "carecommunication-example.json").read_text())
    with pytest.raises(care_communication.BadMessage, match="CPR"):
        care_communication.read(Message(data))  # its patient has a replacement number, no CPR
