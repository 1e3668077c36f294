"""Seed 003's two documents on a discharge: the ward confirms the treatment plan with contact
details in the epikrise and in the udskrivningsrapport (on the page and through the API), or a
sent CareCommunication carrying them confirms the udskrivningsrapport."""

import importlib
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from contacts.demo import SOR_DEMO
from contacts.models import Municipality, SorUnit
from handover import services
from handover.models import Channel, ConfirmedBy, Discharge, EndReason, Notification
from handover.services import notifications
from tests.factories import WardFactory, confirm, record_discharge

pytestmark = pytest.mark.django_db

DISCHARGED = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


@pytest.fixture
def discharge(herlev_ward):  # type: ignore[no-untyped-def]
    with time_machine.travel(DISCHARGED, tick=False):
        return record_discharge(ward=herlev_ward, discharged_at=DISCHARGED)


@pytest.fixture
def medcom_receiver(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Herlev Kommune receives CareCommunications, written to a folder of the test's own."""
    settings.MEDCOM_TRANSPORT = "folder"
    settings.MEDCOM_OUTBOX_DIR = tmp_path / "outbox"
    call_command("import_sor", SOR_DEMO, stdout=io.StringIO())
    Municipality.objects.filter(code="163").update(
        medcom_receiver=SorUnit.objects.get(sor_code="953741000016108")
    )


def test_the_ward_confirms_the_epikrise_at_this_moment(discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DISCHARGED + timedelta(minutes=12), tick=False):
        confirm(discharge, nurse, "epikrise")
    discharge.refresh_from_db()
    assert discharge.epikrise_confirmed_at == DISCHARGED + timedelta(minutes=12)
    assert discharge.epikrise_confirmed_by == nurse
    assert discharge.discharge_report_confirmed_at is None


def test_the_ward_confirms_the_discharge_report_as_the_ward(discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    confirm(discharge, nurse, "discharge_report")
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_via == ConfirmedBy.WARD
    assert discharge.discharge_report_confirmed_by == nurse


def test_the_first_confirmation_stays(discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DISCHARGED + timedelta(minutes=5), tick=False):
        confirm(discharge, nurse)
    with time_machine.travel(DISCHARGED + timedelta(hours=5), tick=False):
        confirm(discharge, nurse)
    discharge.refresh_from_db()
    assert discharge.epikrise_confirmed_at == DISCHARGED + timedelta(minutes=5)
    assert discharge.discharge_report_confirmed_at == DISCHARGED + timedelta(minutes=5)


def test_a_confirmation_needs_the_treatment_plan(herlev_ward, nurse) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    with pytest.raises(ValidationError) as refused:
        confirm(discharge, nurse, "epikrise")
    assert "Udfyld behandlingsplan og kontakttelefon" in str(refused.value)
    discharge.refresh_from_db()
    assert discharge.epikrise_confirmed_at is None


def test_a_cancelled_discharge_cannot_be_confirmed(discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    services.end_responsibility(discharge=discharge, by=nurse, reason=EndReason.CANCELLED)
    with pytest.raises(services.Conflict):
        confirm(discharge, nurse)


def test_an_automatically_filled_phone_confirms_nothing(herlev_ward, nurse) -> None:  # type: ignore[no-untyped-def]
    # No number given: the ward's on-call number is filled in, and plan and phone are "present".
    discharge = record_discharge(ward=herlev_ward, by=nurse, contact_phone=None)
    assert discharge.contact_phone == herlev_ward.on_call_phone
    assert discharge.documented_at is not None
    assert (discharge.epikrise_confirmed_at, discharge.discharge_report_confirmed_at) == (
        None,
        None,
    )


def test_a_sent_care_communication_with_the_plan_confirms_the_discharge_report(  # type: ignore[no-untyped-def]
    medcom_receiver, herlev_ward, nurse
) -> None:
    with time_machine.travel(DISCHARGED + timedelta(minutes=3), tick=False):
        discharge = record_discharge(ward=herlev_ward, by=nurse, discharged_at=DISCHARGED)
    [message] = Notification.objects.filter(discharge=discharge, channel=Channel.MEDCOM)
    assert message.carries_plan
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_at is None  # written, not yet sent
    with time_machine.travel(DISCHARGED + timedelta(minutes=4), tick=False):
        assert notifications.deliver(message.pk)
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_at == DISCHARGED + timedelta(minutes=4)
    assert discharge.discharge_report_confirmed_via == ConfirmedBy.CARE_COMMUNICATION
    # The epikrise goes to the GP, not to the municipality: the message does not confirm it.
    assert discharge.epikrise_confirmed_at is None


def test_a_care_communication_without_the_plan_confirms_nothing(  # type: ignore[no-untyped-def]
    medcom_receiver, herlev_ward, nurse
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse, treatment_plan="")
    services.extend_responsibility(discharge=discharge, by=nurse, hours=24, reason="Ustabil")
    [message] = Notification.objects.filter(discharge=discharge, channel=Channel.MEDCOM)
    assert not message.carries_plan
    assert notifications.deliver(message.pk)
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_at is None


def test_a_sent_care_communication_keeps_the_wards_earlier_confirmation(  # type: ignore[no-untyped-def]
    medcom_receiver, herlev_ward, nurse
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse)
    confirm(discharge, nurse, "discharge_report")
    [message] = Notification.objects.filter(discharge=discharge, channel=Channel.MEDCOM)
    notifications.deliver(message.pk)
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_via == ConfirmedBy.WARD


def test_the_migration_counts_care_communications_sent_before_it(  # type: ignore[no-untyped-def]
    medcom_receiver, herlev_ward, nurse
) -> None:
    with time_machine.travel(DISCHARGED + timedelta(minutes=3), tick=False):
        discharge = record_discharge(ward=herlev_ward, by=nurse, discharged_at=DISCHARGED)
    sent_at = DISCHARGED + timedelta(minutes=7)
    # As the outbox left it before the migration: sent, no flag, nothing confirmed.
    Notification.objects.filter(discharge=discharge).update(carries_plan=False, sent_at=sent_at)
    migration = importlib.import_module("handover.migrations.0022_document_confirmations")
    migration.backfill(apps, None)
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_at == sent_at
    assert discharge.discharge_report_confirmed_via == ConfirmedBy.CARE_COMMUNICATION


def test_api_patch_confirms_both_documents(api_client, discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(nurse)
    with time_machine.travel(DISCHARGED + timedelta(minutes=20), tick=False):
        response = api_client.patch(
            f"/api/v1/discharges/{discharge.pk}/",
            {"epikrise_confirmed": True, "discharge_report_confirmed": True},
            format="json",
        )
    assert response.status_code == 200
    body = response.json()
    assert body["epikrise_confirmed_at"] == "2026-11-10T10:20:00+01:00"
    assert body["discharge_report_confirmed_at"] == "2026-11-10T10:20:00+01:00"
    assert body["discharge_report_confirmed_via"] == "ward"


def test_api_patch_documents_the_plan_and_confirms_in_one_request(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse
) -> None:
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    api_client.force_authenticate(nurse)
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/",
        {"treatment_plan": "Vej dagligt.", "epikrise_confirmed": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["epikrise_confirmed_at"] is not None


def test_api_patch_refuses_a_confirmation_without_a_plan_and_keeps_nothing(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse
) -> None:
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    api_client.force_authenticate(nurse)
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/",
        {"patient_informed": False, "epikrise_confirmed": True},
        format="json",
    )
    assert response.status_code == 400
    assert "epikrise_confirmed" in response.json()["errors"]
    discharge.refresh_from_db()
    assert discharge.patient_informed is True  # the documentation in the request was undone too


def test_api_patch_refuses_to_withdraw_a_confirmation(api_client, discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(nurse)
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"epikrise_confirmed": False}, format="json"
    )
    assert response.status_code == 400
    assert "epikrise_confirmed" in response.json()["errors"]


def test_api_patch_confirms_after_the_responsibility_has_expired(  # type: ignore[no-untyped-def]
    api_client, discharge, nurse
) -> None:
    Discharge.objects.filter(pk=discharge.pk).update(status="expired")
    api_client.force_authenticate(nurse)
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"epikrise_confirmed": True}, format="json"
    )
    assert response.status_code == 200


def test_api_patch_confirmation_is_for_ward_staff_of_the_hospital(  # type: ignore[no-untyped-def]
    api_client, discharge, make_user
) -> None:
    api_client.force_authenticate(make_user(Role.WARD_NURSE, ward=WardFactory()))
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"epikrise_confirmed": True}, format="json"
    )
    assert response.status_code == 404


