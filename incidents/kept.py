"""Figures kept in the cache for a minute.

Every kept figure's key carries a version number; a new report, a case's move and a summary
refresh raise it (``figures_changed``), so the next reader counts again. Other changes (a
discharge documented, a call logged) show within the minute. Without a reachable cache the
figures are simply counted each time; with the local-memory cache of a setup without Redis each
process keeps its own and only the minute limits them.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
KEEP_SECONDS = 60
VERSION_KEY = "stats:version"


def figures(key: str, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The figures kept under ``key``, or ``count()`` kept from now on."""
    try:
        version = cache.get_or_set(VERSION_KEY, 0, timeout=None)
        found = cache.get(key, version=version)
    except Exception:  # the cache backend's own connection errors vary by backend
        logger.warning("statistics counted without the cache: cache unavailable", exc_info=True)
        return count()
    if found is None:
        found = count()
        try:
            cache.set(key, found, KEEP_SECONDS, version=version)
        except Exception:  # as above
            logger.warning("statistics not kept: cache unavailable", exc_info=True)
    return found


def figures_changed() -> None:
    """Drop every kept figure once the current transaction commits."""

    def bump() -> None:
        try:
            cache.get_or_set(VERSION_KEY, 0, timeout=None)
            cache.incr(VERSION_KEY)
        except Exception:  # the cache backend's own connection errors vary by backend
            logger.warning("kept statistics not dropped: cache unavailable", exc_info=True)

    transaction.on_commit(bump)
