"""The re-send sweep under a backlog: bounded batches over one connection each, a time budget per
run that the next run carries on from, oldest rows first, and each row sent once."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.message import EmailMessage

from handover.models import Notification
from handover.services import notifications

pytestmark = pytest.mark.django_db

WRITTEN = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
RUN = WRITTEN + timedelta(hours=1)
BACKENDS = "tests.handover.test_outbox"


class CountingBackend(locmem.EmailBackend):
    """Records how many messages each connection carried, in the order they were opened."""

    carried: ClassVar[list[int]] = []

    def open(self) -> bool:
        CountingBackend.carried.append(0)
        return True

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages)
        CountingBackend.carried[-1] += count
        return count


class SecondPerMessageBackend(locmem.EmailBackend):
    """Each message takes one second of the clock the test has frozen."""

    clock: ClassVar[time_machine.Traveller]

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        SecondPerMessageBackend.clock.shift(timedelta(seconds=len(email_messages)))
        return super().send_messages(email_messages)


class RacingBackend(locmem.EmailBackend):
    """While the first message goes out, a second run (another worker) sends what it can."""

    second_run_sent: ClassVar[int | None] = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if RacingBackend.second_run_sent is None:
            RacingBackend.second_run_sent = 0
            RacingBackend.second_run_sent = notifications.deliver_pending()
        return super().send_messages(email_messages)


class RefusingServerBackend(locmem.EmailBackend):
    """The mail server cannot be reached."""

    def open(self) -> bool:
        raise ConnectionRefusedError("mail server refused the connection")


class OneRefusedRecipientBackend(locmem.EmailBackend):
    """The mail server refuses one recipient and takes every other message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if email_messages[0].to == ["kommune0001@example.dk"]:
            raise ConnectionRefusedError("recipient refused")
        return super().send_messages(email_messages)


@pytest.fixture(autouse=True)
def fresh_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CountingBackend, "carried", [])
    monkeypatch.setattr(RacingBackend, "second_run_sent", None)
    mail.outbox.clear()


def backlog(count: int) -> None:
    """``count`` unsent rows written a second apart; kommune0000 is the oldest."""
    with time_machine.travel(WRITTEN, tick=False) as clock:
        for index in range(count):
            Notification.objects.create(
                recipient=f"kommune{index:04d}@example.dk", subject="Besked", body="Tekst"
            )
            clock.shift(timedelta(seconds=1))


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_a_run_sends_in_bounded_batches_over_one_connection_each(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.CountingBackend"
    backlog(120)
    assert notifications.deliver_pending(batch_size=50) == 120
    assert CountingBackend.carried == [50, 50, 20]


def test_a_run_takes_no_row_after_its_budget(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.SecondPerMessageBackend"
    backlog(30)
    with time_machine.travel(RUN, tick=False) as clock:
        SecondPerMessageBackend.clock = clock
        assert notifications.deliver_pending(budget=timedelta(seconds=10)) == 10
    assert Notification.objects.filter(sent_at__isnull=True).count() == 20


def test_rows_claimed_but_not_tried_at_the_budget_are_given_back(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.SecondPerMessageBackend"
    backlog(30)
    with time_machine.travel(RUN, tick=False) as clock:
        SecondPerMessageBackend.clock = clock
        notifications.deliver_pending(budget=timedelta(seconds=10))
    unsent = Notification.objects.filter(sent_at__isnull=True)
    assert set(unsent.values_list("attempts", "claimed_at")) == {(0, None)}


def test_the_oldest_rows_go_first(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.SecondPerMessageBackend"
    backlog(30)
    with time_machine.travel(RUN, tick=False) as clock:
        SecondPerMessageBackend.clock = clock
        notifications.deliver_pending(budget=timedelta(seconds=10))
    assert recipients() == [f"kommune{index:04d}@example.dk" for index in range(10)]


def test_the_next_run_carries_on_and_every_row_is_sent_once(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.SecondPerMessageBackend"
    backlog(25)
    runs = []
    with time_machine.travel(RUN, tick=False) as clock:
        SecondPerMessageBackend.clock = clock
        for _ in range(4):
            runs.append(notifications.deliver_pending(budget=timedelta(seconds=10)))
            clock.shift(timedelta(minutes=1))
    assert runs == [10, 10, 5, 0]
    assert recipients() == [f"kommune{index:04d}@example.dk" for index in range(25)]


def test_rows_backing_off_do_not_hold_up_newer_rows(settings) -> None:  # type: ignore[no-untyped-def]
    backlog(5)
    oldest = Notification.objects.order_by("created_at").values_list("pk", flat=True)[:3]
    Notification.objects.filter(pk__in=list(oldest)).update(
        attempts=3, claimed_at=RUN - timedelta(minutes=1)
    )
    with time_machine.travel(RUN, tick=False):
        assert notifications.deliver_pending(batch_size=2) == 2
    assert recipients() == ["kommune0003@example.dk", "kommune0004@example.dk"]


def test_a_row_is_sent_once_when_another_run_races_for_it(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.RacingBackend"
    backlog(20)
    first_run_sent = notifications.deliver_pending()
    assert (first_run_sent, RacingBackend.second_run_sent) == (1, 19)
    assert recipients() == [f"kommune{index:04d}@example.dk" for index in range(20)]


def test_a_claim_left_by_a_dead_worker_is_retried_once_it_is_stale() -> None:
    backlog(2)
    dead, recent = Notification.objects.order_by("created_at")
    stale = notifications.STALE_CLAIM
    Notification.objects.filter(pk=dead.pk).update(attempts=1, claimed_at=RUN - stale)
    Notification.objects.filter(pk=recent.pk).update(
        attempts=1, claimed_at=RUN - stale + timedelta(seconds=1)
    )
    with time_machine.travel(RUN, tick=False):
        assert notifications.deliver_pending() == 1
    assert recipients() == ["kommune0000@example.dk"]


def test_a_mail_server_that_cannot_be_reached_ends_the_run_and_costs_no_attempt(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.RefusingServerBackend"
    backlog(3)
    assert notifications.deliver_pending() == 0
    assert set(Notification.objects.values_list("attempts", "claimed_at")) == {(0, None)}


def test_a_refused_message_backs_off_and_the_run_sends_the_others(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{BACKENDS}.OneRefusedRecipientBackend"
    backlog(4)
    assert notifications.deliver_pending() == 3
    refused = Notification.objects.get(sent_at__isnull=True)
    assert (refused.recipient, refused.attempts, refused.last_error) == (
        "kommune0001@example.dk",
        1,
        "recipient refused",
    )


def test_a_run_and_its_last_message_end_before_celery_stops_the_task(settings) -> None:  # type: ignore[no-untyped-def]
    last_message = timedelta(seconds=settings.EMAIL_TIMEOUT)
    soft_limit = timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT)
    assert notifications.DELIVERY_BUDGET + last_message < soft_limit


def test_a_single_delivery_still_claims_and_sends_its_row() -> None:
    backlog(1)
    row = Notification.objects.get()
    with time_machine.travel(RUN, tick=False):
        assert notifications.deliver(row.pk) is True
        assert notifications.deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.attempts, row.sent_at, recipients()) == (1, RUN, [row.recipient])
