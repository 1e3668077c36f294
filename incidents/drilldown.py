"""The rows behind a dashboard figure: the discharges, calls or reports one bar counts.

Each list applies the scope, filters and condition of the count it explains (``stats.scope``,
``summaries.counted``), so a bar of 12 opens a list of 12 rows.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from api.query import MAX_ID
from handover.models import Call, CallOutcome, Discharge
from handover.models.calls import RED_FLAG_OUTCOMES
from incidents import stats, summaries
from incidents.models import Category

LIMIT = 200
# The endings, and the extensions made on the way (a figure beside them, not an ending).
WINDOW_FIGURES = (*stats.ENDINGS, "extended")
# ASCII digits and nothing after them: `\d` matches any script's digits and `$` a trailing
# newline, neither of which date.fromisoformat reads.
MONTH = re.compile(r"(2[0-9]{3})-(0[1-9]|1[0-2])")


# A sundhedsklynge's code, or NO_CLUSTER for the municipalities without one.
CLUSTER = re.compile(r"[a-z0-9-]{1,40}")
NO_CLUSTER = "-"
# The KPI's figures (seed 003): its discharges by month (or all), ward or cluster, and the
# windows of other lengths counted apart.
KPI_CHARTS = ("kpi", "kpi_ward", "kpi_cluster", "kpi_other")


@dataclass(frozen=True)
class Drill:
    # kpi and kpi_other (key: a month or empty), kpi_ward (a ward id), kpi_cluster (a cluster's
    # code), windows (an ending or "extended"), calls (an outcome), red_flags (key empty: the
    # red-flag calls while the hospital held the responsibility), incidents (a category)
    chart: str
    key: str

    @property
    def kind(self) -> str:
        if self.chart in (*KPI_CHARTS, "windows"):
            return "discharges"
        return "calls" if self.chart == "red_flags" else self.chart


def parse(chart: str, key: str) -> Drill:
    """The chart and bar asked for; ``ValueError`` with a message for anything else."""
    allowed: dict[str, Any] = {
        "kpi": lambda k: k == "" or MONTH.fullmatch(k),
        "kpi_other": lambda k: k == "" or MONTH.fullmatch(k),
        "kpi_ward": lambda k: k.isascii() and k.isdigit() and 0 < int(k) <= MAX_ID,
        "kpi_cluster": lambda k: CLUSTER.fullmatch(k),
        "windows": lambda k: k in WINDOW_FIGURES,
        "calls": lambda k: k in CallOutcome.values,
        "red_flags": lambda k: k == "",
        "incidents": lambda k: k in Category.values,
    }
    if chart not in allowed:
        raise ValueError(_("Ukendt figur."))
    if not allowed[chart](key):
        raise ValueError(_("Ukendt søjle i figuren."))
    return Drill(chart, key)


def discharges(user: User, filters: stats.Filters, drill: Drill) -> QuerySet[Discharge]:
    rows = Discharge.objects.visible_to(user).filter(
        stats.scope(user, filters),
        covered=True,
        discharged_at__gte=filters.start,
        discharged_at__lt=filters.end,
    )
    if drill.chart in ("kpi", "kpi_other") and drill.key:
        first = summaries.month_start_of(drill.key)
        start, end = summaries.local_range(first, summaries.next_month(first) - summaries.DAY)
        rows = rows.filter(discharged_at__gte=start, discharged_at__lt=end)
    if drill.chart == "kpi_ward":
        rows = rows.filter(ward_id=int(drill.key))
    if drill.chart == "kpi_cluster":
        rows = rows.filter(
            Q(municipality__health_cluster__isnull=True)
            if drill.key == NO_CLUSTER
            else Q(municipality__health_cluster=drill.key)
        )
    if drill.chart in KPI_CHARTS:
        population = "other_windows" if drill.chart == "kpi_other" else "kpi_discharges"
        rows = rows.filter(summaries.counted(population))
    if drill.chart == "windows":
        rows = rows.filter(summaries.counted(drill.key))

    def in_time(field: str) -> ExpressionWrapper:
        return ExpressionWrapper(summaries.in_time(field), output_field=BooleanField())

    return (
        rows.with_related()
        .annotate(
            epikrise_in_time=in_time("epikrise_confirmed_at"),
            discharge_report_in_time=in_time("discharge_report_confirmed_at"),
        )
        .order_by("-discharged_at", "-id")
    )


def calls(user: User, filters: stats.Filters, drill: Drill) -> QuerySet[Call]:
    which = (
        Q(outcome__in=RED_FLAG_OUTCOMES, within_window=True)
        if drill.chart == "red_flags"
        else Q(outcome=drill.key)
    )
    return (
        Call.objects.visible_to(user)
        .filter(
            which,
            stats.scope(user, filters, "discharge__"),
            received_at__gte=filters.start,
            received_at__lt=filters.end,
        )
        .select_related("discharge__patient", "discharge__ward")
        .order_by("-received_at", "-id")
    )


def rows(user: User, filters: stats.Filters, drill: Drill) -> QuerySet[Any]:
    if drill.kind == "discharges":
        return discharges(user, filters, drill)
    if drill.kind == "calls":
        return calls(user, filters, drill)
    return (
        stats.incident_rows(user, filters).filter(category=drill.key).order_by("-created_at", "-id")
    )
