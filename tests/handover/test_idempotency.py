"""The Idempotency-Key header (API.md): the same key from the same user returns the first answer
again and writes nothing more, on every creating POST."""

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from config.celery import app
from contacts.models import ContactRole
from handover import idempotency, services
from handover.models import (
    AccessAction,
    AccessLog,
    Call,
    Discharge,
    Extension,
    IdempotencyKey,
    Notification,
)
from handover.services import notifications
from incidents.models import Incident
from tests.factories import ContactPersonFactory, record_discharge

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "openapi.yaml"


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    ContactPersonFactory(municipality_id="163", role=ContactRole.KEY_PERSON, email="hs@herlev.dk")
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


def client_of(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def discharge_data(ward, **overrides):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return {
        "patient": {"cpr": "010145-1234", "name": "Ole Hansen"},
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=3)).isoformat(),
        "discharged_at": (now - timedelta(minutes=5)).isoformat(),
        "destination": "home_nursing",
        "municipality": "163",
        "treatment_plan": "Observer vægt og åndenød.",
        "contact_phone": "+4544884488",
        "patient_informed": True,
    } | overrides


def post(client, path, data, key):  # type: ignore[no-untyped-def]
    return client.post(path, data, format="json", headers={"Idempotency-Key": key})


def test_five_posts_with_one_key_make_one_discharge_and_one_mail(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client, data = client_of(nurse), discharge_data(herlev_ward)
    answers = [post(client, "/api/v1/discharges/", data, "ny-1") for _ in range(5)]
    assert {answer.status_code for answer in answers} == {201}
    assert Discharge.objects.count() == 1
    assert AccessLog.objects.filter(action=AccessAction.CREATE_DISCHARGE).count() == 1
    assert Notification.objects.count() == 1
    mail.outbox.clear()
    notifications.deliver_pending()
    assert len(mail.outbox) == 1


def test_a_repeat_gets_the_first_answer_byte_for_byte_marked_replayed(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client, data = client_of(nurse), discharge_data(herlev_ward)
    first = post(client, "/api/v1/discharges/", data, "ny-1")
    again = post(client, "/api/v1/discharges/", data, "ny-1")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_the_same_json_in_another_key_order_is_the_same_request(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client, data = client_of(nurse), discharge_data(herlev_ward)
    post(client, "/api/v1/discharges/", data, "ny-1")
    reordered = dict(reversed(list(data.items())))
    assert post(client, "/api/v1/discharges/", reordered, "ny-1").status_code == 201
    assert Discharge.objects.count() == 1


def test_an_extension_posted_twice_with_one_key_extends_once(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client, path = client_of(nurse), f"/api/v1/discharges/{discharge.pk}/extend/"
    answers = [post(client, path, {"hours": 24, "reason": "Ustabil"}, "forlaeng") for _ in "ab"]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert Extension.objects.count() == 1


def test_an_end_posted_twice_with_one_key_answers_the_ended_discharge_twice(
    nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client, path = client_of(nurse), f"/api/v1/discharges/{discharge.pk}/end/"
    answers = [post(client, path, {"reason": "readmitted"}, "afslut") for _ in "ab"]
    # Without the key the second would be 409: the window has ended already.
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1].json()["status"] == "ended"
    assert AccessLog.objects.filter(action=AccessAction.END).count() == 1


def test_a_call_posted_twice_with_one_key_is_logged_once(make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client = client_of(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    data = {
        "received_at": timezone.now().isoformat(),
        "caller_role": "municipal_nurse",
        "outcome": "referred_to_gp",
    }
    path = f"/api/v1/discharges/{discharge.pk}/calls/"
    answers = [post(client, path, data, "opkald") for _ in "ab"]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Call.objects.count() == 1


def test_an_incident_posted_twice_with_one_key_is_reported_once(make_user) -> None:  # type: ignore[no-untyped-def]
    client = client_of(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    data = {
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "occurred_at_precision": "exact",
        "title": "Henvist til egen læge",
        "description": "Afdelingen henviste til egen læge inden for vinduet.",
        "category": "referred_elsewhere",
        "actual_consequence": "minor",
        "possible_consequence": "serious_risk",
        "place_of_occurrence": {"kind": "municipality", "id": "163"},
    }
    answers = [post(client, "/api/v1/incidents/", data, "uth") for _ in "ab"]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Incident.objects.count() == 1


def test_one_key_with_another_body_is_422_and_writes_nothing(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client = client_of(nurse)
    post(client, "/api/v1/discharges/", discharge_data(herlev_ward), "ny-1")
    other = discharge_data(herlev_ward, patient={"cpr": "0202451234", "name": "Anden Borger"})
    answer = post(client, "/api/v1/discharges/", other, "ny-1")
    assert answer.status_code == 422
    assert "Idempotency-Key er allerede brugt" in answer.json()["detail"]
    assert Discharge.objects.count() == 1


def test_one_key_on_another_path_is_422(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client = client_of(nurse)
    post(client, f"/api/v1/discharges/{discharge.pk}/end/", {"reason": "cancelled"}, "k")
    answer = post(client, "/api/v1/discharges/", discharge_data(herlev_ward), "k")
    assert answer.status_code == 422
    assert Discharge.objects.count() == 1


def test_keys_are_per_user(nurse, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    colleague = make_user(Role.WARD_DOCTOR, ward=herlev_ward)
    post(client_of(nurse), "/api/v1/discharges/", discharge_data(herlev_ward), "ny-1")
    answer = post(client_of(colleague), "/api/v1/discharges/", discharge_data(herlev_ward), "ny-1")
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer.headers
    assert Discharge.objects.count() == 2


def test_a_refused_request_leaves_its_key_free(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client = client_of(nurse)
    refused = post(client, "/api/v1/discharges/", discharge_data(herlev_ward, destination="x"), "k")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, "/api/v1/discharges/", discharge_data(herlev_ward), "k").status_code == 201


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "nøgle", "med mellemrum"], ids=["empty", "256", "non-ascii", "space"]
)
def test_a_malformed_key_is_400_and_writes_nothing(nurse, herlev_ward, key) -> None:  # type: ignore[no-untyped-def]
    answer = post(client_of(nurse), "/api/v1/discharges/", discharge_data(herlev_ward), key)
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["errors"]
    assert not Discharge.objects.exists()


def test_a_key_of_255_visible_characters_is_taken(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    key = ("!~" * 128)[:255]
    client, data = client_of(nurse), discharge_data(herlev_ward)
    assert post(client, "/api/v1/discharges/", data, key).status_code == 201
    assert post(client, "/api/v1/discharges/", data, key).headers["Idempotent-Replayed"] == "true"


def test_a_key_answers_again_until_its_lifetime_has_passed(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client, data = client_of(nurse), discharge_data(herlev_ward)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post(client, "/api/v1/discharges/", data, "k")
    with time_machine.travel(start + settings.IDEMPOTENCY_KEY_LIFETIME - timedelta(seconds=1)):
        assert post(client, "/api/v1/discharges/", data, "k").headers["Idempotent-Replayed"]
    assert Discharge.objects.count() == 1
    with time_machine.travel(start + settings.IDEMPOTENCY_KEY_LIFETIME, tick=False):
        fresh = post(client, "/api/v1/discharges/", data, "k")
    assert "Idempotent-Replayed" not in fresh.headers
    assert Discharge.objects.count() == 2


def test_forgetting_deletes_only_keys_past_their_lifetime(nurse) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for key, age in (("old", settings.IDEMPOTENCY_KEY_LIFETIME), ("young", timedelta(hours=1))):
        IdempotencyKey.objects.create(
            user=nurse, key=key, method="POST", path="/", request_hash="", created_at=now - age
        )
    assert idempotency.forget_expired(now=now) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["young"]


def test_beat_forgets_old_keys_every_hour() -> None:
    entry = app.conf.beat_schedule["forget-idempotency-keys"]
    assert entry["task"] == "handover.tasks.forget_idempotency_keys"
    assert entry["schedule"] == timedelta(hours=1)


def test_the_schema_documents_the_header_and_422_on_every_creating_post() -> None:
    paths = yaml.safe_load(SCHEMA.read_text())["paths"]
    creating = [
        "/api/v1/discharges/",
        "/api/v1/discharges/{id}/extend/",
        "/api/v1/discharges/{id}/end/",
        "/api/v1/discharges/{id}/calls/",
        "/api/v1/incidents/",
    ]
    for path in creating:
        operation = paths[path]["post"]
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert "Idempotency-Key" in headers, path
        assert "422" in operation["responses"], path
    assert "Idempotency-Key" not in str(paths["/api/v1/lookup/"])


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_with_one_key_make_one_discharge_and_the_same_answer(
    require_postgres, reference_data, nurse, herlev_ward, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    record = services.record_discharge

    def slow_record(**kwargs):  # type: ignore[no-untyped-def]
        # The first request holds its key's row while it works, so the second arrives meanwhile.
        time.sleep(0.5)
        return record(**kwargs)

    monkeypatch.setattr(services, "record_discharge", slow_record)
    data = discharge_data(herlev_ward)
    barrier = threading.Barrier(2)
    answers: list[object] = []

    def send() -> None:
        try:
            client = client_of(nurse)
            barrier.wait()
            answers.append(post(client, "/api/v1/discharges/", data, "samtidig"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = answers
    assert (first.status_code, second.status_code) == (201, 201)  # type: ignore[attr-defined]
    assert first.content == second.content  # type: ignore[attr-defined]
    assert Discharge.objects.count() == 1
    assert Notification.objects.count() == 1
