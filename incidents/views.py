"""Incident reporting for all staff; case handling and dashboards for risk managers."""

import csv
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError as DRFValidationError

from accounts.models import AccessAction
from accounts.services import log_access
from config.types import AuthedRequest
from contacts.models import Hospital, Ward
from handover.forms import LocalDateTimeInput
from handover.models import Call, CallOutcome, Discharge
from incidents import charts, drilldown, rules, services, stats
from incidents.api import filters_from, report_from
from incidents.models import (
    Category,
    Incident,
    IncidentStatus,
    Precision,
    RejectionReason,
    Severity,
    SummaryRefresh,
)

OVERDUE_DAYS = 30


def place_choices(user: Any, discharge: Discharge | None) -> list[tuple[str, str]]:
    """The places a reporter is likely to mean: her own organisation and the discharge's."""
    choices: list[tuple[str, str]] = []
    if user.ward_id:
        choices.append((f"ward:{user.ward_id}", str(user.ward)))
    if user.hospital_id:
        choices.append((f"hospital:{user.hospital_id}", str(user.hospital)))
    if user.municipality_id:
        choices.append((f"municipality:{user.municipality_id}", f"{user.municipality} Kommune"))
    if discharge is not None:
        choices.append((f"ward:{discharge.ward_id}", str(discharge.ward)))
        choices.append(
            (f"municipality:{discharge.municipality_id}", f"{discharge.municipality} Kommune")
        )
    unique = list(dict.fromkeys(choices))
    return [*unique, ("other:", _("Andet sted"))]


class ReportForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("Hvornår skete det?"), widget=LocalDateTimeInput()
    )
    occurred_at_precision = forms.ChoiceField(
        label=gettext_lazy("Tidspunktet er"), choices=Precision.choices
    )
    place = forms.ChoiceField(label=gettext_lazy("Hvor skete det?"))
    involved = forms.MultipleChoiceField(
        label=gettext_lazy("Andre involverede organisationer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=gettext_lazy("Kort titel"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Hvad skete der? (før, under og efter)"),
        max_length=10_000,
        widget=forms.Textarea,
    )
    consequences = forms.CharField(
        label=gettext_lazy("Hvilke konsekvenser fik det?"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    prevention = forms.CharField(
        label=gettext_lazy("Hvordan kunne det være undgået?"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=Category.choices)
    actual_consequence = forms.ChoiceField(
        label=gettext_lazy("Faktisk konsekvens"), choices=Severity.choices
    )
    possible_consequence = forms.ChoiceField(
        label=gettext_lazy("Mulig konsekvens"), choices=Severity.choices
    )
    attachment = forms.FileField(
        label=gettext_lazy("Vedhæft fil (PDF, PNG eller JPEG, højst 10 MB)"), required=False
    )
    discharge = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places  # type: ignore[attr-defined]
        self.fields["involved"].choices = places[:-1]  # type: ignore[attr-defined]


def _place(code: str) -> dict[str, str]:
    kind, _sep, ident = code.partition(":")
    return {"kind": kind, "id": ident or "Andet"}


@login_required
def report_new(request: AuthedRequest) -> HttpResponse:
    """The report form, prefilled from a call's incident suggestion or from a discharge."""
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    discharge = None
    source = request.GET if request.method == "GET" else request.POST
    if source.get("call", "").isdigit():
        call = get_object_or_404(Call.objects.visible_to(request.user), pk=int(source["call"]))
        suggestion = call.suggested_incident or {}
        discharge = call.discharge
        initial.update(
            title=suggestion.get("title", ""),
            description=suggestion.get("description", ""),
            category=suggestion.get("category", Category.REFERRED_ELSEWHERE),
            occurred_at=timezone.localtime(call.received_at),
            occurred_at_precision=Precision.EXACT,
            place=f"ward:{call.discharge.ward_id}",
            involved=[f"municipality:{call.discharge.municipality_id}"],
        )
    elif source.get("discharge", "").isdigit():
        discharge = get_object_or_404(
            Discharge.objects.visible_to(request.user), pk=int(source["discharge"])
        )
    if discharge is not None:
        initial["discharge"] = discharge.pk
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        places=place_choices(request.user, discharge),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = report_from(
                {
                    **data,
                    "place_of_occurrence": _place(data["place"]),
                    "involved_organisations": [
                        {**_place(code), "role": "involveret"}
                        for code in data["involved"]
                        if code != data["place"]
                    ],
                },
                request.user,
                [data["attachment"]] if data["attachment"] else [],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Tak. Rapporten er modtaget og behandles fortroligt."))
            return redirect("incidents:report_detail", pk=incident.pk)
    return render(request, "incidents/report_form.html", {"form": form, "discharge": discharge})


@login_required
def my_reports(request: AuthedRequest) -> HttpResponse:
    reports = Incident.objects.filter(reporter=request.user).order_by("-created_at")
    return render(request, "incidents/my_reports.html", {"reports": reports})


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).select_related(
            "reporter", "discharge__ward__hospital"
        ),
        pk=pk,
    )
    handler = Incident.objects.handled_by(request.user).filter(pk=pk).exists()
    discharge = incident.discharge if handler else None
    context = {
        "incident": incident,
        "handler": handler,
        "allowed": sorted(rules.TRANSITIONS[incident.status]),
        "severities": Severity.choices,
        "rejection_reasons": RejectionReason.choices,
        "calls": discharge.calls.all() if discharge else [],
        "alerts": discharge.alerts.all() if discharge else [],
    }
    return render(request, "incidents/report_detail.html", context)


@login_required
def report_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    incident = get_object_or_404(Incident.objects.handled_by(request.user), pk=pk)
    post = request.POST
    learning = []
    if post.get("learning_text"):
        learning.append(
            {
                "text": post["learning_text"],
                "owner": post.get("learning_owner", ""),
                "due_date": post.get("learning_due", ""),
            }
        )
    try:
        services.transition(
            incident=incident,
            by=request.user,
            to=post.get("to", ""),
            severity=post.get("severity", ""),
            classification=post.get("classification", ""),
            dpsd_case_number=post.get("dpsd_case_number", ""),
            rejection_reason=post.get("rejection_reason", ""),
            transferred_to=post.get("transferred_to", ""),
            learning=learning,
        )
    except ValidationError as error:
        for errors in error.message_dict.values():
            for message in errors:
                messages.error(request, message)
    except services.Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sagen er opdateret."))
    return redirect("incidents:report_detail", pk=pk)


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """Open cases, oldest first, with overdue markers."""
    if not (request.user.is_risk_manager or request.user.is_admin_role):
        raise PermissionDenied
    now = timezone.now()
    cases = (
        Incident.objects.handled_by(request.user)
        .filter(status__in=[IncidentStatus.RECEIVED, IncidentStatus.IN_REVIEW])
        .order_by("created_at")
    )
    rows = [(case, (now - case.created_at).days) for case in cases]
    return render(request, "incidents/inbox.html", {"rows": rows, "overdue_days": OVERDUE_DAYS})


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
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('incidents:dashboard')}?{_query(filters)}")
    rows = drilldown.rows(request.user, filters, drill)
    total = rows.count()
    if drill.kind != "incidents":
        log_access(user=request.user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {
        "drill": drill,
        "filters": filters,
        "rows": rows[: drilldown.LIMIT],
        "total": total,
        "limit": drilldown.LIMIT,
        "back": f"{reverse('incidents:dashboard')}?{_query(filters)}",
    }
    return render(request, "incidents/dashboard_rows.html", context)


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    filters = _dashboard_filters(request)
    now = timezone.now()
    figures = stats.dashboard(request.user, filters, now)
    kpi, call_stats = figures["kpi"], figures["calls"]
    incident_stats, window_stats = figures["incidents"], figures["windows"]
    tables: dict[str, list[Any]] = {
        "kpi_month": [
            (row["month"], row["covered"], row["documented"], row["rate"])
            for row in kpi["by_month"]
        ],
        "kpi_ward": [
            (row["ward"], row["covered"], row["documented"], row["rate"]) for row in kpi["by_ward"]
        ],
        "calls_outcome": [(CallOutcome(k).label, v) for k, v in call_stats["by_outcome"].items()],
        "incidents_category": [
            (Category(k).label, v) for k, v in incident_stats["by_category"].items()
        ],
        "windows": [
            (_("Udløbet"), window_stats["expired"]),
            (_("Forlænget"), window_stats["extended"]),
            (_("Genindlagt"), window_stats["readmitted"]),
            (_("Død"), window_stats["deceased"]),
        ],
    }
    export = request.GET.get("export")
    if export in tables:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export}.csv"'
        writer = csv.writer(response, delimiter=";")
        writer.writerows(tables[export])
        return response
    links = {
        "kpi_month": [_rows_link(filters, "kpi", row["month"]) for row in kpi["by_month"]],
        "calls_outcome": [_rows_link(filters, "calls", key) for key in call_stats["by_outcome"]],
        "incidents_category": [
            _rows_link(filters, "incidents", key) for key in incident_stats["by_category"]
        ],
        "windows": [_rows_link(filters, "windows", key) for key in drilldown.WINDOW_ENDS],
    }
    hospitals = Hospital.objects.none()
    if request.user.is_admin_role:
        hospitals = Hospital.objects.all()
    elif request.user.region_id is not None:
        hospitals = Hospital.objects.filter(region_id=request.user.region_id)
    elif request.user.hospital_id is not None:
        hospitals = Hospital.objects.filter(pk=request.user.hospital_id)
    context = {
        "filters": filters,
        "hospitals": hospitals,
        "wards": Ward.objects.filter(hospital__in=hospitals).select_related("hospital"),
        "kpi": kpi,
        "calls": call_stats,
        "incidents": incident_stats,
        "windows": window_stats,
        "tables": tables,
        "kpi_chart": charts.bar_chart(
            [(row["month"], row["rate"]) for row in kpi["by_month"]],
            maximum=1.0,
            target=kpi["target"],
            percent=True,
            links=links["kpi_month"],
        ),
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
