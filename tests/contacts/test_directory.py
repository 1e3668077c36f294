"""The directory kept in each process: read once, forgotten on every change."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache

from config import kept
from contacts import directory
from handover import services
from handover.models import ResponsibilityRule
from tests.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_directory() -> Iterator[None]:
    """Each test starts as a new process would, and leaves nothing kept behind."""
    directory.DIRECTORY.forget()
    yield
    directory.DIRECTORY.forget()


class Reader:
    """Counts its reads; answers ``value``."""

    def __init__(self, value: object) -> None:
        self.value, self.reads = value, 0

    def __call__(self) -> object:
        self.reads += 1
        return self.value


def test_a_fact_is_read_once_and_a_miss_is_read_every_time() -> None:
    found, missing = Reader("ward"), Reader(None)
    assert [directory.kept("ward", "1", found) for _ in range(3)] == ["ward"] * 3
    assert [directory.kept("ward", "2", missing) for _ in range(3)] == [None] * 3
    assert (found.reads, missing.reads) == (1, 3)


def test_a_change_is_read_anew_at_once_and_kept_only_once_committed(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ward = WardFactory(sor_code="111")
    read = Reader(ward)
    directory.kept("ward", "111", read)
    with django_capture_on_commit_callbacks(execute=True):
        ward.name = "Ny afdeling"
        ward.save()
        for _ in range(2):  # inside the changing transaction, which may yet roll back
            directory.kept("ward", "111", read)
        assert read.reads == 3
    for _ in range(2):
        directory.kept("ward", "111", read)
    assert read.reads == 4


def test_a_commit_gives_other_processes_a_new_version(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    directory.kept("ward", "111", Reader("ward"))
    before = cache.get(directory.DIRECTORY.version_key)
    with django_capture_on_commit_callbacks(execute=True):
        HospitalFactory(name="Nyt Hospital")
    assert cache.get(directory.DIRECTORY.version_key) not in (None, before)


def test_a_new_version_from_another_process_is_read_within_a_second(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [1000.0]
    monkeypatch.setattr(kept, "monotonic", lambda: now[0])
    read = Reader("ward")
    directory.kept("ward", "111", read)
    cache.set(directory.DIRECTORY.version_key, "set-by-another-process")
    now[0] += kept.CHECK_EVERY - 0.001
    directory.kept("ward", "111", read)
    assert read.reads == 1  # the version was asked for less than a second ago
    now[0] += 0.001
    directory.kept("ward", "111", read)
    directory.kept("ward", "111", read)
    assert read.reads == 2


def test_the_version_is_asked_for_at_most_once_a_second(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now, asked = [1000.0], []
    cache.set(directory.DIRECTORY.version_key, "v1")
    get = cache.get
    monkeypatch.setattr(kept, "monotonic", lambda: now[0])
    monkeypatch.setattr(cache, "get", lambda key, *args: asked.append(key) or get(key, *args))
    for _ in range(5):
        directory.kept("ward", "111", Reader("ward"))
        now[0] += 0.3
    assert len(asked) == 2


def test_without_a_shared_cache_a_copy_lives_at_most_max_age(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    now = [1000.0]
    monkeypatch.setattr(kept, "monotonic", lambda: now[0])
    read = Reader("ward")
    directory.kept("ward", "111", read)
    now[0] += kept.MAX_AGE
    directory.kept("ward", "111", read)
    assert read.reads == 1
    now[0] += 0.001
    directory.kept("ward", "111", read)
    assert read.reads == 2


def test_with_a_shared_cache_a_copy_lives_until_the_version_changes(  # type: ignore[no-untyped-def]
    monkeypatch, require_redis
) -> None:
    now = [1000.0]
    monkeypatch.setattr(kept, "monotonic", lambda: now[0])
    read = Reader("ward")
    directory.kept("ward", "111", read)
    now[0] += 10 * kept.MAX_AGE
    directory.kept("ward", "111", read)
    assert read.reads == 1
    cache.set(directory.DIRECTORY.version_key, "set-by-another-process")
    now[0] += kept.CHECK_EVERY
    directory.kept("ward", "111", read)
    assert read.reads == 2


def test_when_the_cache_is_down_the_database_answers_and_the_cache_is_retried_later(  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    now, asked = [1000.0], []

    def down(*_args: object, **_kwargs: object) -> None:
        asked.append(now[0])
        raise ConnectionError("cache down")

    monkeypatch.setattr(kept, "monotonic", lambda: now[0])
    monkeypatch.setattr(cache, "get", down)
    read = Reader("ward")
    assert [directory.kept("ward", "111", read) for _ in range(3)] == ["ward"] * 3
    assert read.reads == 3
    assert asked == [1000.0]  # not asked again while it is down
    now[0] += kept.CACHE_RETRY
    directory.kept("ward", "111", read)
    assert asked == [1000.0, 1000.0 + kept.CACHE_RETRY]


def test_a_new_rule_is_in_force_for_the_next_discharge() -> None:
    ward = WardFactory(hospital=HospitalFactory(region_id=1084))
    later = datetime(2031, 3, 2, 12, tzinfo=UTC)
    before = services.rule_for(ward, later)
    assert before is not None
    added = ResponsibilityRule.objects.create(
        region_id=1084,
        effective_from=date(2031, 3, 1),
        hours=48,
        min_admission_hours=24,
        covered_destinations=before.covered_destinations,
    )
    assert services.rule_for(ward, later) == added
