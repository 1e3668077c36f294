"""Figures kept in the cache for a minute.

Every kept figure's key carries a version number; a new report, a case's move and a summary
refresh raise it (``figures_changed``), so the next reader counts again. Other changes (a
discharge documented, a call logged) show within the minute. With the local-memory cache of a
setup without Redis each process keeps its own and only the minute limits them; a Redis that
cannot be reached answers nothing, and the figures are counted (``config.settings.redis_cache``).
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

KEEP_SECONDS = 60
VERSION_KEY = "stats:version"


def figures(key: str, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The figures kept under ``key``, or ``count()`` kept from now on."""
    version = cache.get_or_set(VERSION_KEY, 0, timeout=None) or 0
    found: dict[str, Any] | None = cache.get(key, version=version)
    if found is None:
        found = count()
        cache.set(key, found, KEEP_SECONDS, version=version)
    return found


def figures_changed() -> None:
    """Drop every kept figure once the current transaction commits."""

    def bump() -> None:
        cache.get_or_set(VERSION_KEY, 0, timeout=None)
        cache.incr(VERSION_KEY)

    transaction.on_commit(bump)
