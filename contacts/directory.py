"""Directory facts kept in each process: wards by SOR code, municipalities by name, rules.

Every MedCom message needs all three, and recording a discharge needs the rules, while an
administrator changes them a few times a year. Like Django's content types they are kept in the
process, but under a version held in the shared cache: saving or deleting a hospital, ward,
municipality or rule (and running migrations) forgets this process's copies at once and, when the
transaction commits, gives the version a new value, so every other process reads anew at its next
look-up. Until then, nothing read inside the changing transaction is kept. Where the cache is not
shared between processes (the local-memory default), a process keeps what it read for at most
``MAX_AGE`` seconds. Nothing is kept for a look-up that found nothing, and when the cache cannot be
reached, the database answers for the next ``CACHE_RETRY`` seconds before the cache is tried again.
"""

import logging
import uuid
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

VERSION_KEY = "directory:version"
MAX_AGE = 60.0
CACHE_RETRY = 10.0

T = TypeVar("T")
logger = logging.getLogger(__name__)


class _Copies:
    """What this process has read under one version of the directory."""

    def __init__(self, version: str | None = None) -> None:
        self.version = version
        self.read_at = monotonic()
        self.entries: dict[tuple[str, Hashable], Any] = {}


_copies = _Copies()
_cache_down_until = 0.0
_changed_uncommitted = False


def _version() -> str | None:
    global _cache_down_until
    if monotonic() < _cache_down_until:
        return None
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # first use, or the cache was emptied: one process's value wins
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # the cache backend's own connection errors vary by backend
        _cache_down_until = monotonic() + CACHE_RETRY
        logger.warning("directory read from the database: cache unavailable", exc_info=True)
        return None
    return version


def kept(kind: str, key: Hashable, read: Callable[[], T | None]) -> T | None:
    """The directory fact ``kind``/``key``, from this process's copy or from ``read()``.

    The value is shared by every caller in the process: read it, do not change it.
    """
    global _copies, _changed_uncommitted
    if _changed_uncommitted:
        if transaction.get_connection().in_atomic_block:
            return read()  # the change may yet be rolled back
        _changed_uncommitted = False
    version = _version()
    if version is None:
        return read()
    copies = _copies
    if version != copies.version or monotonic() - copies.read_at > MAX_AGE:
        copies = _copies = _Copies(version)
    entry = (kind, key)
    if entry in copies.entries:
        return copies.entries[entry]
    value = read()
    if value is not None:
        copies.entries[entry] = value
    return value


def follow(*kinds: type[models.Model]) -> None:
    """Forget the copies whenever one of these models is saved or deleted, or migrations run
    (called from the apps' ``ready``)."""
    for kind in kinds:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=kind, dispatch_uid=f"directory-{kind._meta.label}")
    post_migrate.connect(changed, dispatch_uid="directory-migrate")


def changed(**_signal: object) -> None:
    """The receiver ``follow`` connects."""
    global _copies, _changed_uncommitted
    _copies = _Copies()
    _changed_uncommitted = transaction.get_connection().in_atomic_block
    transaction.on_commit(_new_version)


def _new_version() -> None:
    global _changed_uncommitted
    _changed_uncommitted = False
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # as above; other processes then read anew within MAX_AGE
        logger.warning("directory version not changed: cache unavailable", exc_info=True)
