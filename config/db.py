"""A faster loader for PostgreSQL's timestamps with time zone.

Django loads every ``timestamptz`` with a subclass of psycopg's pure-Python loader (to set the
time zone), which parses the text with a regular expression: about 15 µs a value, a third of the
time of a worklist of 200 rows. ``datetime.fromisoformat`` reads PostgreSQL's output in C. The
result is Django's: the same moment with the connection's time zone set on it; what
``fromisoformat`` cannot read (infinity, years BC) is left to Django's loader.
"""

from datetime import datetime
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created, dispatch_uid="fast-timestamptz-loader")
def _register(sender: Any, connection: BaseDatabaseWrapper, **_signal: object) -> None:
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class FastTzLoader(BaseTzLoader):
        timezone = connection.timezone  # Django's cursors compare it with theirs

        def load(self, data: Any) -> datetime:
            try:
                moment = datetime.fromisoformat(str(data, "ascii"))
            except ValueError:  # UnicodeDecodeError too
                return super().load(data)
            if moment.tzinfo is self.timezone:  # UTC, as Django's connections are set up
                return moment
            return moment.replace(tzinfo=self.timezone)  # four times the parsing

    connection.connection.adapters.register_loader("timestamptz", FastTzLoader)
