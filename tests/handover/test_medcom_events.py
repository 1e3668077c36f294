"""Each event of MedCom's HospitalNotification guide, as MedCom's own examples write it (only
times and ids shifted), has its documented effect (handover.services.stays)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from handover.models import (
    Discharge,
    EndReason,
    InboundMessage,
    Source,
    Status,
    Stay,
    StayStatus,
)
from tests.factories import record_discharge
from tests.medcom import EPISODE, build, example, fresh, post, shifted, weeks_to

pytestmark = pytest.mark.django_db

# A Wednesday noon: the examples' times move to the weeks just before it.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CPR = "2509479989"  # the guide's test patient (born 25 September 1947)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build()


@pytest.fixture
def herlev(api_client, world):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(world.herlev)
    return api_client


def story(*events: str) -> list[dict]:  # type: ignore[type-arg]
    """The examples of one stay, moved together so that its discharge lies a day before NOW."""
    by = weeks_to(example("discharge-inpatient-home"), NOW)
    return [shifted(example(event), by) for event in events]


def send(client, *messages):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        return [post(client, message) for message in messages]


def test_the_guides_stay_from_admission_to_discharge_opens_one_window(herlev, world) -> None:  # type: ignore[no-untyped-def]
    answers = send(
        herlev,
        *story(
            "admit-inpatient",
            "revise-admit-inpatient",
            "start-leave-inpatient",
            "end-leave-inpatient",
            "discharge-inpatient-home",
        ),
    )
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 201]
    assert [a.json()["result"] for a in answers] == [
        "recorded",
        "recorded",
        "recorded",
        "recorded",
        "created",
    ]
    stay = Stay.objects.get()
    assert (stay.hospital, stay.episode_of_care, stay.status) == (
        world.herlev_ward.hospital,
        EPISODE,
        StayStatus.DISCHARGED,
    )
    discharge = Discharge.objects.get()
    assert discharge.stay == stay
    assert (discharge.ward, discharge.municipality_id) == (world.herlev_ward, "163")
    assert (discharge.source, discharge.status, discharge.covered) == (
        Source.FHIR,
        Status.ACTIVE,
        True,
    )
    assert discharge.patient.cpr == CPR
    assert discharge.missing_documentation == ["treatment_plan", "patient_informed", "destination"]
    assert InboundMessage.objects.filter(result="recorded").count() == 4


def test_admission_records_the_stay(herlev) -> None:  # type: ignore[no-untyped-def]
    [answer] = send(herlev, *story("admit-inpatient"))
    assert answer.json()["result"] == "recorded"
    stay = Stay.objects.get()
    assert (stay.status, stay.encounter_class) == (StayStatus.ADMITTED, "IMP")
    assert not Discharge.objects.exists()


def test_a_correction_of_the_admission_corrects_its_time(herlev) -> None:  # type: ignore[no-untyped-def]
    admit, revise = story("admit-inpatient", "revise-admit-inpatient")
    send(herlev, admit, revise)
    stay = Stay.objects.get()
    assert stay.admitted_at.astimezone(UTC).hour == 11  # 13:00 +02:00


def test_a_cancellation_of_the_admission_cancels_the_stay(herlev) -> None:  # type: ignore[no-untyped-def]
    admit, cancel = story("admit-inpatient", "cancel-admit-inpatient")
    answers = send(herlev, admit, cancel)
    assert answers[1].json()["result"] == "recorded"
    assert Stay.objects.get().status == StayStatus.CANCELLED


def test_leave_starts_and_ends_without_touching_a_window(herlev) -> None:  # type: ignore[no-untyped-def]
    admit, leave = story("admit-inpatient", "start-leave-inpatient")
    send(herlev, admit, leave)
    assert Stay.objects.get().status == StayStatus.ON_LEAVE
    [back] = story("end-leave-inpatient")
    send(herlev, back)
    assert Stay.objects.get().status == StayStatus.ADMITTED
    assert not Discharge.objects.exists()


def test_a_discharge_without_an_earlier_message_creates_the_stay_and_the_window(herlev) -> None:  # type: ignore[no-untyped-def]
    [answer] = send(herlev, *story("discharge-inpatient-home"))
    assert answer.status_code == 201
    assert answer.json()["discharge"] == Discharge.objects.get().pk
    assert Stay.objects.get().status == StayStatus.DISCHARGED


def test_an_imported_window_shows_its_missing_destination_to_the_ward(
    herlev, client, world
) -> None:  # type: ignore[no-untyped-def]
    send(herlev, *story("discharge-inpatient-home"))
    discharge = Discharge.objects.get()
    client.force_login(world.herlev)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/udskrivelser/{discharge.pk}/").content.decode()
    assert "udskrivningssted" in page
    assert "Mangler" in page


def test_an_acute_ambulant_discharge_is_recorded_as_not_covered(herlev) -> None:  # type: ignore[no-untyped-def]
    by = weeks_to(example("discharge-emergency-home"), NOW)
    admit, discharge = (
        shifted(example(event), by) for event in ("admit-emergency", "discharge-emergency-home")
    )
    answers = send(herlev, admit, discharge)
    assert [a.status_code for a in answers] == [200, 201]
    found = Discharge.objects.get()
    assert (found.covered, found.not_covered_reason, found.encounter_class) == (
        False,
        "acute_outpatient",
        "EMER",
    )


def test_a_correction_of_the_discharge_corrects_its_time(herlev) -> None:  # type: ignore[no-untyped-def]
    [discharge] = story("discharge-inpatient-home")
    send(herlev, discharge)
    corrected = fresh(discharge)
    for entry in corrected["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Provenance" and resource["activity"]["coding"][0][
            "code"
        ].startswith("discharge"):
            resource["activity"]["coding"][0]["code"] = "revise-discharge-inpatient-home"
            resource["target"][0]["reference"] = (
                f"MessageHeader/{corrected['entry'][0]['resource']['id']}"
            )
        if resource["resourceType"] == "Encounter":
            end = datetime.fromisoformat(resource["period"]["end"]) + timedelta(hours=1)
            resource["period"]["end"] = end.isoformat()
    [answer] = send(herlev, corrected)
    assert answer.json()["result"] == "updated"
    assert Discharge.objects.get().discharged_at == datetime.fromisoformat(end.isoformat())


def period_end(message: dict) -> datetime:  # type: ignore[type-arg]
    encounter = next(
        e["resource"] for e in message["entry"] if e["resource"]["resourceType"] == "Encounter"
    )
    return datetime.fromisoformat(encounter["period"]["end"])


def test_the_guides_deceased_example_is_a_death_not_an_admission(herlev, world) -> None:  # type: ignore[no-untyped-def]
    """MedCom's MORS example keeps the stay's current activity (admit-inpatient) with
    Patient.deceasedBoolean: the stay ends in death, and the patient's open window ends."""
    [death] = story("deceased-inpatient")
    died = period_end(death)
    with time_machine.travel(died - timedelta(days=1), tick=False):
        earlier = record_discharge(ward=world.aarhus_ward, cpr=CPR, municipality_code="751")
    with time_machine.travel(died + timedelta(hours=1), tick=False):
        answer = post(herlev, death)
    assert answer.json()["result"] == "recorded"
    assert Stay.objects.get().status == StayStatus.DECEASED
    earlier.refresh_from_db()
    assert (earlier.status, earlier.end_reason) == (Status.ENDED, EndReason.DECEASED)
    assert earlier.ended_at == died


