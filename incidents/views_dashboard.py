"""The risk manager's dashboard: seed 003's KPI, calls, incidents and how windows ended, each
figure linking to the rows behind it and exporting CSV."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError as DRFValidationError

from accounts.http import AuthedRequest
from accounts.models import User
from contacts.models import Hospital, Municipality, Ward
from handover.exports import csv_response
from handover.models import AccessAction, CallOutcome
from handover.services.access import log_access
from incidents import charts, drilldown, stats
from incidents.api import filters_from
from incidents.models import Category, SummaryRefresh


def _first(error: DRFValidationError) -> str:
    detail: Any = error.detail
    if isinstance(detail, dict):
        detail = next(iter(detail.values()))
    return str(detail[0] if isinstance(detail, list) else detail)


def _dashboard_filters(request: AuthedRequest) -> stats.Filters:
    if not (request.user.is_risk_manager or request.user.is_admin_role):
        raise PermissionDenied
    try:
        # The filter form sends its empty choices ("all hospitals") as empty parameters.
        return filters_from({key: value for key, value in request.GET.items() if value})
    except DRFValidationError as error:
        messages.error(request, _("Filteret er ugyldigt: %(error)s") % {"error": _first(error)})
        return filters_from({})


def _query(filters: stats.Filters, **extra: str) -> str:
    """The filters as URL parameters, for links between the dashboard and its rows."""
    chosen = {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        "hospital": filters.hospital,
        "ward": filters.ward,
        "municipality": filters.municipality,
        **extra,
    }
    return urlencode({name: value for name, value in chosen.items() if value})


def _rows_link(filters: stats.Filters, chart: str, key: str) -> str:
    return f"{reverse('incidents:dashboard_rows')}?{_query(filters, chart=chart, key=key)}"


@login_required
def dashboard_rows(request: AuthedRequest) -> HttpResponse:
    """The rows behind one bar or figure of the dashboard, at most ``drilldown.LIMIT``."""
    filters = _dashboard_filters(request)
    try:
        drill = drilldown.parse(request.GET.get("chart", "kpi"), request.GET.get("key", ""))
        rows = drilldown.rows(request.user, filters, drill)  # incidents: not for one ward
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('incidents:dashboard')}?{_query(filters)}")
    total = rows.count()
    if drill.kind != "incidents":
        log_access(user=request.user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {
        "drill": drill,
        "filters": filters,
        "rows": rows[: drilldown.LIMIT],
        "kpi_drill": drill.chart in drilldown.KPI_CHARTS,
        "total": total,
        "limit": drilldown.LIMIT,
        "back": f"{reverse('incidents:dashboard')}?{_query(filters)}",
    }
    return render(request, "incidents/dashboard_rows.html", context)


ENDING_LABELS = {
    "expired": gettext_lazy("Udløbet"),
    "readmitted": gettext_lazy("Genindlagt"),
    "deceased": gettext_lazy("Død"),
    "cancelled": gettext_lazy("Annulleret (fejlregistrering)"),
}


def filter_choices(user: User) -> dict[str, Any]:
    """The hospitals, wards and municipalities the filters offer: those of the caller's scope
    (a hospital's risk manager: the municipalities of its region, where its patients live)."""
    hospitals = Hospital.objects.none()
    municipalities = Municipality.objects.none()
    if user.is_admin_role:
        hospitals, municipalities = Hospital.objects.all(), Municipality.objects.all()
    elif user.region_id is not None:
        hospitals = Hospital.objects.filter(region_id=user.region_id)
        municipalities = Municipality.objects.filter(region_id=user.region_id)
    elif user.hospital is not None:
        hospitals = Hospital.objects.filter(pk=user.hospital.pk)
        municipalities = Municipality.objects.filter(region_id=user.hospital.region_id)
    elif user.municipality_id is not None:
        municipalities = Municipality.objects.filter(pk=user.municipality_id)
    return {
        "hospitals": hospitals,
        "wards": Ward.objects.filter(hospital__in=hospitals).select_related("hospital"),
        "municipalities": municipalities.order_by("name"),
    }


def _kpi_row(name: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """One line of a KPI table and its CSV: the name, then the figures of ``incidents.kpi``."""
    return (
        name,
        row["covered"],
        row["epikrise_confirmed"],
        row["epikrise_rate"],
        row["discharge_report_confirmed"],
        row["discharge_report_rate"],
        row["documented"],
        row["rate"],
        row["other_windows"],
    )


def _kpi_tables(kpi: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "kpi_month": [_kpi_row(row["month"], row) for row in kpi["by_month"]],
        "kpi_ward": [_kpi_row(row["ward"], row) for row in kpi["by_ward"]],
        "kpi_cluster": [_kpi_row(row["cluster"], row) for row in kpi["by_cluster"]],
    }


def _kpi_links(filters: stats.Filters, kpi: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "kpi_month": [_rows_link(filters, "kpi", row["month"]) for row in kpi["by_month"]],
        "kpi_ward": [
            _rows_link(filters, "kpi_ward", str(row["ward_id"])) for row in kpi["by_ward"]
        ],
        "kpi_cluster": [
            _rows_link(filters, "kpi_cluster", row["cluster_code"] or drilldown.NO_CLUSTER)
            for row in kpi["by_cluster"]
        ],
    }


def _kpi_charts(kpi: dict[str, Any], links: list[str]) -> list[tuple[str, charts.Chart]]:
    """A chart per document: its rate per month against the target line."""
    return [
        (
            label,
            charts.bar_chart(
                [(row["month"], row[f"{document}_rate"]) for row in kpi["by_month"]],
                maximum=1.0,
                target=kpi["target"],
                percent=True,
                links=links,
            ),
        )
        for document, label in (
            ("epikrise", _("Epikrise pr. måned")),
            ("discharge_report", _("Udskrivningsrapport pr. måned")),
        )
    ]


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    filters = _dashboard_filters(request)
    now = timezone.now()
    figures = stats.dashboard(request.user, filters, now)
    kpi, call_stats = figures["kpi"], figures["calls"]
    incident_stats, window_stats = figures["incidents"], figures["windows"]
    by_category = incident_stats["by_category"] if incident_stats is not None else {}
    tables: dict[str, list[Any]] = {
        **_kpi_tables(kpi),
        "calls_outcome": [(CallOutcome(k).label, v) for k, v in call_stats["by_outcome"].items()],
        "incidents_category": [(Category(k).label, v) for k, v in by_category.items()],
        "windows": [(ENDING_LABELS[key], window_stats[key]) for key in stats.ENDINGS],
    }
    export = request.GET.get("export")
    if export == "incidents_category" and incident_stats is None:
        messages.error(request, str(stats.INCIDENTS_HAVE_NO_WARD))
    elif export in tables:
        return csv_response(filename=f"{export}.csv", rows=tables[export])
    links = {
        **_kpi_links(filters, kpi),
        "calls_outcome": [_rows_link(filters, "calls", key) for key in call_stats["by_outcome"]],
        "incidents_category": [_rows_link(filters, "incidents", key) for key in by_category],
        "windows": [_rows_link(filters, "windows", key) for key in stats.ENDINGS],
    }
    context = {
        "filters": filters,
        **filter_choices(request.user),
        "kpi": kpi,
        "kpi_links": {
            "all": _rows_link(filters, "kpi", ""),
            "other": _rows_link(filters, "kpi_other", ""),
        },
        "calls": call_stats,
        "incidents": incident_stats,
        "incidents_have_no_ward": stats.INCIDENTS_HAVE_NO_WARD,
        "windows": window_stats,
        "extended_rows": _rows_link(filters, "windows", "extended"),
        "red_flag_rows": _rows_link(filters, "red_flags", ""),
        "tables": tables,
        "kpi_charts": _kpi_charts(kpi, links["kpi_month"]),
        "calls_chart": charts.bar_chart(tables["calls_outcome"], links=links["calls_outcome"]),
        "incidents_chart": charts.bar_chart(
            tables["incidents_category"], links=links["incidents_category"]
        ),
        # The tables beneath the charts, each row with the link to the rows it counts.
        "linked": {
            name: list(zip(tables[name], urls, strict=True)) for name, urls in links.items()
        },
        "query": request.GET.urlencode(),
        "refreshed": SummaryRefresh.objects.order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first(),
    }
    return render(request, "incidents/dashboard.html", context)
