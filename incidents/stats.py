"""The risk manager's figures, aggregated in the database from indexed date columns.

Every function starts from ``visible_to(user)`` and returns plain data, so the API, the dashboard
and its CSV exports show the same numbers.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek

from accounts.models import User
from handover.models import Call, Discharge, Status
from handover.rules import LOCAL_TZ
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


def _discharges(user: User, filters: Filters) -> QuerySet[Discharge]:
    rows = Discharge.objects.visible_to(user).filter(
        discharged_at__gte=filters.start, discharged_at__lt=filters.end
    )
    if filters.hospital:
        rows = rows.filter(ward__hospital_id=filters.hospital)
    if filters.ward:
        rows = rows.filter(ward_id=filters.ward)
    if filters.municipality:
        rows = rows.filter(municipality_id=filters.municipality)
    return rows


def _rate(documented: int, covered: int) -> float | None:
    return round(documented / covered, 4) if covered else None


def compliance(user: User, filters: Filters) -> dict[str, Any]:
    """Documentation rate among covered discharges: treatment plan and contact phone present by
    the time of discharge (plus the grace period), seed 003's 90 % goal."""
    covered = _discharges(user, filters).filter(covered=True)
    documented = Q(documented_at__lte=F("discharged_at") + settings.HANDOVER_DOCUMENTATION_GRACE)
    counts = {"covered": Count("id"), "documented": Count("id", filter=documented)}
    total = covered.aggregate(**counts)
    by_ward = [
        {
            "ward": row["ward__name"],
            "ward_id": row["ward_id"],
            "covered": row["covered"],
            "documented": row["documented"],
            "rate": _rate(row["documented"], row["covered"]),
        }
        for row in covered.values("ward_id", "ward__name").annotate(**counts).order_by("ward__name")
    ]
    by_month = [
        {
            "month": row["month"].astimezone(LOCAL_TZ).strftime("%Y-%m"),
            "covered": row["covered"],
            "documented": row["documented"],
            "rate": _rate(row["documented"], row["covered"]),
        }
        for row in covered.annotate(month=TruncMonth("discharged_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    ]
    return {
        "target": settings.HANDOVER_KPI_TARGET,
        "covered": total["covered"],
        "documented": total["documented"],
        "rate": _rate(total["documented"], total["covered"]),
        "by_ward": by_ward,
        "by_month": by_month,
    }


def windows(user: User, filters: Filters) -> dict[str, Any]:
    """How windows ended: expired, extended (still open or not), readmitted, deceased."""
    covered = _discharges(user, filters).filter(covered=True)
    totals = covered.aggregate(
        expired=Count("id", filter=Q(status=Status.EXPIRED)),
        extended=Count("id", filter=Q(extensions__isnull=False), distinct=True),
        readmitted=Count("id", filter=Q(end_reason="readmitted")),
        deceased=Count("id", filter=Q(end_reason="deceased")),
    )
    readmissions = [
        {"ward": row["ward__name"], "readmitted": row["readmitted"]}
        for row in covered.filter(end_reason="readmitted")
        .values("ward__name")
        .annotate(readmitted=Count("id"))
        .order_by("-readmitted")
    ]
    return {**totals, "readmissions_by_ward": readmissions}


def _counts(rows: QuerySet[Any], field: str) -> dict[str, int]:
    return {
        row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id")).order_by(field)
    }


def calls(user: User, filters: Filters) -> dict[str, Any]:
    rows = Call.objects.filter(discharge__in=_discharges(user, filters))
    return {
        "total": rows.count(),
        "by_outcome": _counts(rows, "outcome"),
        "by_caller_role": _counts(rows, "caller_role"),
        "referred_to_gp_within_window": rows.filter(
            outcome="referred_to_gp", within_window=True
        ).count(),
        "by_week": [
            {"week": row["week"].astimezone(LOCAL_TZ).strftime("%G-W%V"), "calls": row["n"]}
            for row in rows.annotate(week=TruncWeek("received_at", tzinfo=LOCAL_TZ))
            .values("week")
            .annotate(n=Count("id"))
            .order_by("week")
        ],
    }


def incidents(user: User, filters: Filters, now: datetime) -> dict[str, Any]:
    rows = Incident.objects.handled_by(user).filter(
        created_at__gte=filters.start, created_at__lt=filters.end
    )
    if filters.hospital:
        rows = rows.filter(hospital_id=filters.hospital)
    if filters.municipality:
        rows = rows.filter(municipality_id=filters.municipality)
    total = rows.count()
    open_rows = rows.filter(status__in=[IncidentStatus.RECEIVED, IncidentStatus.IN_REVIEW])
    ages = open_rows.aggregate(
        under_7_days=Count("id", filter=Q(created_at__gt=now - timedelta(days=7))),
        from_7_to_30_days=Count(
            "id",
            filter=Q(
                created_at__lte=now - timedelta(days=7), created_at__gt=now - timedelta(days=30)
            ),
        ),
        over_30_days=Count("id", filter=Q(created_at__lte=now - timedelta(days=30))),
    )
    cross = rows.filter(cross_sector=True).count()
    return {
        "total": total,
        "by_category": _counts(rows, "category"),
        "by_severity": _counts(rows.exclude(severity=""), "severity"),
        "by_status": _counts(rows, "status"),
        "by_month": [
            {"month": row["month"].astimezone(LOCAL_TZ).strftime("%Y-%m"), "incidents": row["n"]}
            for row in rows.annotate(month=TruncMonth("created_at", tzinfo=LOCAL_TZ))
            .values("month")
            .annotate(n=Count("id"))
            .order_by("month")
        ],
        "open_by_age": ages,
        "cross_sector_share": round(cross / total, 4) if total else None,
    }
