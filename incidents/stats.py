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
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from contacts.models import HealthCluster, Ward
from handover.models import CallOutcome
from handover.models.calls import RED_FLAG_OUTCOMES
from handover.models.discharges import risk_scope
from handover.rules import LOCAL_TZ
from incidents import kept, kpi, summaries
from incidents.models import Incident, IncidentStatus

# The discharges whose municipality belongs to no sundhedsklynge (cleared in the admin).
NO_CLUSTER = _("Uden sundhedsklynge")

# Why the incident figures take no ward filter (the API answers 400, the dashboard says so).
INCIDENTS_HAVE_NO_WARD = _(
    "Hændelser kan ikke tælles pr. afdeling: en rapport registrerer hospital og kommune, "
    "ikke afdeling. Vælg hospitalet i stedet."
)


# How a period of responsibility ends (DOMAIN.md "End"): at expiry, or early by readmission,
# death or cancellation of a wrong registration.
ENDINGS = ("expired", "readmitted", "deceased", "cancelled")
# Raised whenever the dashboard's figures change shape (2: seed 003's two documents).
FIGURES_VERSION = 2


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


# A summary row's or discharge's sundhedsklynge: that of the municipality discharged to.
CLUSTER = "municipality__health_cluster"


def cluster_counts(user: User, filters: Filters) -> list[dict[str, Any]]:
    """The discharge counts per month and sundhedsklynge of the municipality discharged to
    (``contacts.models.HealthCluster``), read through the municipality so that a change in the
    admin shows at once."""
    return summaries.discharge_rows(
        scope(user, filters), filters.date_from, filters.date_to, (CLUSTER,)
    )


def compliance(
    user: User,
    filters: Filters,
    rows: list[dict[str, Any]] | None = None,
    cluster_rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Seed 003's KPI (``incidents.kpi``: the definitions): in all, per ward, per month and per
    sundhedsklynge."""
    rows = discharge_counts(user, filters) if rows is None else rows
    cluster_rows = cluster_counts(user, filters) if cluster_rows is None else cluster_rows
    by_ward = {k: v for k, v in _sum(rows, "ward_id", kpi.COUNTS).items() if kpi.shown(v)}
    by_month = _sum(rows, "period", kpi.COUNTS)
    by_cluster = {k: v for k, v in _sum(cluster_rows, CLUSTER, kpi.COUNTS).items() if kpi.shown(v)}
    names = dict(Ward.objects.filter(pk__in=by_ward).values_list("pk", "name"))
    clusters: dict[str | None, str] = {
        None: str(NO_CLUSTER),
        **dict(HealthCluster.objects.filter(pk__in=by_cluster).values_list("pk", "name")),
    }
    return {
        "target": settings.HANDOVER_KPI_TARGET,
        "window_hours": settings.HANDOVER_KPI_WINDOW_HOURS,
        "grace_minutes": int(settings.HANDOVER_KPI_GRACE.total_seconds() // 60),
        **kpi.figures(_total(rows, kpi.COUNTS)),
        "by_ward": [
            {"ward": names[ward_id], "ward_id": ward_id, **kpi.figures(row)}
            for ward_id, row in sorted(by_ward.items(), key=lambda item: names[item[0]])
        ],
        "by_month": [
            {"month": f"{month:%Y-%m}", **kpi.figures(row)}
            for month, row in sorted(by_month.items())
            if kpi.shown(row)
        ],
        "by_cluster": [
            {"cluster": clusters[code], "cluster_code": code, **kpi.figures(row)}
            # The municipalities without a cluster last.
            for code, row in sorted(
                by_cluster.items(), key=lambda item: (item[0] is None, clusters[item[0]])
            )
        ],
    }


def windows(
    user: User, filters: Filters, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """How the periods of responsibility ended (``ENDINGS``: expired, readmitted, deceased,
    cancelled), and how many were extended on the way (still open or not): an extension
    prolongs a period, it does not end it."""
    rows = discharge_counts(user, filters) if rows is None else rows
    counts = (*ENDINGS, "extended")
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
        # DOMAIN.md: a referral to the GP or a call nobody answered, while the hospital holds
        # the responsibility, is a red flag (the calls that suggest an incident report).
        "red_flags_within_window": sum(
            row["calls"]
            for row in rows
            if row["outcome"] in RED_FLAG_OUTCOMES and row["within_window"]
        ),
        "by_week": [
            {"week": f"{week:%G-W%V}", "calls": row["calls"]}
            for week, row in sorted(_sum(rows, "period", ("calls",)).items())
        ],
    }


def incident_rows(user: User, filters: Filters) -> QuerySet[Incident]:
    """The reports the incident figures count. A report has no ward (``INCIDENTS_HAVE_NO_WARD``):
    callers refuse the ward filter before they get here."""
    if filters.ward:
        raise ValueError(str(INCIDENTS_HAVE_NO_WARD))
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
    and again. With a ward chosen the incident figures are None."""

    def count() -> dict[str, Any]:
        counted = discharge_counts(user, filters)
        return {
            "kpi": compliance(user, filters, counted, cluster_counts(user, filters)),
            "calls": calls(user, filters),
            # None: not counted for one ward (INCIDENTS_HAVE_NO_WARD); the page says why.
            "incidents": None if filters.ward else incidents(user, filters, now),
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
    # The figures' shape and the KPI's grace are in the key: a process started with another
    # version or grace (a deploy) never reads figures kept by the previous one.
    shape = (FIGURES_VERSION, settings.HANDOVER_KPI_GRACE.total_seconds())
    return kept.figures(":".join(map(str, ("dashboard", *shape, *scope, *chosen))), count)
