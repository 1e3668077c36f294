"""Which telephone number is right at a given moment, and why. Pure functions, no ORM.

The Aalborg model (seed 000) asks for one unambiguous number: a ward's day line during its day
hours on working days, otherwise its on-call line (vagthavende læge). A temporary override (a line
that is down, a merged ward) wins over both.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

DAY = "day"
ON_CALL = "on_call"
OVERRIDE = "override"

# Monday–Friday 08:00–15:30 local time; Saturday and Sunday have no day line.
DEFAULT_DAY_HOURS: list[list[str] | None] = [["08:00", "15:30"]] * 5 + [None, None]


@dataclass(frozen=True)
class Override:
    starts_at: datetime
    ends_at: datetime
    phone: str
    reason: str


@dataclass(frozen=True)
class PhoneChoice:
    phone: str
    kind: str  # DAY, ON_CALL or OVERRIDE
    reason: str


@lru_cache(maxsize=32)
def _danish_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DK", years=year, language="da"))


def public_holiday(day: date) -> str | None:
    """The name of the Danish public holiday on ``day``, or None."""
    return _danish_holidays(day.year).get(day)


def parse_day_hours(day_hours: Sequence[Sequence[str] | None]) -> list[tuple[time, time] | None]:
    """Validate a week of day hours: seven entries, each None or ``["HH:MM", "HH:MM"]``."""
    return [_day(entry) for entry in _week(day_hours)]


def _week(day_hours: Sequence[Sequence[str] | None]) -> Sequence[Sequence[str] | None]:
    if len(day_hours) != 7:
        raise ValueError("day hours must have one entry per weekday (7)")
    return day_hours


def _day(entry: Sequence[str] | None) -> tuple[time, time] | None:
    if entry is None:
        return None
    start, end = (time.fromisoformat(value) for value in entry)
    if start >= end:
        raise ValueError("a day must start before it ends")
    return start, end


def phone_at(
    *,
    at: datetime,
    day_phone: str,
    on_call_phone: str,
    day_hours: Sequence[Sequence[str] | None],
    overrides: Iterable[Override] = (),
) -> PhoneChoice:
    """The number to call at ``at`` (an aware datetime) and the reason, in Danish."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    for override in sorted(overrides, key=lambda o: o.starts_at, reverse=True):
        if override.starts_at <= at < override.ends_at:
            return PhoneChoice(
                override.phone, OVERRIDE, override.reason or _("Midlertidigt nummer")
            )
    local = at.astimezone(LOCAL_TZ)
    holiday = public_holiday(local.date())
    if holiday:
        return PhoneChoice(on_call_phone, ON_CALL, _("Helligdag (%s)") % holiday)
    hours = _day(_week(day_hours)[local.weekday()])  # the day asked about, not the whole week
    if hours is None:
        reason = _("Weekend") if local.weekday() >= 5 else _("Ingen dagtid i dag")
        return PhoneChoice(on_call_phone, ON_CALL, reason)
    start, end = hours
    if start <= local.time().replace(tzinfo=None) < end:
        return PhoneChoice(day_phone, DAY, _("Dagtid"))
    return PhoneChoice(on_call_phone, ON_CALL, _("Uden for dagtid"))


def format_phone(e164: str) -> str:
    """Danish display: "+4544884488" → "44 88 44 88"; short numbers (112, 1813) unchanged."""
    digits = e164.removeprefix("+45") if e164.startswith("+45") else e164
    if len(digits) == 8 and digits.isdigit():
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return e164