def test_death_on_arrival_is_taken_with_its_start_equal_to_its_end(herlev) -> None:  # type: ignore[no-untyped-def]
    [death] = story("deceased-emergency")
    for entry in death["entry"]:
        if entry["resource"]["resourceType"] == "Encounter":
            period = entry["resource"]["period"]
            period["end"] = period["start"]
    [answer] = send(herlev, death)
    assert answer.status_code == 200, answer.json()
    stay = Stay.objects.get()
    assert (stay.status, stay.ended_at) == (StayStatus.DECEASED, stay.admitted_at)


def test_a_message_without_deceased_after_a_death_withdraws_it(herlev, world) -> None:  # type: ignore[no-untyped-def]
    [death] = story("deceased-inpatient")
    died = period_end(death)
    with time_machine.travel(died - timedelta(days=1), tick=False):
        earlier = record_discharge(ward=world.aarhus_ward, cpr=CPR, municipality_code="751")
    withdrawal = fresh(death)
    for entry in withdrawal["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["deceasedBoolean"] = False
    with time_machine.travel(died + timedelta(hours=1), tick=False):
        post(herlev, death)
        post(herlev, withdrawal)
    earlier.refresh_from_db()
    assert (earlier.status, earlier.end_reason) == (Status.ACTIVE, "")
    assert Stay.objects.get().status == StayStatus.ADMITTED


def test_an_admission_with_another_department_of_the_hospital_is_taken(herlev, world) -> None:  # type: ignore[no-untyped-def]
    [admit] = story("admit-inpatient-other-provider")
    [answer] = send(herlev, admit)
    assert answer.json()["result"] == "recorded"
    assert Stay.objects.get().hospital == world.herlev_ward.hospital


def test_two_episode_identifiers_keep_the_local_one_and_follow_ups_find_the_stay(herlev) -> None:  # type: ignore[no-untyped-def]
    admit, leave = story("admit-inpatient-two-episode-ids", "start-leave-inpatient")
    send(herlev, admit, leave)
    stay = Stay.objects.get()
    assert stay.episode_of_care == EPISODE
    assert stay.status == StayStatus.ON_LEAVE


def test_a_late_admission_message_of_the_same_stay_does_not_end_its_window(herlev) -> None:  # type: ignore[no-untyped-def]
    admit, discharge = story("admit-inpatient", "discharge-inpatient-home")
    send(herlev, discharge, fresh(admit))
    window = Discharge.objects.get()
    assert window.status == Status.ACTIVE


def test_an_admission_after_the_discharge_ends_the_window_as_readmitted(herlev) -> None:  # type: ignore[no-untyped-def]
    [discharge] = story("discharge-inpatient-home")
    by = weeks_to(example("admit-inpatient"), NOW, field="start")
    readmission = fresh(
        shifted(example("admit-inpatient"), by), episode="ae11c38e-0000-4000-8000-000000000001"
    )
    send(herlev, discharge, readmission)
    window = Discharge.objects.get()
    assert (window.status, window.end_reason) == (Status.ENDED, EndReason.READMITTED)
    assert window.ended_by_stay == Stay.objects.get(
        episode_of_care="ae11c38e-0000-4000-8000-000000000001"
    )


def test_cancelling_the_readmission_opens_the_window_again(herlev) -> None:  # type: ignore[no-untyped-def]
    [discharge] = story("discharge-inpatient-home")
    by = weeks_to(example("admit-inpatient"), NOW, field="start")
    episode = "ae11c38e-0000-4000-8000-000000000002"
    admit = fresh(shifted(example("admit-inpatient"), by), episode=episode)
    cancel = fresh(shifted(example("cancel-admit-inpatient"), by), episode=episode)
    send(herlev, discharge, admit, cancel)
    window = Discharge.objects.get()
    assert (window.status, window.end_reason, window.ended_by_stay) == (Status.ACTIVE, "", None)


def test_an_acute_ambulant_contact_ends_no_window(herlev) -> None:  # type: ignore[no-untyped-def]
    [discharge] = story("discharge-inpatient-home")
    by = weeks_to(example("admit-emergency"), NOW, field="start")
    contact = fresh(
        shifted(example("admit-emergency"), by), episode="ae11c38e-0000-4000-8000-000000000003"
    )
    send(herlev, discharge, contact)
    assert Discharge.objects.get().status == Status.ACTIVE
