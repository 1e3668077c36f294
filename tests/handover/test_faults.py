"""Faults the jobs must survive: Redis down, a worker killed mid-delivery, two sweeps at once,
and a real Celery worker consuming from Redis."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from accounts.models import Role
from config.celery import app
from contacts.models import ContactRole
from handover.models import Alert, AlertKind, Notification
from handover.services import notifications, sweeps
from tests.factories import ContactPersonFactory, record_discharge

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def contacts(herlev_ward):  # type: ignore[no-untyped-def]
    ContactPersonFactory(ward=herlev_ward, role=ContactRole.KEY_PERSON, email="afsnit@hospital.dk")
    ContactPersonFactory(
        municipality_id="163", role=ContactRole.KEY_PERSON, email="sygepleje@herlev.dk"
    )


def use_broker(url: str, options: dict[str, object]) -> None:
    """Point the Celery app at another broker, dropping connections pooled for the old one."""
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):  # type: ignore[no-untyped-def]
    """The broker and the cache both point at a port where nothing listens."""
    previous = app.conf.broker_url, app.conf.broker_transport_options
    use_broker(CLOSED_PORT, settings.REDIS_TRANSPORT_OPTIONS)
    from config.settings import redis_cache

    settings.CACHES = {"default": redis_cache(CLOSED_PORT)}
    yield
    use_broker(*previous)


def test_redis_down_requests_still_answer_and_the_outbox_delivers_once(
    django_db_setup,
    db,
    api_client,
    herlev_ward,
    make_user,
    contacts,
    broker_down,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    municipal = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    now = timezone.now()
    timings = []

    def timed(call):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        timings.append(time.monotonic() - started)
        assert response.status_code < 300, response.content
        return response

    api_client.force_authenticate(nurse)
    created = timed(
        lambda: api_client.post(
            "/api/v1/discharges/",
            {
                "patient": {"cpr": "0101451234", "name": "Ole Hansen"},
                "ward": herlev_ward.pk,
                "admitted_at": (now - timedelta(days=3)).isoformat(),
                "discharged_at": now.isoformat(),
                "destination": "home_nursing",
                "municipality": "163",
            },
            format="json",
        )
    ).json()
    timed(
        lambda: api_client.patch(
            f"/api/v1/discharges/{created['id']}/", {"treatment_plan": "Plan"}, format="json"
        )
    )
    timed(
        lambda: api_client.post(
            f"/api/v1/discharges/{created['id']}/extend/",
            {"hours": 24, "reason": "Ustabil"},
            format="json",
        )
    )
    api_client.force_authenticate(municipal)
    assert timed(
        lambda: api_client.post("/api/v1/lookup/", {"cpr": "0101451234"}, format="json")
    ).json()["covered"]
    assert max(timings) < 2.0, timings

    waiting = Notification.objects.filter(sent_at__isnull=True).count()
    assert waiting == 2  # new citizen, extension: both to the municipality
    mail.outbox.clear()
    assert notifications.deliver_pending() == waiting  # Redis back: the re-send sweep delivers
    assert notifications.deliver_pending() == 0
    assert len(mail.outbox) == waiting


def database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "test", **extra}


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_loses_nothing(
    require_postgres, reference_data, herlev_ward, contacts
) -> None:  # type: ignore[no-untyped-def]
    for index in range(3):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    assert Notification.objects.filter(sent_at__isnull=True).count() == 3
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "sweep"],
        cwd=ROOT,
        env=child_env(
            EMAIL_BACKEND="tests.handover.slow_email.Backend",
        ),
    )
    deadline = time.monotonic() + 20
    while not Notification.objects.filter(claimed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker never claimed a row"
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    claimed = Notification.objects.get(claimed_at__isnull=False)
    assert claimed.sent_at is None

    mail.outbox.clear()
    sent = notifications.deliver_pending(
        now=timezone.now() + notifications.STALE_CLAIM + timedelta(seconds=1)
    )
    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["sygepleje@herlev.dk"] * 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_no_duplicates(
    require_postgres, reference_data, herlev_ward, contacts
) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(hours=90)
    for index in range(25):
        record_discharge(
            ward=herlev_ward, cpr=f"0101{index:02d}1234", discharged_at=start, treatment_plan=""
        )
    Notification.objects.all().delete()
    at = start + timedelta(hours=90)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            sweeps.run_all(at=at)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Alert.objects.filter(kind=AlertKind.NEARING_EXPIRY).count() == 25
    assert Alert.objects.filter(kind=AlertKind.MISSING_DOCUMENTATION).count() == 25
    # missing documentation → ward; nearing expiry → ward and municipality: three per discharge
    assert Notification.objects.count() == 75
    assert Notification.objects.values("alert_id", "recipient").distinct().count() == 75


@pytest.mark.django_db(transaction=True)
def test_two_resend_runs_at_once_send_each_row_once(require_postgres) -> None:  # type: ignore[no-untyped-def]
    Notification.objects.bulk_create(
        Notification(recipient=f"kommune{index:04d}@example.dk", subject="Besked", body="Tekst")
        for index in range(600)
    )
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            sent.append(notifications.deliver_pending(batch_size=50))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 600
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"kommune{index:04d}@example.dk" for index in range(600)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_delivers_from_redis(
    require_postgres, require_redis, reference_data, herlev_ward, contacts, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    broker = settings.REDIS_URL.rsplit("/", 1)[0] + "/9"
    record_discharge(ward=herlev_ward)
    notification = Notification.objects.get()
    worker = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=child_env(
            REDIS_URL=broker,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp_path),
        ),
    )
    previous = app.conf.broker_url, app.conf.broker_transport_options
    try:
        use_broker(broker, settings.REDIS_TRANSPORT_OPTIONS)
        from handover.tasks import deliver_notification

        deliver_notification.apply_async((notification.pk,))
        deadline = time.monotonic() + 60
        while not Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists():
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not deliver within 60 s"
            time.sleep(0.2)
    finally:
        use_broker(*previous)
        worker.terminate()
        worker.wait(timeout=30)
    written = list(tmp_path.iterdir())
    assert len(written) == 1
    assert "Ny borger med udvidet behandlingsansvar" in written[0].read_text()
