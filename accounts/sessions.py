"""Sessions in the database, as Django keeps them, read by a prepared query.

Every page a nurse opens reads her session first; the ORM compiled that query anew each time,
which cost more than PostgreSQL's answer. Writing, expiry and clearing stay Django's.
"""

from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from config.prepared import Prepared


def _unexpired(*, key: str, at: datetime) -> QuerySet[Session, Any]:
    return Session.objects.filter(session_key=key, expire_date__gt=at).values("session_data")


UNEXPIRED = Prepared(_unexpired)


class SessionStore(DatabaseStore):
    def load(self) -> dict[str, Any]:
        """The session's data; an unknown or expired key gives an empty session (with no key),
        as Django's own store does."""
        found = UNEXPIRED.rows(key=self.session_key or "", at=timezone.now())
        if not found:
            self._session_key = None
            return {}
        return self.decode(found[0]["session_data"])
