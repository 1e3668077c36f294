"""The administrator's reads of patient data are logged like everyone else's (sundhedsloven
§ 42 a): one row for a list, one naming the object and its patient for an object's page."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from contacts.models import Municipality
from handover.models import (
    AccessAction,
    AccessLog,
    Alert,
    AlertKind,
    Discharge,
    InboundMessage,
    MessageResult,
    Notification,
    Patient,
)
from handover.services import log_call
from handover.services.access import criterion_hash, log_access
from incidents.services import Place, report_incident
from tests.factories import UserFactory, record_discharge
from tests.medcom import EXAMPLES, MEDCOM

pytestmark = pytest.mark.django_db
MESSAGE = (MEDCOM / "hospitalnotification" / EXAMPLES["discharge-inpatient-home"]).read_text()


def a_discharge(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    return discharge, discharge.patient


def a_call(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    call = log_call(
        discharge=discharge,
        by=None,
        received_at=timezone.now(),
        caller_role="gp",
        outcome="advice",
    )
    return call, discharge.patient


def an_alert(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    alert = Alert.objects.create(
        discharge=discharge, kind=AlertKind.NEARING_EXPIRY, created_at=timezone.now()
    )
    return alert, discharge.patient


def a_notification(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    notification = Notification.objects.create(
        discharge=discharge, recipient="hs@herlev.dk", subject="Ny borger", body="Tekst"
    )
    return notification, discharge.patient


def a_message(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    message = InboundMessage.objects.create(
        payload=MESSAGE, result=MessageResult.CREATED, discharge=discharge
    )
    return message, discharge.patient


def an_access_log_row(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    patient = record_discharge(ward=ward, cpr=cpr).patient
    row = log_access(user=None, action=AccessAction.VIEW_DISCHARGE, patient=patient)
    return row, patient


def an_incident(ward, cpr: str) -> tuple[Model, Patient]:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=ward, cpr=cpr)
    incident = report_incident(
        by=UserFactory(role=Role.MUNICIPAL_NURSE, ward=None, municipality_id="163"),
        occurred_at=timezone.now() - timedelta(hours=1),
        occurred_at_precision="exact",
        title="Henvist til egen læge",
        description="Borgeren blev henvist til egen læge.",
        category="referred_elsewhere",
        actual_consequence="minor",
        possible_consequence="minor",
        place=Place("municipality", municipality=Municipality.objects.get(code="163")),
        discharge=discharge,
    )
    return incident, discharge.patient


PAGES: dict[str, Callable[..., tuple[Model, Patient]]] = {
    "handover.discharge": a_discharge,
    "handover.call": a_call,
    "handover.alert": an_alert,
    "handover.notification": a_notification,
    "handover.inboundmessage": a_message,
    "handover.accesslog": an_access_log_row,
    "incidents.incident": an_incident,
}


@pytest.fixture
def admin_client(client: Client):  # type: ignore[no-untyped-def]
    administrator = UserFactory(role=Role.ADMIN, ward=None, is_staff=True, is_superuser=True)
    client.force_login(administrator)
    client.administrator = administrator  # type: ignore[attr-defined]
    return client


def admin_url(label: str, view: str, *args: Any) -> str:
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


def admin_reads(after: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(pk__gt=after, action=AccessAction.ADMIN_VIEW))


def last_row() -> int:
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("label", PAGES)
def test_an_admin_list_of_patient_data_writes_one_row_for_the_list(
    admin_client, herlev_ward, label
) -> None:  # type: ignore[no-untyped-def]
    for cpr in ("0101451234", "0202451234", "0303451234"):
        PAGES[label](herlev_ward, cpr)
    before = last_row()
    assert admin_client.get(admin_url(label, "changelist")).status_code == 200
    (row,) = admin_reads(before)
    assert (row.user, row.object_type, row.object_id, row.patient) == (
        admin_client.administrator,
        label,
        "",
        None,
    )


@pytest.mark.parametrize("label", PAGES)
def test_an_admin_object_page_writes_a_row_naming_the_object_and_its_patient(
    admin_client, herlev_ward, label
) -> None:  # type: ignore[no-untyped-def]
    obj, patient = PAGES[label](herlev_ward, "0101451234")
    before = last_row()
    assert admin_client.get(admin_url(label, "change", obj.pk)).status_code == 200
    (row,) = admin_reads(before)
    assert (row.user, row.object_type, row.object_id, row.patient) == (
        admin_client.administrator,
        label,
        str(obj.pk),
        patient,
    )


def test_an_objects_history_page_is_logged_as_a_read(admin_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge, patient = a_discharge(herlev_ward, "0101451234")
    before = last_row()
    admin_client.get(admin_url("handover.discharge", "history", discharge.pk))
    assert [row.patient for row in admin_reads(before)] == [patient]


def test_a_rejected_messages_page_is_logged_by_the_cpr_in_its_payload(admin_client) -> None:  # type: ignore[no-untyped-def]
    message = InboundMessage.objects.create(
        payload=MESSAGE, result=MessageResult.REJECTED, error="unknown ward"
    )
    before = last_row()
    admin_client.get(admin_url("handover.inboundmessage", "change", message.pk))
    (row,) = admin_reads(before)
    assert (row.patient, row.criterion) == (None, criterion_hash("2509479989"))


def test_admin_pages_without_patient_data_write_nothing(admin_client) -> None:  # type: ignore[no-untyped-def]
    before = last_row()
    for url in (
        reverse("admin:index"),
        reverse("admin:handover_responsibilityrule_changelist"),
        reverse("admin:accounts_user_changelist"),
    ):
        assert admin_client.get(url).status_code == 200
    assert admin_reads(before) == []


def test_a_calls_page_shows_only_its_own_patient(admin_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    call, _patient = a_call(herlev_ward, "0101451234")
    other = record_discharge(ward=herlev_ward, cpr="0202451234", name="Anden Borger")
    page = admin_client.get(admin_url("handover.call", "change", call.pk)).content.decode()
    assert other.patient.name not in page
    assert Discharge.objects.count() == 2
