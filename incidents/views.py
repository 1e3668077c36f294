"""Incident reporting for all staff, and the risk manager's case handling."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest
from handover.idempotency import answer_form_once
from handover.models import Call, Discharge
from incidents import rules, services
from incidents.api import report_from
from incidents.forms import ReportForm, ReportSource, place_choices, place_from_choice
from incidents.models import (
    Category,
    Incident,
    IncidentStatus,
    Precision,
    RejectionReason,
    Severity,
)

OVERDUE_DAYS = 30


@login_required
def report_new(request: AuthedRequest) -> HttpResponse:
    """The report form, prefilled from a call's incident suggestion or from a discharge."""
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    discharge = None
    source = ReportSource(request.GET if request.method == "GET" else request.POST)
    if not source.is_valid():
        return render(request, "400.html", {"errors": source.errors}, status=400)
    if source.cleaned_data["call"] is not None:
        call = get_object_or_404(
            Call.objects.visible_to(request.user), pk=source.cleaned_data["call"]
        )
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
    elif source.cleaned_data["discharge"] is not None:
        if request.user.is_caller:
            # GPs and the acute line read a period by CPR look-up only: naming one by id here
            # would let them walk their region's periods (as ``accounts.http.api_reader``).
            raise PermissionDenied
        discharge = get_object_or_404(
            Discharge.objects.visible_to(request.user), pk=source.cleaned_data["discharge"]
        )
    if discharge is not None:
        initial["discharge"] = discharge.pk
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        places=place_choices(request.user, discharge),
    )
    if request.method == "POST":
        return answer_form_once(request, lambda: report_from_form(request, form, discharge))
    return render(request, "incidents/report_form.html", {"form": form, "discharge": discharge})


def report_from_form(
    request: AuthedRequest, form: ReportForm, discharge: Discharge | None
) -> HttpResponse:
    """The received report's page, or the form again with what is wrong."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            incident = report_from(
                {
                    **data,
                    "place_of_occurrence": place_from_choice(data["place"]),
                    "involved_organisations": [
                        {**place_from_choice(code), "role": "involveret"}
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
    assessment: dict[str, Any] = {
        "severity": post.get("severity", ""),
        "classification": post.get("classification", ""),
        "dpsd_case_number": post.get("dpsd_case_number", ""),
        "learning": learning,
    }
    try:
        if post.get("to", ""):
            services.transition(
                incident=incident,
                by=request.user,
                to=post["to"],
                rejection_reason=post.get("rejection_reason", ""),
                transferred_to=post.get("transferred_to", ""),
                **assessment,
            )
        else:  # "keep the status"
            services.update_case(incident=incident, by=request.user, **assessment)
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
