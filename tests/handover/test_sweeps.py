"""The sweeps at frozen moments: alerts, expiry, notifications, idempotency, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from contacts.models import ContactRole
from handover import services
from handover.models import Alert, AlertKind, Discharge, Notification, Status
from handover.services import notifications, sweeps
from tests.factories import ContactPersonFactory, record_discharge

pytestmark = pytest.mark.django_db

DISCHARGED = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)  # 12:00 in Copenhagen


@pytest.fixture
def contacts(herlev_ward):  # type: ignore[no-untyped-def]
    ContactPersonFactory(ward=herlev_ward, role=ContactRole.KEY_PERSON, email="afsnit@hospital.dk")
    ContactPersonFactory(
        municipality_id="163", role=ContactRole.KEY_PERSON, email="sygepleje@herlev.dk"
    )


def recorded(herlev_ward, **kwargs):  # type: ignore[no-untyped-def]
    import time_machine

    with time_machine.travel(DISCHARGED + timedelta(minutes=5), tick=False):
        return record_discharge(ward=herlev_ward, discharged_at=DISCHARGED, **kwargs)


def kinds(discharge: Discharge) -> set[str]:
    return set(discharge.alerts.values_list("kind", flat=True))


def test_nearing_expiry_alert_at_84_hours_not_at_83_59(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = recorded(herlev_ward)
    sweeps.run_all(at=DISCHARGED + timedelta(hours=83, minutes=59))
    assert AlertKind.NEARING_EXPIRY not in kinds(discharge)
    sweeps.run_all(at=DISCHARGED + timedelta(hours=84))
    assert AlertKind.NEARING_EXPIRY in kinds(discharge)


def test_expires_at_96_hours_not_at_95_59_59(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = recorded(herlev_ward)
    assert sweeps.run_all(at=DISCHARGED + timedelta(hours=95, minutes=59, seconds=59)).expired == 0
    discharge.refresh_from_db()
    assert discharge.status == Status.ACTIVE
    assert sweeps.run_all(at=DISCHARGED + timedelta(hours=96)).expired == 1
    discharge.refresh_from_db()
    assert discharge.status == Status.EXPIRED
    assert Alert.objects.get(discharge=discharge, kind=AlertKind.EXPIRED).resolved_at is None
    assert (
        Alert.objects.get(discharge=discharge, kind=AlertKind.NEARING_EXPIRY).resolved_at
        is not None
    )


def test_missing_documentation_is_flagged_and_resolved_when_documented(
    herlev_ward, contacts
) -> None:  # type: ignore[no-untyped-def]
    discharge = recorded(herlev_ward, treatment_plan="")
    assert sweeps.sweep_missing_documentation(at=DISCHARGED + timedelta(minutes=10)) == 1
    alert = Alert.objects.get(discharge=discharge, kind=AlertKind.MISSING_DOCUMENTATION)
    assert (
        Notification.objects.filter(alert=alert).values_list("recipient", flat=True).get()
        == "afsnit@hospital.dk"
    )
    services.document_discharge(discharge=discharge, by=None, treatment_plan="Plan")
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_missing_documentation_waits_for_the_grace_period(herlev_ward, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HANDOVER_DOCUMENTATION_GRACE = timedelta(hours=2)
    recorded(herlev_ward, treatment_plan="")
    assert sweeps.sweep_missing_documentation(at=DISCHARGED + timedelta(hours=1, minutes=59)) == 0
    assert sweeps.sweep_missing_documentation(at=DISCHARGED + timedelta(hours=2)) == 1


def test_sweeping_twice_creates_no_duplicates(herlev_ward, contacts) -> None:  # type: ignore[no-untyped-def]
    recorded(herlev_ward, treatment_plan="")
    at = DISCHARGED + timedelta(hours=90)
    first = sweeps.run_all(at=at)
    notes = Notification.objects.count()
    second = sweeps.run_all(at=at)
    assert (first.missing_documentation, first.nearing_expiry) == (1, 1)
    assert (second.missing_documentation, second.nearing_expiry, second.expired) == (0, 0, 0)
    assert Alert.objects.count() == 2
    assert Notification.objects.count() == notes


def test_extension_allows_a_new_nearing_expiry_warning_before_the_new_end(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    import time_machine

    discharge = recorded(herlev_ward)
    sweeps.run_all(at=DISCHARGED + timedelta(hours=85))
    with time_machine.travel(DISCHARGED + timedelta(hours=86), tick=False):
        services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="Ustabil")
    assert sweeps.sweep_nearing_expiry(at=DISCHARGED + timedelta(hours=100)) == 0
    assert sweeps.sweep_nearing_expiry(at=DISCHARGED + timedelta(hours=108)) == 1
    assert discharge.alerts.filter(kind=AlertKind.NEARING_EXPIRY).count() == 2


def test_expiry_notifies_the_municipality_and_delivery_sends_once(herlev_ward, contacts) -> None:  # type: ignore[no-untyped-def]
    recorded(herlev_ward)
    Notification.objects.all().delete()  # the "new citizen" notice is not what this test is about
    sweeps.run_all(at=DISCHARGED + timedelta(hours=96))
    mail.outbox.clear()
    sent = notifications.deliver_pending()
    again = notifications.deliver_pending()
    subjects = sorted(message.subject for message in mail.outbox)
    assert "Behandlingsansvaret er udløbet" in subjects
    assert (sent, again) == (len(mail.outbox), 0)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_failed_delivery_is_retried_after_backoff(herlev_ward, contacts, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "tests.handover.failing_email.Backend"
    recorded(herlev_ward)
    now = timezone.now()
    assert notifications.deliver_pending(now=now) == 0
    row = Notification.objects.get()
    assert (row.attempts, row.sent_at is None, "refused" in row.last_error) == (1, True, True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.deliver_pending(now=now + timedelta(minutes=1)) == 0  # still backing off
    assert notifications.deliver_pending(now=now + timedelta(minutes=6)) == 1


def test_recording_a_covered_discharge_tells_the_municipality(herlev_ward, contacts) -> None:  # type: ignore[no-untyped-def]
    recorded(herlev_ward)
    assert list(Notification.objects.values_list("recipient", "subject")) == [
        ("sygepleje@herlev.dk", "Ny borger med udvidet behandlingsansvar")
    ]
    assert "0101451234" not in Notification.objects.get().body


@pytest.mark.parametrize("rows", [2, 40])
def test_sweep_query_count_does_not_grow_with_rows_due(
    herlev_ward, contacts, rows, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for index in range(rows):
        recorded(herlev_ward, cpr=f"0101{index:02d}1234", treatment_plan="")
    # expiry: the claiming UPDATE, resolve old alerts, insert expired alerts, the claimed
    # discharges, their contact persons, the outbox insert; the two alert sweeps find nothing
    # open and stop after their INSERT ... RETURNING
    with django_assert_num_queries(30, exact=False) as captured:
        report = sweeps.run_all(at=DISCHARGED + timedelta(hours=96))
    assert report.expired == rows
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 8, statements


def test_sweep_command_simulates_a_moment(herlev_ward, capsys) -> None:  # type: ignore[no-untyped-def]
    recorded(herlev_ward)
    call_command("sweep", "--at", "2026-11-24T12:00:00+01:00")
    out = capsys.readouterr().out
    assert "Udløbne perioder: 1" in out


def test_alerts_api_is_scoped_and_filtered(api_client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = recorded(herlev_ward, treatment_plan="")
    sweeps.run_all(at=DISCHARGED + timedelta(hours=90))
    api_client.force_authenticate(make_user(ward=herlev_ward))
    body = api_client.get("/api/v1/alerts/", {"kind": "nearing_expiry", "open": "true"}).json()
    assert [(a["discharge"], a["kind"]) for a in body["results"]] == [
        (discharge.pk, "nearing_expiry")
    ]
    api_client.force_authenticate(make_user())  # another hospital's nurse
    assert api_client.get("/api/v1/alerts/").json()["results"] == []
