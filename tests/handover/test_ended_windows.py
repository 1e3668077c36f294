"""An ended window looks ended everywhere (issue 26 §2), and a discharge keeps the name its own
ward documented (issue 25 row 2)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import services
from handover.models import Discharge, Patient
from handover.services import sweeps
from tests.factories import HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_nurse(make_user, herlev_ward):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward, first_name="Anne", last_name="Holm")


@pytest.fixture
def town_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def page_of(user, name: str, *args: int) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def readmitted(herlev_ward, ward_nurse) -> Discharge:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, name="Ole Hansen")
    return services.end_responsibility(
        discharge=discharge, by=ward_nurse, reason="readmitted", note=""
    )


def test_the_ward_page_of_an_ended_window_says_when_why_and_by_whom(ward_nurse, readmitted) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ward_nurse, "handover:discharge_detail", readmitted.pk)
    ended = timezone.localtime(readmitted.ended_at)
    assert f"Afsluttet {ended:%d-%m-%Y %H:%M}: Genindlagt" in page
    assert "af Anne Holm" in page
    # nothing to copy into the EPR, no number to ring now
    assert 'id="epr-sentence"' not in page
    assert "Hospitalet har behandlingsansvar for patienten indtil" not in page
    assert "Kopiér sætningen" not in page


def test_an_expired_window_says_it_expired_and_who_is_responsible_now(
    ward_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=97)
    )
    sweeps.sweep_expired(at=timezone.now())
    page = page_of(ward_nurse, "handover:discharge_detail", discharge.pk)
    ends = timezone.localtime(discharge.responsibility_ends_at)
    assert f"Udløbet {ends:%d-%m-%Y %H:%M}" in page
    assert "Egen læge har nu behandlingsansvaret" in page
    assert 'id="epr-sentence"' not in page


def test_the_worklist_lists_windows_ended_in_the_last_two_days(ward_nurse, readmitted) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ward_nurse, "handover:worklist")
    ended = page.split('id="ended"')[1].split("</table>")[0]
    assert "Ole Hansen" in ended
    assert "Genindlagt" in ended
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        later = page_of(ward_nurse, "handover:worklist")
    assert "Ole Hansen" not in later.split('id="ended"')[1].split("</table>")[0]


def test_the_municipal_board_shows_her_citizens_ended_windows_and_what_now(
    town_nurse, readmitted
) -> None:  # type: ignore[no-untyped-def]
    page = page_of(town_nurse, "handover:board")
    ended = page.split('id="ended"')[1].split("</table>")[0]
    assert "Ole Hansen" in ended
    assert "Genindlagt" in ended
    assert "den afdeling, hvor patienten ligger, har ansvaret" in ended


def test_another_municipalitys_ended_window_is_not_on_her_board(make_user, readmitted) -> None:  # type: ignore[no-untyped-def]
    other = make_user(Role.MUNICIPAL_NURSE, municipality_id="751")
    assert "Ole Hansen" not in page_of(other, "handover:board")


def test_the_api_gives_the_end_beside_the_planned_end(api_client, ward_nurse, readmitted) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(ward_nurse)
    body = api_client.get(f"/api/v1/discharges/{readmitted.pk}/").json()
    assert (body["status"], body["end_reason"]) == ("ended", "readmitted")
    assert body["ended_at"] is not None
    assert body["responsibility_ends_at"] is not None


# Issue 25 row 2: no write in one scope changes what another scope sees


def test_another_hospitals_report_of_the_same_citizen_renames_nothing_of_ours(
    api_client, make_user, herlev_ward, ward_nurse
) -> None:  # type: ignore[no-untyped-def]
    ours = record_discharge(ward=herlev_ward, cpr="0101451234", name="Ole Hansen")
    aarhus = WardFactory(hospital=HospitalFactory(region_id=1082))
    theirs = record_discharge(
        ward=aarhus, cpr="0101451234", name="Mallory Impostor", municipality_code="751"
    )
    assert theirs.patient_name == "Mallory Impostor"
    ours.refresh_from_db()
    assert ours.patient_name == "Ole Hansen"
    assert Patient.objects.get(cpr="0101451234").name == "Ole Hansen"
    assert "Mallory" not in page_of(ward_nurse, "handover:discharge_detail", ours.pk)
    api_client.force_authenticate(ward_nurse)
    assert api_client.get(f"/api/v1/discharges/{ours.pk}/").json()["patient"]["name"] == (
        "Ole Hansen"
    )


def test_a_report_of_a_known_citizen_shows_the_name_it_was_given(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, cpr="0101451234", name="Ole Hansen")
    later = record_discharge(ward=herlev_ward, cpr="0101451234", name="Ole Bent Hansen")
    assert later.patient_name == "Ole Bent Hansen"
