"""The ward's history and its CPR search (issue 26 §7): ended, expired and uncovered discharges,
found by CPR without the CPR in any address, and only the hospital's own."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import services
from handover.models import AccessAction, AccessLog, AccessOutcome
from handover.services.access import criterion_hash
from tests.factories import HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(client: Client, herlev_ward, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return client


@pytest.fixture
def past(herlev_ward):  # type: ignore[no-untyped-def]
    """An open, an ended, an expired and an uncovered discharge of the hospital."""
    now = timezone.now()
    open_ = record_discharge(ward=herlev_ward, cpr="0101451234", name="Åben Patient")
    ended = record_discharge(ward=herlev_ward, cpr="0202451234", name="Afsluttet Patient")
    services.end_responsibility(discharge=ended, by=None, reason="deceased")
    expired = record_discharge(
        ward=herlev_ward,
        cpr="0303451234",
        name="Udløbet Patient",
        discharged_at=now - timedelta(hours=100),
    )
    uncovered = record_discharge(
        ward=herlev_ward, cpr="0404451234", name="Ikke Omfattet", destination="other"
    )
    return open_, ended, expired, uncovered


def test_the_history_lists_ended_expired_and_uncovered_not_open(nurse, past) -> None:  # type: ignore[no-untyped-def]
    page = nurse.get(reverse("handover:history")).content.decode()
    assert "Åben Patient" not in page
    for name in ("Afsluttet Patient", "Udløbet Patient", "Ikke Omfattet"):
        assert name in page
    assert "Død" in page


def test_the_history_filters_by_status(nurse, past) -> None:  # type: ignore[no-untyped-def]
    page = nurse.get(reverse("handover:history"), {"status": "expired"}).content.decode()
    assert "Udløbet Patient" in page
    assert "Afsluttet Patient" not in page


def test_an_unknown_status_is_a_400(nurse) -> None:  # type: ignore[no-untyped-def]
    assert nurse.get(reverse("handover:history"), {"status": "active"}).status_code == 400


def test_the_cpr_search_finds_every_discharge_of_the_citizen_and_keeps_the_number(
    nurse, past
) -> None:  # type: ignore[no-untyped-def]
    response = nurse.post(reverse("handover:history"), {"cpr": "020245-1234"})
    page = response.content.decode()
    assert "Afsluttet Patient" in page
    assert "Udløbet Patient" not in page
    assert 'value="020245-1234"' in page  # kept in the field
    assert "Udskrivelser for 020245-1234" in page
    row = AccessLog.objects.get(action=AccessAction.SEARCH)
    assert (row.outcome, row.criterion) == (AccessOutcome.HIT, criterion_hash("0202451234"))
    assert row.patient is not None


def test_the_search_does_not_find_another_hospitals_discharge(nurse, past) -> None:  # type: ignore[no-untyped-def]
    aarhus = WardFactory(hospital=HospitalFactory(region_id=1082))
    record_discharge(ward=aarhus, cpr="0505451234", name="Fremmed Borger", municipality_code="751")
    page = nurse.post(reverse("handover:history"), {"cpr": "0505451234"}).content.decode()
    assert "Fremmed Borger" not in page
    assert "Ingen udskrivelser med det CPR-nummer på hospitalet" in page
    assert AccessLog.objects.get(action=AccessAction.SEARCH).outcome == AccessOutcome.MISS


def test_a_malformed_cpr_is_told_and_nothing_is_logged(nurse) -> None:  # type: ignore[no-untyped-def]
    page = nurse.post(reverse("handover:history"), {"cpr": "1234"}).content.decode()
    assert "errorlist" in page
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()


def test_the_history_is_for_ward_staff(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert client.get(reverse("handover:history")).status_code == 403