def test_the_ward_confirms_the_epikrise_on_the_discharge_page(client, discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    client.force_login(nurse)
    url = reverse("handover:discharge_detail", args=[discharge.pk])
    page = client.get(url).content.decode()
    assert "Bekræft: planen med kontaktoplysninger står i epikrisen" in page
    with time_machine.travel(DISCHARGED + timedelta(minutes=30), tick=False):
        response = client.post(
            reverse("handover:discharge_confirm", args=[discharge.pk]), {"document": "epikrise"}
        )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "bekræftet 10-11-2026 10:30" in page
    assert "tæller med i målet" in page
    assert "Bekræft: planen med kontaktoplysninger står i epikrisen" not in page


def test_the_page_says_when_a_confirmation_came_too_late(client, discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DISCHARGED + timedelta(hours=1, seconds=1), tick=False):
        confirm(discharge, nurse, "epikrise")
    client.force_login(nurse)
    page = client.get(reverse("handover:discharge_detail", args=[discharge.pk])).content.decode()
    assert "for sent til målet" in page


def test_the_page_refuses_a_confirmation_without_a_plan(client, herlev_ward, nurse) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    client.force_login(nurse)
    response = client.post(
        reverse("handover:discharge_confirm", args=[discharge.pk]),
        {"document": "discharge_report"},
        follow=True,
    )
    assert "Udfyld behandlingsplan og kontakttelefon" in response.content.decode()
    discharge.refresh_from_db()
    assert discharge.discharge_report_confirmed_at is None


def test_the_page_confirms_only_the_hospitals_own_discharges(client, discharge, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=WardFactory()))
    response = client.post(
        reverse("handover:discharge_confirm", args=[discharge.pk]), {"document": "epikrise"}
    )
    assert response.status_code == 404
    discharge.refresh_from_db()
    assert discharge.epikrise_confirmed_at is None


def test_the_page_confirmation_is_for_ward_staff(client, discharge, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    response = client.post(
        reverse("handover:discharge_confirm", args=[discharge.pk]), {"document": "epikrise"}
    )
    assert response.status_code == 403


def test_a_confirmation_cannot_be_recorded_in_the_future(discharge, nurse) -> None:  # type: ignore[no-untyped-def]
    with (
        time_machine.travel(DISCHARGED + timedelta(minutes=5), tick=False),
        pytest.raises(ValidationError),
    ):
        services.confirm_documents(
            discharge=discharge,
            by=nurse,
            documents=["epikrise"],
            at=DISCHARGED + timedelta(minutes=6),
        )
    discharge.refresh_from_db()
    assert discharge.epikrise_confirmed_at is None
