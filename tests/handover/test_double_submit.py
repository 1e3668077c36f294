"""Forms that create things are safe to send twice: a double click sends the same POST again,
with the same one-time token, and gets the first answer while nothing more is written."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import services
from handover.models import (
    AccessAction,
    AccessLog,
    Call,
    Discharge,
    Extension,
    Status,
)
from incidents.models import Incident
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def nurse_client(client: Client, herlev_ward, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return client


@pytest.fixture
def municipal_client(make_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    return client


def tokens(client: Client, url: str) -> list[str]:
    return TOKEN.findall(client.get(url).content.decode())


def discharge_form(ward, **overrides):  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    return {
        "cpr": "010145-1234",
        "name": "Ole Hansen",
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "discharged_at": (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "destination": "home_nursing",
        "municipality": "163",
        "finished": "on",
        "treatment_plan": "Observer vægt.",
        "contact_phone": "44 88 44 88",
        "patient_informed": "on",
    } | overrides


def twice(client: Client, url: str, data: dict[str, object]) -> list[object]:
    return [client.post(url, data) for _ in "ab"]


def test_every_creating_form_carries_a_new_token_each_time(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    new = reverse("handover:discharge_new")
    detail = reverse("handover:discharge_detail", args=[discharge.pk])
    assert len(set(tokens(nurse_client, new) + tokens(nurse_client, new))) == 2
    # document, the two confirmations (epikrise, udskrivningsrapport), extend, end
    assert len(set(tokens(nurse_client, detail))) == 5
    assert len(tokens(nurse_client, reverse("handover:call_new", args=[discharge.pk]))) == 1
    assert len(tokens(nurse_client, reverse("incidents:report_new"))) == 1


def test_the_discharge_form_sent_twice_records_one_discharge(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    url = reverse("handover:discharge_new")
    (token,) = tokens(nurse_client, url)
    first, second = twice(nurse_client, url, discharge_form(herlev_ward, form_token=token))
    discharge = Discharge.objects.get()
    page = reverse("handover:discharge_detail", args=[discharge.pk])
    assert (first.status_code, first.url) == (302, page)  # type: ignore[attr-defined]
    assert (second.status_code, second.url) == (302, page)  # type: ignore[attr-defined]
    assert AccessLog.objects.filter(action=AccessAction.CREATE_DISCHARGE).count() == 1


def test_the_second_send_is_told_it_was_saved_once(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    url = reverse("handover:discharge_new")
    data = discharge_form(herlev_ward, form_token=tokens(nurse_client, url)[0])
    nurse_client.post(url, data)
    second = nurse_client.post(url, data, follow=True)
    texts = [str(message) for message in get_messages(second.wsgi_request)]
    assert "Formularen blev sendt mere end én gang; kun første gang blev behandlet." in texts


def test_a_form_with_errors_may_be_sent_again_with_its_token(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    url = reverse("handover:discharge_new")
    (token,) = tokens(nurse_client, url)
    refused = nurse_client.post(url, discharge_form(herlev_ward, cpr="12345", form_token=token))
    assert refused.status_code == 200
    assert not Discharge.objects.exists()
    nurse_client.post(url, discharge_form(herlev_ward, form_token=token))
    assert Discharge.objects.count() == 1


def test_a_form_sent_again_with_other_data_saves_nothing(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    url = reverse("handover:discharge_new")
    (token,) = tokens(nurse_client, url)
    nurse_client.post(url, discharge_form(herlev_ward, form_token=token))
    changed = nurse_client.post(
        url, discharge_form(herlev_ward, cpr="020245-1234", form_token=token), follow=True
    )
    assert Discharge.objects.count() == 1
    assert "de nye oplysninger er ikke gemt" in changed.content.decode()


def test_the_extend_form_sent_twice_extends_once(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    detail = reverse("handover:discharge_detail", args=[discharge.pk])
    token = tokens(nurse_client, detail)[1]
    url = reverse("handover:discharge_extend", args=[discharge.pk])
    twice(nurse_client, url, {"hours": 24, "reason": "Ustabil", "form_token": token})
    assert Extension.objects.count() == 1
    assert AccessLog.objects.filter(action=AccessAction.EXTEND).count() == 1


def test_the_end_form_sent_twice_ends_once_without_an_error(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    token = tokens(nurse_client, reverse("handover:discharge_detail", args=[discharge.pk]))[2]
    url = reverse("handover:discharge_end", args=[discharge.pk])
    nurse_client.post(url, {"reason": "readmitted", "form_token": token})
    second = nurse_client.post(url, {"reason": "readmitted", "form_token": token}, follow=True)
    page = second.content.decode()
    assert "ikke et aktivt ansvar" not in page  # the second end did not run and fail
    discharge.refresh_from_db()
    assert discharge.status == Status.ENDED
    assert AccessLog.objects.filter(action=AccessAction.END).count() == 1


def test_the_document_form_sent_twice_documents_once(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    token = tokens(nurse_client, reverse("handover:discharge_detail", args=[discharge.pk]))[0]
    data = {
        "treatment_plan": "Observer vægt.",
        "contact_phone": "44 88 44 88",
        "patient_informed": "on",
        "destination": "home_nursing",
        "form_token": token,
    }
    twice(nurse_client, reverse("handover:discharge_document", args=[discharge.pk]), data)
    assert AccessLog.objects.filter(action=AccessAction.UPDATE_DISCHARGE).count() == 1


def test_the_call_form_sent_twice_logs_one_call(municipal_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    url = reverse("handover:call_new", args=[discharge.pk])
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "caller_role": "municipal_nurse",
        "outcome": "advice",
        "form_token": tokens(municipal_client, url)[0],
    }
    first, second = twice(municipal_client, url, data)
    call = Call.objects.get()
    done = reverse("handover:call_done", args=[call.pk])
    assert (first.url, second.url) == (done, done)  # type: ignore[attr-defined]


def test_the_incident_form_sent_twice_reports_once(municipal_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("incidents:report_new")
    data = {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_at_precision": "exact",
        "place": "municipality:163",
        "title": "Fejl",
        "description": "Beskrivelse",
        "category": "other",
        "actual_consequence": "minor",
        "possible_consequence": "minor",
        "form_token": tokens(municipal_client, url)[0],
    }
    first, second = twice(municipal_client, url, data)
    incident = Incident.objects.get()
    assert first.url == second.url == reverse("incidents:report_detail", args=[incident.pk])  # type: ignore[attr-defined]


def test_a_malformed_token_is_refused(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    url = reverse("handover:discharge_new")
    response = nurse_client.post(url, discharge_form(herlev_ward, form_token="ø" * 3))
    assert response.status_code == 400
    assert not Discharge.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sent_at_once_records_one_discharge(
    require_postgres, reference_data, herlev_ward, make_user, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    record = services.record_discharge

    def slow_record(**kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # the first send still runs when the second arrives
        return record(**kwargs)

    monkeypatch.setattr(services, "record_discharge", slow_record)
    url = reverse("handover:discharge_new")
    data = discharge_form(herlev_ward, form_token="et-klik-to-gange")
    barrier = threading.Barrier(2)
    answers: list[object] = []

    def send() -> None:
        try:
            client = Client()
            client.force_login(nurse)
            barrier.wait()
            answers.append(client.post(url, data))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    discharge = Discharge.objects.get()
    page = reverse("handover:discharge_detail", args=[discharge.pk])
    assert [(a.status_code, a.url) for a in answers] == [(302, page)] * 2  # type: ignore[attr-defined]
