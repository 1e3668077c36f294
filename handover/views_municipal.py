"""The municipal nurse's pages: look-up, the citizen board (and its downtime list), calls;
and the access report for risk managers and administrators."""

import csv
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.models import AccessAction, AccessLog, Role, User
from accounts.services import criterion_hash, log_access
from config.types import AuthedRequest
from handover import rules, services
from handover.forms import LocalDateTimeInput
from handover.lookup import TooManyLookups, look_up, no_window_advice
from handover.models import CallerRole, CallOutcome, Discharge
from handover.rows import board_rows, open_alerts_shown
from handover.rows_html import board_html

CALL_LOGGING_ROLES = {Role.MUNICIPAL_NURSE, Role.WARD_NURSE, Role.WARD_DOCTOR}


class LookupForm(forms.Form):
    cpr = forms.CharField(
        label=gettext_lazy("CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_cpr(self) -> str:
        try:
            return rules.parse_cpr(self.cleaned_data["cpr"]).number
        except rules.InvalidCPR as error:
            raise forms.ValidationError(str(error)) from error


class CallForm(forms.Form):
    received_at = forms.DateTimeField(label=gettext_lazy("Tidspunkt"), widget=LocalDateTimeInput())
    caller_role = forms.ChoiceField(label=gettext_lazy("Opkalder"), choices=CallerRole.choices)
    caller_name = forms.CharField(label=gettext_lazy("Navn"), max_length=200, required=False)
    caller_organisation = forms.CharField(
        label=gettext_lazy("Organisation"), max_length=200, required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Årsag"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Udfald"), choices=CallOutcome.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def municipal_nurse_only(request: AuthedRequest) -> None:
    if request.user.role != Role.MUNICIPAL_NURSE:
        raise PermissionDenied


@login_required
@never_cache
def lookup(request: AuthedRequest) -> HttpResponse:
    """One CPR field, answered by POST: the CPR never travels in a URL."""
    municipal_nurse_only(request)
    form = LookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        try:
            answer = look_up(
                user=request.user, cpr=form.cleaned_data["cpr"], at=at, request=request
            )
        except TooManyLookups:
            context["throttled"] = True
            return render(request, "handover/municipal/lookup.html", context, status=429)
        context.update(answer=answer, advice=no_window_advice(request.user), at=at)
        context["form"] = LookupForm()  # the next look-up starts empty
    return render(request, "handover/municipal/lookup.html", context)


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    municipal_nurse_only(request)
    at = timezone.now()
    rows = board_rows(request.user, at)
    request.open_alert_count = open_alerts_shown(rows, at)
    log_access(user=request.user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {"rows_html": board_html(rows), "at": at}
    if request.htmx:
        return render(request, "handover/municipal/board.html#board-rows", context)
    return render(request, "handover/municipal/board.html", context)


@login_required
def board_print(request: AuthedRequest) -> HttpResponse:
    """The downtime list on paper, with full CPR numbers so that it identifies citizens."""
    municipal_nurse_only(request)
    at = timezone.now()
    rows = board_rows(request.user, at)
    log_access(user=request.user, action=AccessAction.EXPORT, request=request)
    return render(request, "handover/municipal/board_print.html", {"rows": rows, "at": at})


@login_required
def board_csv(request: AuthedRequest) -> HttpResponse:
    """The downtime list as CSV (for the day the system or the network is down)."""
    municipal_nurse_only(request)
    at = timezone.now()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="behandlingsansvar.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("CPR"),
            _("Navn"),
            _("Afdeling"),
            _("Hospital"),
            _("Ansvar til"),
            _("Dagtelefon"),
            _("Vagttelefon"),
            _("Behandlingsplan"),
        ]
    )
    for row in board_rows(request.user, at):
        writer.writerow(
            [
                row["cpr_display"],
                row["name"],
                row["ward"],
                row["hospital"],
                row["ends"],
                row["day_phone"],
                row["on_call_phone"],
                row["treatment_plan"],
            ]
        )
    log_access(user=request.user, action=AccessAction.EXPORT, request=request)
    return response


@login_required
def call_new(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.user.role not in CALL_LOGGING_ROLES:
        raise PermissionDenied
    discharge = get_object_or_404(Discharge.objects.visible_to(request.user).with_related(), pk=pk)
    form = CallForm(
        request.POST or None,
        initial={
            "received_at": timezone.localtime().replace(second=0, microsecond=0),
            "caller_role": CallerRole.MUNICIPAL_NURSE
            if request.user.is_municipal_nurse
            else CallerRole.OTHER,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.log_call(
                discharge=discharge, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(
                request, "handover/municipal/call_done.html", {"call": call, "discharge": discharge}
            )
    return render(
        request, "handover/municipal/call_form.html", {"form": form, "discharge": discharge}
    )


class AccessReportForm(forms.Form):
    cpr = forms.CharField(label=gettext_lazy("CPR-nummer"), max_length=11, required=False)
    username = forms.CharField(label=gettext_lazy("Brugernavn"), max_length=150, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_cpr(self) -> str:
        text = self.cleaned_data["cpr"]
        if not text:
            return ""
        try:
            return rules.parse_cpr(text).number
        except rules.InvalidCPR as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("cpr") and not data.get("username"):
            raise forms.ValidationError(_("Søg på et CPR-nummer eller et brugernavn."))
        return data


def access_log_visible_to(user: User) -> Any:
    """Administrators see the whole log; a risk manager sees reads of patients discharged within
    her scope and the look-ups made by staff of her own region, hospital or municipality."""
    entries = AccessLog.objects.select_related("user", "patient")
    if user.is_admin_role:
        return entries
    if user.region_id is not None:
        region = user.region_id
        staff = (
            Q(user__ward__hospital__region_id=region)
            | Q(user__hospital__region_id=region)
            | Q(user__municipality__region_id=region)
            | Q(user__region_id=region)
        )
    elif user.hospital_id is not None:
        staff = Q(user__ward__hospital_id=user.hospital_id) | Q(user__hospital_id=user.hospital_id)
    else:
        staff = Q(user__municipality_id=user.municipality_id)
    patients = Discharge.objects.visible_to(user).values("patient_id")
    return entries.filter(Q(patient_id__in=patients) | staff)


def access_entries(user: User, data: dict[str, Any]) -> Any:
    entries = access_log_visible_to(user)
    if data["cpr"]:
        number = data["cpr"]
        entries = entries.filter(Q(patient__cpr=number) | Q(criterion=criterion_hash(number)))
    if data["username"]:
        entries = entries.filter(user__username=data["username"])
    zone = timezone.get_current_timezone()
    if data["date_from"]:
        entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, zone))
    if data["date_to"]:
        entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, zone))
    return entries[:1000]


@login_required
@never_cache
def access_report(request: AuthedRequest) -> HttpResponse:
    """Who looked up which citizen, and when: the citizen's right to see it (sundhedsloven § 42 a).

    Searched by POST so that the CPR number stays out of URLs; CSV with ``format=csv``.
    """
    if not (request.user.is_admin_role or request.user.is_risk_manager):
        raise PermissionDenied
    form = AccessReportForm(request.POST or None)
    entries = None
    if request.method == "POST" and form.is_valid():
        entries = list(access_entries(request.user, form.cleaned_data))
        log_access(user=request.user, action=AccessAction.ACCESS_REPORT, request=request)
        if request.POST.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="adgangslog.csv"'
            writer = csv.writer(response, delimiter=";")
            writer.writerow([_("Tidspunkt"), _("Bruger"), _("Handling"), _("Udfald"), _("Adresse")])
            for entry in entries:
                writer.writerow(
                    [
                        timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S"),
                        entry.user.username if entry.user else "",
                        entry.get_action_display(),
                        entry.get_outcome_display(),
                        entry.client_address or "",
                    ]
                )
            return response
    return render(
        request, "handover/municipal/access_report.html", {"form": form, "entries": entries}
    )
