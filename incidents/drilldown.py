"""The rows behind a dashboard figure: the discharges, calls or reports one bar counts.

Each list applies the scope, filters and condition of the count it explains (``stats.scope``,
``summaries.counted``), so a bar of 12 opens a list of 12 rows.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from handover.models import Call, CallOutcome, Discharge
from incidents import stats, summaries
from incidents.models import Category

LIMIT = 200
WINDOW_ENDS = ("expired", "extended", "readmitted", "deceased")
MONTH = re.compile(r"^(2\d{3})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Drill:
    chart: str  # kpi (key: a month or empty), windows, calls (an outcome), incidents (a category)
    key: str

    @property
    def kind(self) -> str:
        return {"kpi": "discharges", "windows": "discharges"}.get(self.chart, self.chart)


def parse(chart: str, key: str) -> Drill:
    """The chart and bar asked for; ``ValueError`` with a message for anything else."""
    allowed: dict[str, Any] = {
        "kpi": lambda k: k == "" or MONTH.match(k),
        "windows": lambda k: k in WINDOW_ENDS,
        "calls": lambda k: k in CallOutcome.values,
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
    if drill.chart == "kpi" and drill.key:
        first = summaries.month_start_of(drill.key)
        start, end = summaries.local_range(first, summaries.next_month(first) - summaries.DAY)
        rows = rows.filter(discharged_at__gte=start, discharged_at__lt=end)
    if drill.chart == "windows":
        rows = rows.filter(summaries.counted(drill.key))
    documented = ExpressionWrapper(summaries.counted("documented"), output_field=BooleanField())
    return (
        rows.with_related()
        .annotate(documented_in_time=documented)
        .order_by("-discharged_at", "-id")
    )


def calls(user: User, filters: stats.Filters, drill: Drill) -> QuerySet[Call]:
    return (
        Call.objects.visible_to(user)
        .filter(
            stats.scope(user, filters, "discharge__"),
            received_at__gte=filters.start,
            received_at__lt=filters.end,
            outcome=drill.key,
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
