"""The timestamp loader (config.db) gives what Django's own loader gives."""

from datetime import UTC, datetime

import pytest
from django.db import DataError, connection

pytestmark = pytest.mark.django_db

MOMENTS = [
    ("2026-03-29 01:59:59.999999+01", datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)),
    ("2026-03-29 03:00:00+02", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ("2026-10-25 02:30:00+01", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ("0001-01-01 00:00:00+00", datetime(1, 1, 1, tzinfo=UTC)),
    ("2026-12-01 16:01:03.5+00", datetime(2026, 12, 1, 16, 1, 3, 500000, tzinfo=UTC)),
]


def test_timestamps_load_as_utc_moments(require_postgres) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        for text, moment in MOMENTS:
            cursor.execute("SELECT %s::timestamptz", [text])
            [loaded] = cursor.fetchone()
            assert loaded == moment
            assert loaded.tzinfo is connection.timezone


def test_what_iso_format_cannot_read_is_left_to_django(require_postgres) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'infinity'::timestamptz")
        with pytest.raises(DataError):
            cursor.fetchone()
