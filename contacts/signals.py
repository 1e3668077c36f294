"""Cached wards (``WardQuerySet.cached``) are dropped when a ward, its hospital or one of its
temporary numbers changes."""

from typing import Any

from django.core.cache import cache

from contacts.models import Hospital, PhoneOverride, Ward, ward_cache_key


def ward_changed(sender: type[Ward], instance: Ward, **_signal: Any) -> None:
    cache.delete(ward_cache_key(instance.pk))


def hospital_changed(sender: type[Hospital], instance: Hospital, **_signal: Any) -> None:
    cache.delete_many([ward_cache_key(pk) for pk in instance.wards.values_list("pk", flat=True)])


def override_changed(sender: type[PhoneOverride], instance: PhoneOverride, **_signal: Any) -> None:
    cache.delete(ward_cache_key(instance.ward_id))
