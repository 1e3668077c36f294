"""The rules of extended treatment responsibility, as pure functions (no ORM, no clock).

Sources: DOMAIN.md, distilled from the seeds. The numbers (hours, minimum admission) come from a
``ResponsibilityRule`` row, never from literals here.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
ADULT_AGE = 18

# ASCII digits only: `\d` would also match Arabic-Indic and other decimal digits, which `int()`
# reads, and the same citizen would be stored under a second, differently spelled number.
_CPR_PATTERN = re.compile(r"([0-9]{6})-?([0-9]{4})")
# What could be a CPR number inside free text, in any script's digits (here `\d` is wanted):
# six and four digits, together or around a hyphen or a space.
_CPR_IN_TEXT = re.compile(r"\d{6}[-\s]?\d{4}")


class InvalidCPR(ValueError):
    """The text is not a CPR number that can exist."""


@dataclass(frozen=True)
class CPR:
    number: str  # ten digits, no hyphen
    birth_date: date
    sex: str  # "F" or "M"

    @property
    def masked(self) -> str:
        return f"{self.number[:6]}-****"


def holds_cpr(text: str) -> bool:
    """Whether free text (a look-up's stated purpose) holds what could be a CPR number: such
    text must not reach the access log, which names a citizen only by a keyed hash."""
    return _CPR_IN_TEXT.search(unicodedata.normalize("NFKC", text)) is not None


def century(year_digits: int, seventh_digit: int) -> int:
    """The century of a CPR birth year from its seventh digit (CPR-kontoret's table)."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year_digits <= 36 else 1900
    return 2000 if year_digits <= 57 else 1800


def parse_cpr(text: str) -> CPR:
    """Parse ``DDMMÅÅ-XXXX`` (hyphen optional, spaces around ignored).

    Every way a CPR number enters (API, forms, look-up, MedCom import) comes through here, so
    there is one rule for what counts as the same number. The text is NFKC-normalised first:
    full-width digits and hyphen (typed with an East Asian keyboard layout or pasted from a
    document) are the same characters in another width and become ASCII. Whatever is left that
    is not an ASCII digit or the one hyphen is refused, Arabic-Indic digits included (NFKC keeps
    them): read as numbers they would look up, or create, a citizen nobody can find again.

    The date must exist. Modulus 11 is deliberately not checked: since 2007 numbers that fail it
    are issued and valid.
    """
    match = _CPR_PATTERN.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match:
        raise InvalidCPR("Et CPR-nummer skal have formen DDMMÅÅ-XXXX med cifrene 0-9.")
    digits = match.group(1) + match.group(2)
    day, month, year_digits = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = century(year_digits, int(digits[6])) + year_digits
    try:
        birth_date = date(year, month, day)
    except ValueError as error:
        raise InvalidCPR("CPR-nummerets fødselsdato findes ikke.") from error
    return CPR(number=digits, birth_date=birth_date, sex="M" if int(digits[9]) % 2 else "F")


def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


class Rule(Protocol):
    """What coverage needs to know of a ``ResponsibilityRule``."""

    @property
    def effective_from(self) -> date: ...
    @property
    def hours(self) -> int: ...
    @property
    def min_admission_hours(self) -> int: ...
    @property
    def covered_destinations(self) -> Sequence[str]: ...
    @property
    def psychiatry_allowed(self) -> bool: ...
    @property
    def adults_only(self) -> bool: ...


R = TypeVar("R", bound=Rule)


def rule_in_force(rules: Iterable[R], on: date) -> R | None:
    """The newest of a region's rules whose effective date is on or before ``on``."""
    in_force = [rule for rule in rules if rule.effective_from <= on]
    return max(in_force, key=lambda rule: rule.effective_from, default=None)


@dataclass(frozen=True)
class Coverage:
    covered: bool
    reason: str | None  # a NotCoveredReason value when not covered
    window_hours: int | None


def decide_coverage(
    *,
    rule: Rule | None,
    admitted_at: datetime,
    discharged_at: datetime,
    destination: str,
    psychiatric_ward: bool,
    birth_date: date,
    finished: bool,
    acute_outpatient: bool = False,
) -> Coverage:
    """Is the discharge covered by extended responsibility, and if not, why?

    The reasons are checked in this order, and the first that applies is given: no rule in
    force, destination, psychiatric ward, an acute ambulant contact (no admission: the scheme
    is for patients discharged after an admission), short admission (covered only when the stay
    is *more* than the rule's minimum), age, not finished. An unknown (empty) destination is
    treated as covered until the ward documents it: a window that may not apply is safer than
    none.
    """
    if rule is None:
        return Coverage(False, "no_rule_in_force", None)
    if destination and destination not in rule.covered_destinations:
        return Coverage(False, "destination_not_covered", None)
    if psychiatric_ward and not rule.psychiatry_allowed:
        return Coverage(False, "psychiatric", None)
    if acute_outpatient:
        return Coverage(False, "acute_outpatient", None)
    if discharged_at - admitted_at <= timedelta(hours=rule.min_admission_hours):
        return Coverage(False, "short_admission", None)
    local_day = discharged_at.astimezone(LOCAL_TZ).date()
    if rule.adults_only and age_on(birth_date, local_day) < ADULT_AGE:
        return Coverage(False, "not_adult", None)
    if not finished:
        return Coverage(False, "not_finished", None)
    return Coverage(True, None, rule.hours)


def window_end(
    discharged_at: datetime, window_hours: int, extension_hours: Iterable[int]
) -> datetime:
    """Discharge time plus the window plus every extension, in elapsed hours.

    Elapsed, not calendar: across a daylight-saving change 96 hours is not four calendar days.
    The sum is taken in UTC, because Python adds wall-clock time to a zoned datetime.
    """
    if discharged_at.tzinfo is None:
        raise ValueError("discharged_at must be aware")
    return discharged_at.astimezone(UTC) + timedelta(hours=window_hours + sum(extension_hours))


def window_open_at(ends_at: datetime | None, at: datetime) -> bool:
    """Covered at ``at``: ends_at - 1 s is inside the window, ends_at itself is not."""
    return ends_at is not None and at < ends_at


def hours_remaining(ends_at: datetime | None, at: datetime) -> float:
    """Hours left of a window at ``at``; 0 when it has ended or there is none."""
    if ends_at is None:
        return 0.0
    return max(0.0, (ends_at - at).total_seconds() / 3600)  # aware: zones do not matter


def missing_documentation(
    *, treatment_plan: str, has_contact_phone: bool, patient_informed: bool | None, destination: str
) -> list[str]:
    """What the discharge report still lacks (seed 000: plan, phone, informed patient)."""
    missing = []
    if not treatment_plan.strip():
        missing.append("treatment_plan")
    if not has_contact_phone:
        missing.append("contact_phone")
    if not patient_informed:
        missing.append("patient_informed")
    if not destination:
        missing.append("destination")
    return missing


def epr_sentence(ends_at: datetime, phone: str) -> str:
    """The customary sentence for the EPR's udskrivningsrapport (seed 000)."""
    local = ends_at.astimezone(LOCAL_TZ)
    return (
        f"Hospitalet har behandlingsansvar for patienten indtil {local:%d-%m-%Y} "
        f"kl. {local:%H:%M}, tlf. {phone}."
    )
