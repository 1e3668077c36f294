"""The risk manager's figures.

Discharges and calls come from the summary tables (``incidents.summaries``: whole months and
weeks, counted by a beat job) and partial periods counted live; incidents are few enough to count
directly. Every function is limited to the caller's scope (``risk_scope``, the rule
``Discharge.objects.visible_to`` applies to risk managers) and returns plain data, so the API, the
dashboard and its CSV exports show the same numbers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, DateField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from accounts.models import User
from contacts.models import Ward
from handover.models import CallOutcome
from handover.models.discharges import risk_scope
from handover.rules import LOCAL_TZ
from incidents import kept, summaries
from incidents.models import Incident, IncidentStatus


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    hospital: int | None = None
    ward: int | None = None
    municipality: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, LOCAL_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), time.min, LOCAL_TZ)


def scope(user: User, filters: Filters, prefix: str = "") -> Q:
    """The caller's organisation and the chosen filters, on anything with a ward and a
    municipality (``prefix`` reaches them from a call)."""
    allowed = Q() if user.is_admin_role else risk_scope(user, prefix)
    chosen = {
        f"{prefix}ward__hospital_id": filters.hospital,
        f"{prefix}ward_id": filters.ward,
        f"{prefix}municipality_id": filters.municipality,
    }
    return allowed & Q(**{name: value for name, value in chosen.items() if value})


def _rate(documented: int, covered: int) -> float | None:
    return round(documented / covered, 4) if covered else None


def _sum(
    rows: list[dict[str, Any]], key: str, counts: tuple[str, ...]
) -> dict[Any, dict[str, int]]:
    totals: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counts, 0))
    for row in rows:
        for name in counts:
            totals[row[key]][name] += row[name]
    return totals


def _total(rows: list[dict[str, Any]], counts: tuple[str, ...]) -> dict[str, int]:
    return {name: sum(row[name] for row in rows) for name in counts}


def discharge_counts(user: User, filters: Filters) -> list[dict[str, Any]]:
    """The discharge counts per month and ward that ``compliance`` and ``windows`` sum; a page
    showing both reads them once and passes them to each."""
    return summaries.discharge_rows(
        scope(user, filters), filters.date_from, filters.date_to, ("ward_id",)
    )


def compliance(
    user: User, filters: Filters, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Documentation rate among covered discharges: treatment plan and contact phone present by
    the time of discharge (plus the grace period), seed 003's 90 % goal."""
    rows = discharge_counts(user, filters) if rows is None else rows
    counts = ("discharges", "documented")
    by_ward = _sum(rows, "ward_id", counts)
    names = dict(Ward.objects.filter(pk__in=by_ward).values_list("pk", "name"))
    total = _total(rows, counts)
    return {
        "target": settings.HANDOVER_KPI_TARGET,
        "covered": total["discharges"],
        "documented": total["documented"],
        "rate": _rate(total["documented"], total["discharges"]),
        "by_ward": [
            {
                "ward": names[ward_id],
                "ward_id": ward_id,
                "covered": row["discharges"],
                "documented": row["documented"],
                "rate": _rate(row["documented"], row["discharges"]),
            }
            for ward_id, row in sorted(by_ward.items(), key=lambda item: names[item[0]])
        ],
        "by_month": [
            {
                "month": f"{month:%Y-%m}",
                "covered": row["discharges"],
                "documented": row["documented"],
                "rate": _rate(row["documented"], row["discharges"]),
            }
            for month, row in sorted(_sum(rows, "period", counts).items())
        ],
    }


