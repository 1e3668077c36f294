"""The look-up limit (issue 25 row 11): exact under concurrency, and refusals logged as one row
per user and minute with a count, so that a client refused again and again cannot fill the log."""

import threading
from collections import Counter
from datetime import datetime

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from accounts.models import Role, User
from contacts.rules import LOCAL_TZ
from handover.lookup import TooManyLookups, look_up
from handover.models import AccessAction, AccessLog, AccessOutcome
from tests.factories import UserFactory, WardFactory, record_discharge


def _refusals(user: User) -> list[tuple[int, str]]:
    rows = AccessLog.objects.filter(
        user=user, action=AccessAction.LOOKUP, outcome=AccessOutcome.DENIED
    )
    return list(rows.order_by("at").values_list("count", "criterion"))


def _answered(user: User) -> int:
    return (
        AccessLog.objects.filter(user=user, action=AccessAction.LOOKUP)
        .exclude(outcome=AccessOutcome.DENIED)
        .count()
    )


def _hammer(users: list[User], threads_per_user: int, each: int) -> Counter[tuple[int, str]]:
    """Every user's threads look up at once (a barrier), ``each`` look-ups per thread; the
    answers counted per (user, outcome)."""
    outcomes: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(users) * threads_per_user)

    def run(user: User) -> None:
        try:
            barrier.wait()
            for _ in range(each):
                try:
                    look_up(user=user, cpr="0101451234", at=timezone.now())
                    outcome = "answered"
                except TooManyLookups:
                    outcome = "refused"
                with lock:
                    outcomes[(user.pk, outcome)] += 1
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(user,))
        for user in users
        for _ in range(threads_per_user)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db
def test_refusals_in_one_minute_make_one_row_with_their_count(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 2
    nurse = UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163")
    with time_machine.travel(datetime(2026, 11, 22, 10, 0, 5, tzinfo=LOCAL_TZ), tick=False):
        for _ in range(2):
            look_up(user=nurse, cpr="0101451234", at=timezone.now())
        for _ in range(5):
            with pytest.raises(TooManyLookups):
                look_up(user=nurse, cpr="0202451234", at=timezone.now())
    assert [count for count, _criterion in _refusals(nurse)] == [5]


@pytest.mark.django_db
def test_a_new_clock_minute_starts_a_new_refusal_row(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 1
    nurse = UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163")
    for moment, tries in (((10, 0, 50), 3), ((10, 1, 10), 2)):
        with time_machine.travel(datetime(2026, 11, 22, *moment, tzinfo=LOCAL_TZ), tick=False):
            if moment == (10, 0, 50):
                look_up(user=nurse, cpr="0101451234", at=timezone.now())
            for _ in range(tries):
                with pytest.raises(TooManyLookups):
                    look_up(user=nurse, cpr="0101451234", at=timezone.now())
    assert [count for count, _criterion in _refusals(nurse)] == [3, 2]


@pytest.mark.django_db
def test_one_users_refusals_do_not_add_to_anothers_row(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 1
    first, second = (
        UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163") for _ in range(2)
    )
    with time_machine.travel(datetime(2026, 11, 22, 10, 0, 5, tzinfo=LOCAL_TZ), tick=False):
        for user, tries in ((first, 4), (second, 1)):
            look_up(user=user, cpr="0101451234", at=timezone.now())
            for _ in range(tries):
                with pytest.raises(TooManyLookups):
                    look_up(user=user, cpr="0101451234", at=timezone.now())
    assert ([c for c, _ in _refusals(first)], [c for c, _ in _refusals(second)]) == ([4], [1])


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_exact_for_one_user_looking_up_from_eight_threads_at_once(
    require_postgres, reference_data, settings
) -> None:  # type: ignore[no-untyped-def]
    limit = settings.LOOKUP_RATE_PER_MINUTE
    nurse = UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163")
    record_discharge(ward=WardFactory())
    outcomes = _hammer([nurse], threads_per_user=8, each=6)  # 48 look-ups at once
    assert (outcomes[(nurse.pk, "answered")], outcomes[(nurse.pk, "refused")]) == (
        limit,
        48 - limit,
    )
    assert _answered(nurse) == limit
    counts = [count for count, _criterion in _refusals(nurse)]
    # One row a clock minute: the run may straddle the turn of a minute.
    assert sum(counts) == 48 - limit
    assert len(counts) in (1, 2)


@pytest.mark.django_db(transaction=True)
def test_each_of_several_users_at_once_gets_exactly_the_limit(
    require_postgres, reference_data, settings
) -> None:  # type: ignore[no-untyped-def]
    limit = settings.LOOKUP_RATE_PER_MINUTE
    nurses = [UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163") for _ in range(4)]
    outcomes = _hammer(nurses, threads_per_user=2, each=20)  # 40 look-ups per user
    assert {outcomes[(nurse.pk, "answered")] for nurse in nurses} == {limit}
    assert {_answered(nurse) for nurse in nurses} == {limit}
    assert {sum(c for c, _ in _refusals(nurse)) for nurse in nurses} == {40 - limit}
