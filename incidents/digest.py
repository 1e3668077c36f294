"""The weekly learning digest of a ward, for the morning meeting and the newsletter (seed 000:
"Del erfaringer og læring fra UTH'er ... på morgenmøder ... og/eller via interne nyhedsbreve").

It lists the learning actions of the cases closed in an ISO week that concern the ward (the
place of occurrence, the discharge, or an involved organisation), told without the patient or
the reporter (reporting is blame-free and confidential), beside the ward's documentation KPI
over the weeks before.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from accounts.models import User
from contacts.models import Ward
from handover.rules import LOCAL_TZ
from incidents import stats, summaries
from incidents.models import Incident, IncidentStatus, Transition

TREND_WEEKS = 8
# Ten digits, with or without the hyphen: a CPR number in free text.
CPR_IN_TEXT = re.compile(r"\b\d{6}-?\d{4}\b")


class NotAWeek(ValueError):
    """Not an ISO week of the form 2026-W49."""


@dataclass(frozen=True)
class Week:
    """An ISO week (Monday to Sunday, Copenhagen days)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Week":
        year, number, _weekday = day.isocalendar()
        return cls(year, number)

    @classmethod
    def parse(cls, text: str) -> "Week":
        """ "2026-W49" → that week; ``ValueError`` for anything else (a week 53 that the year
        does not have, too)."""
        match = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", text)
        if match is None:
            raise NotAWeek(text)
        week = cls(int(match.group(1)), int(match.group(2)))
        try:
            date.fromisocalendar(week.year, week.number, 1)
        except ValueError as error:
            raise NotAWeek(text) from error
        return week

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time.min, LOCAL_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.monday + timedelta(days=7), time.min, LOCAL_TZ)

    def shifted(self, weeks: int) -> "Week":
        return Week.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def digest_wards(user: User) -> QuerySet[Ward]:
    """The wards whose digest the user may read, on the hospital side of
    ``Discharge.objects.visible_to``: ward staff and coordinators their hospital's wards, risk
    managers those of their region or hospital, administrators every ward."""
    wards = Ward.objects.active().select_related("hospital")
    if not user.is_authenticated:
        return wards.none()
    if user.is_admin_role:
        return wards
    if user.is_ward_staff or user.role == "coordinator":
        return wards.filter(hospital_id=user.hospital_id_in_scope or 0)
    if user.is_risk_manager and user.region_id is not None:
        return wards.filter(hospital__region_id=user.region_id)
    if user.is_risk_manager and user.hospital_id is not None:
        return wards.filter(hospital_id=user.hospital_id)
    return wards.none()


@dataclass(frozen=True)
class SharedAction:
    text: str
    owner: str
    due_date: date
    done: bool


@dataclass(frozen=True)
class Lesson:
    """A closed case as the digest tells it: what kind of case, how serious, what is done."""

    category: str
    severity: str
    closed_at: datetime
    actions: list[SharedAction]


def closed_cases(ward: Ward, week: Week) -> QuerySet[Incident]:
    """The cases concerning ``ward`` that were closed in ``week``."""
    closed = Transition.objects.filter(
        to_status=IncidentStatus.CLOSED, at__gte=week.start, at__lt=week.end
    )
    concerning = Q(place_ward=ward) | Q(discharge__ward=ward) | Q(involved__ward=ward)
    return (
        Incident.objects.filter(concerning, status=IncidentStatus.CLOSED)
        .filter(pk__in=closed.values("incident"))
        .distinct()
        .select_related("discharge__patient", "reporter")
        .prefetch_related("learning_actions", "transitions")
        .order_by("created_at", "id")
    )


def anonymised(text: str, names: Iterable[str]) -> str:
    """``text`` without CPR numbers and without the names given (the patient's, the
    reporter's): a learning action is written to be shared, but it is free text."""
    text = CPR_IN_TEXT.sub("[CPR]", text)
    for name in sorted({name for name in names if name.strip()}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[navn]", text, flags=re.IGNORECASE)
    return text


def lessons(ward: Ward, week: Week) -> list[Lesson]:
    told = []
    for incident in closed_cases(ward, week):
        reporter = incident.reporter
        names = [reporter.get_full_name(), reporter.first_name, reporter.last_name]
        names.append(reporter.username)
        if incident.discharge is not None:
            names.append(incident.discharge.patient_name)
            names.append(incident.discharge.patient.name)  # the first name it was given
        actions = [
            SharedAction(
                text=anonymised(action.text, names),
                owner=anonymised(action.owner, names),
                due_date=action.due_date,
                done=action.done,
            )
            for action in incident.learning_actions.all()
        ]
        closed_at = max(
            t.at for t in incident.transitions.all() if t.to_status == IncidentStatus.CLOSED
        )
        told.append(
            Lesson(
                category=incident.get_category_display(),
                severity=incident.get_severity_display(),
                closed_at=closed_at,
                actions=actions,
            )
        )
    return told


@dataclass(frozen=True)
class WeekRate:
    week: Week
    covered: int
    documented: int
    rate: float | None


def kpi_trend(*, user: User, ward: Ward, week: Week, weeks: int = TREND_WEEKS) -> list[WeekRate]:
    """The ward's documentation KPI in each of the ``weeks`` weeks up to ``week``, as the
    dashboard computes it: ``stats.compliance`` is the one place that says what the KPI is,
    and this is the digest's one call of it."""
    trend = []
    for back in range(weeks - 1, -1, -1):
        shown = week.shifted(-back)
        filters = stats.Filters(shown.monday, shown.sunday, ward=ward.pk)
        rows = summaries.discharge_rows(
            Q(ward_id=ward.pk), shown.monday, shown.sunday, ("ward_id",)
        )
        figures = stats.compliance(user, filters, rows)
        trend.append(WeekRate(shown, figures["covered"], figures["documented"], figures["rate"]))
    return trend
