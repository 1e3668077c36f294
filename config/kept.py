"""Facts kept in each process under a version held in the shared cache.

Some facts are read on nearly every request and change seldom: the directory (wards, hospitals,
municipalities, rules) and the signed-in users. Like Django's content types they are kept in the
process, but under a version held in the shared cache: saving or deleting a followed model (or
running migrations) forgets this process's copies at once and, when the transaction commits,
gives the version a new value, so every other process reads anew within ``CHECK_EVERY`` seconds
(a process asks for the version at most that often: at hundreds of requests a second, asking at
each one would cost more than the facts). Until then, nothing read inside the changing
transaction is kept. Where the cache is not shared between processes (the local-memory
default), a process keeps what it read for at most ``MAX_AGE`` seconds. Nothing is kept for a
look-up that found nothing, and when the cache cannot be reached, the database answers for the
next ``CACHE_RETRY`` seconds before the cache is tried again.
"""

import logging
import uuid
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Any, TypeVar

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

MAX_AGE = 60.0
CACHE_RETRY = 10.0
CHECK_EVERY = 1.0

T = TypeVar("T")
logger = logging.getLogger(__name__)


class _Copies:
    """What this process has read under one version."""

    def __init__(self, version: str | None = None) -> None:
        self.version = version
        self.read_at = monotonic()
        self.entries: dict[tuple[str, Hashable], Any] = {}


class Kept:
    """One kind of kept facts, with its own version (``version_key`` in the shared cache)."""

    def __init__(self, version_key: str) -> None:
        self.version_key = version_key
        self.forget()

    def forget(self) -> None:
        """Start over, as a new process would."""
        self._copies = _Copies()
        self._cache_down_until = 0.0
        self._changed_uncommitted = False
        self._known: tuple[float, str] | None = None  # when the version was asked for; it
        self._shared = False  # whether other processes see the cache the version is in

    def get(self, kind: str, key: Hashable, read: Callable[[], T | None]) -> T | None:
        """The fact ``kind``/``key``, from this process's copy or from ``read()``.

        The value is shared by every caller in the process: read it, do not change it.
        """
        if self._changed_uncommitted:
            if transaction.get_connection().in_atomic_block:
                return read()  # the change may yet be rolled back
            self._changed_uncommitted = False
        version = self._version()
        if version is None:
            return read()
        copies = self._copies
        too_old = not self._shared and monotonic() - copies.read_at > MAX_AGE
        if version != copies.version or too_old:
            copies = self._copies = _Copies(version)
        entry = (kind, key)
        if entry in copies.entries:
            return copies.entries[entry]
        value = read()
        if value is not None:
            copies.entries[entry] = value
        return value

    def follow(
        self, *kinds: type[models.Model], unless: Callable[..., bool] = lambda **_: False
    ) -> None:
        """Forget the copies whenever one of these models is saved or deleted, or migrations
        run (called from the apps' ``ready``); ``unless(**signal)`` names saves that change
        nothing kept."""

        def changed(**signal: Any) -> None:
            if not unless(**signal):
                self.changed()

        for kind in kinds:
            for model_signal in (post_save, post_delete):
                model_signal.connect(
                    changed,
                    sender=kind,
                    weak=False,
                    dispatch_uid=f"{self.version_key}-{kind._meta.label}",
                )
        post_migrate.connect(changed, weak=False, dispatch_uid=f"{self.version_key}-migrate")

    def changed(self) -> None:
        """Forget this process's copies now and everyone's once the transaction commits."""
        self._copies = _Copies()
        self._known = None
        self._changed_uncommitted = transaction.get_connection().in_atomic_block
        transaction.on_commit(self._new_version)

    def _version(self) -> str | None:
        now = monotonic()
        if self._known is not None and now - self._known[0] < CHECK_EVERY:
            return self._known[1]
        if now < self._cache_down_until:
            return None
        try:
            version = cache.get(self.version_key)
            if version is None:  # first use, or the cache was emptied: one process's value wins
                cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
                version = cache.get(self.version_key)
        except Exception:  # the cache backend's own connection errors vary by backend
            self._cache_down_until = now + CACHE_RETRY
            logger.warning(
                "%s: read from the database, cache unavailable", self.version_key, exc_info=True
            )
            return None
        self._known = (now, version)
        self._shared = not isinstance(caches["default"], LocMemCache)
        return version

    def _new_version(self) -> None:
        self._changed_uncommitted = False
        try:
            cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
        except Exception:  # as above; other processes then read anew within MAX_AGE
            logger.warning(
                "%s: version not changed, cache unavailable", self.version_key, exc_info=True
            )