def windows(
    user: User, filters: Filters, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """How windows ended: expired, extended (still open or not), readmitted, deceased."""
    rows = discharge_counts(user, filters) if rows is None else rows
    counts = ("expired", "extended", "readmitted", "deceased")
    total = _total(rows, counts)
    by_ward = _sum(rows, "ward_id", ("readmitted",))
    readmitting = {
        ward_id: row["readmitted"] for ward_id, row in by_ward.items() if row["readmitted"]
    }
    names = dict(Ward.objects.filter(pk__in=readmitting).values_list("pk", "name"))
    return {
        **total,
        "readmissions_by_ward": [
            {"ward": names[ward_id], "readmitted": count}
            for ward_id, count in sorted(
                readmitting.items(), key=lambda item: (-item[1], names[item[0]])
            )
        ],
    }


def calls(user: User, filters: Filters) -> dict[str, Any]:
    """Calls received in the period about discharges within the scope and filters."""
    rows = summaries.call_rows(
        scope(user, filters),
        scope(user, filters, "discharge__"),
        filters.date_from,
        filters.date_to,
        summaries.CALL_KEYS,
    )

    def by(key: str) -> dict[str, int]:
        return {name: row["calls"] for name, row in sorted(_sum(rows, key, ("calls",)).items())}

    return {
        "total": sum(row["calls"] for row in rows),
        "by_outcome": by("outcome"),
        "by_caller_role": by("caller_role"),
        "referred_to_gp_within_window": sum(
            row["calls"]
            for row in rows
            if row["outcome"] == CallOutcome.REFERRED_TO_GP and row["within_window"]
        ),
        "by_week": [
            {"week": f"{week:%G-W%V}", "calls": row["calls"]}
            for week, row in sorted(_sum(rows, "period", ("calls",)).items())
        ],
    }


def incident_rows(user: User, filters: Filters) -> QuerySet[Incident]:
    """The reports the incident figures count."""
    rows = Incident.objects.handled_by(user).filter(
        created_at__gte=filters.start, created_at__lt=filters.end
    )
    if filters.hospital:
        rows = rows.filter(hospital_id=filters.hospital)
    if filters.municipality:
        rows = rows.filter(municipality_id=filters.municipality)
    return rows


def incidents(user: User, filters: Filters, now: datetime) -> dict[str, Any]:
    rows = incident_rows(user, filters)
    # One pass over the reports, counted per combination (with an open case's age); every
    # figure is a sum over it.
    days = {name: now - timedelta(days=n) for name, n in (("week", 7), ("month", 30))}
    age = Case(
        When(~Q(status__in=[IncidentStatus.RECEIVED, IncidentStatus.IN_REVIEW]), then=Value("")),
        When(created_at__gt=days["week"], then=Value("under_7_days")),
        When(created_at__gt=days["month"], then=Value("from_7_to_30_days")),
        default=Value("over_30_days"),
    )
    groups = list(
        rows.annotate(
            month=TruncMonth("created_at", output_field=DateField(), tzinfo=LOCAL_TZ), age=age
        )
        .values("month", "category", "severity", "status", "cross_sector", "age")
        .annotate(n=Count("*"))
        .order_by()
    )

    def by(field: str) -> dict[Any, int]:
        counts: Counter[Any] = Counter()
        for group in groups:
            if group[field] != "":
                counts[group[field]] += group["n"]
        return dict(sorted(counts.items()))

    total = sum(group["n"] for group in groups)
    cross = sum(group["n"] for group in groups if group["cross_sector"])
    ages = by("age")
    return {
        "total": total,
        "by_category": by("category"),
        "by_severity": by("severity"),
        "by_status": by("status"),
        "by_month": [
            {"month": f"{month:%Y-%m}", "incidents": n} for month, n in by("month").items()
        ],
        "open_by_age": {
            name: ages.get(name, 0)
            for name in ("under_7_days", "from_7_to_30_days", "over_30_days")
        },
        "cross_sector_share": round(cross / total, 4) if total else None,
    }


def dashboard(user: User, filters: Filters, now: datetime) -> dict[str, Any]:
    """Every figure the dashboard shows, read once and kept a minute for everyone with the same
    scope and filters: the page, its CSV exports and the way back from its rows read them again
    and again."""

    def count() -> dict[str, Any]:
        counted = discharge_counts(user, filters)
        return {
            "kpi": compliance(user, filters, counted),
            "calls": calls(user, filters),
            "incidents": incidents(user, filters, now),
            "windows": windows(user, filters, counted),
        }

    scope = (user.role, user.is_superuser, user.region_id, user.hospital_id, user.municipality_id)
    chosen = (
        filters.date_from,
        filters.date_to,
        filters.hospital,
        filters.ward,
        filters.municipality,
    )
    return kept.figures(":".join(map(str, ("dashboard", *scope, *chosen))), count)
