"""The municipal nurse's pages: look-up, the citizen board (and its downtime list), calls;
the look-up (and, for 1813, the board) of GPs and the acute line; and the access report for risk
managers and administrators."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.http import AuthedRequest
from accounts.models import LOOKUP_ROLES, Role, User
from handover import lists, services
from handover.exports import csv_response
from handover.forms import CPRFormField, LocalDateTimeInput
from handover.idempotency import answer_form_once
from handover.lookup import TooManyLookups, look_up, no_window_advice
from handover.models import AccessAction, AccessLog, Call, CallerRole, CallOutcome, Discharge
from handover.services.access import criterion_hash, log_access
from handover.services.calls import SUGGESTED_CATEGORIES

CALL_LOGGING_ROLES = {Role.MUNICIPAL_NURSE, Role.WARD_NURSE, Role.WARD_DOCTOR}
# The board of open periods: the municipality's for its nurses; the region's for the acute line,
# which answers callers from the whole region and often has a name before a CPR number. A GP has
# only the look-up: the product has no list of a practice's patients.
BOARD_ROLES = {Role.MUNICIPAL_NURSE, Role.ACUTE_LINE}


class LookupForm(forms.Form):
    cpr = CPRFormField(
        label=gettext_lazy("CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PurposeLookupForm(LookupForm):
    """A GP's look-up: with the purpose of each, which the access log keeps."""

    reason = forms.CharField(
        label=gettext_lazy("Formål med opslaget"),
        max_length=200,
        help_text=gettext_lazy("Fx: borgeren har ringet om åndenød. Skriv ikke CPR-nummeret."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


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
    """One CPR field, answered by POST: the CPR never travels in a URL.

    A miss repeats the number looked up and keeps it in the field, so that a typo does not read
    like "call the GP"; a hit empties the form for the next look-up.
    """
    user = request.user
    if user.role not in LOOKUP_ROLES:
        raise PermissionDenied
    form_class = PurposeLookupForm if user.role == Role.GP else LookupForm
    form = form_class(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "board": user.role in BOARD_ROLES,
        "can_log_calls": user.role in CALL_LOGGING_ROLES,
    }
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        try:
            answer = look_up(
                user=user,
                cpr=form.cleaned_data["cpr"],
                at=at,
                request=request,
                purpose=form.cleaned_data.get("reason", ""),
            )
        except TooManyLookups:
            context["throttled"] = True
            return render(request, "handover/municipal/lookup.html", context, status=429)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return render(request, "handover/municipal/lookup.html", context)
        context.update(answer=answer, advice=no_window_advice(user), at=at)
        if answer.covered:
            context["form"] = form_class()  # the next look-up starts empty
    return render(request, "handover/municipal/lookup.html", context)


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in BOARD_ROLES:
        raise PermissionDenied
    at = timezone.now()
    page = Paginator(lists.board(request.user, at), lists.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_access(user=request.user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {
        "page": page,
        "rows": lists.with_phone_now(page, at),
        "at": at,
        "regional": request.user.role == Role.ACUTE_LINE,
        "can_log_calls": request.user.role in CALL_LOGGING_ROLES,
    }
    if request.htmx:
        return render(request, "handover/municipal/board.html#board-rows", context)
    since = at - timedelta(days=settings.MUNICIPAL_RECENT_DAYS)
    context |= {
        "ended": lists.recently_ended(request.user, at, since=since),
        "recent_days": settings.MUNICIPAL_RECENT_DAYS,
    }
    return render(request, "handover/municipal/board.html", context)


@login_required
def board_print(request: AuthedRequest) -> HttpResponse:
    """The downtime list on paper, with full CPR numbers so that it identifies citizens."""
    municipal_nurse_only(request)
    at = timezone.now()
    rows = lists.with_phone_now(lists.board(request.user, at), at)
    log_access(user=request.user, action=AccessAction.EXPORT, request=request)
    return render(request, "handover/municipal/board_print.html", {"rows": rows, "at": at})


@login_required
def board_csv(request: AuthedRequest) -> HttpResponse:
    """The downtime list as CSV (for the day the system or the network is down)."""
    municipal_nurse_only(request)
    at = timezone.now()
    rows = [
        [
            discharge.patient.cpr_display,
            discharge.patient_name,
            discharge.ward.name,
            discharge.ward.hospital.name,
            timezone.localtime(discharge.responsibility_ends_at).strftime("%d-%m-%Y %H:%M"),
            # As the product shows it: "44 88 44 88" is read as text, "+45..." as a formula.
            discharge.papers_phone(),
            discharge.treatment_plan,
        ]
        for discharge in lists.board(request.user, at)
    ]
    response = csv_response(
        filename="behandlingsansvar.csv",
        header=[
            _("CPR"),
            _("Navn"),
            _("Afdeling"),
            _("Hospital"),
            _("Ansvar til"),
            _("Telefon"),
            _("Behandlingsplan"),
        ],
        rows=rows,
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
    if request.method == "POST":
        return answer_form_once(request, lambda: log_call_from_form(request, discharge, form))
    return render(
        request, "handover/municipal/call_form.html", {"form": form, "discharge": discharge}
    )


def log_call_from_form(
    request: AuthedRequest, discharge: Discharge, form: CallForm
) -> HttpResponse:
    """The logged call's page (redirected to, so that a reload sends nothing again), or the form
    again with what is wrong."""
    if form.is_valid():
        try:
            call = services.log_call(
                discharge=discharge, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("handover:call_done", pk=call.pk)
    return render(
        request, "handover/municipal/call_form.html", {"form": form, "discharge": discharge}
    )


@login_required
def call_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """A logged call, with the incident report it suggests for a red flag."""
    if request.user.role not in CALL_LOGGING_ROLES:
        raise PermissionDenied
    call = get_object_or_404(
        Call.objects.visible_to(request.user).select_related("discharge__patient"), pk=pk
    )
    log_access(
        user=request.user,
        action=AccessAction.VIEW_DISCHARGE,
        request=request,
        obj=call,
        patient=call.discharge.patient,
    )
    suggestion = call.suggested_incident or {}
    labels = dict(SUGGESTED_CATEGORIES.values())
    context = {
        "call": call,
        "discharge": call.discharge,
        "suggested_category": labels.get(str(suggestion.get("category", "")), ""),
    }
    return render(request, "handover/municipal/call_done.html", context)


class AccessReportForm(forms.Form):
    cpr = CPRFormField(label=gettext_lazy("CPR-nummer"), max_length=11, required=False)
    username = forms.CharField(label=gettext_lazy("Brugernavn"), max_length=150, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("cpr") and not data.get("username"):
            raise forms.ValidationError(_("Søg på et CPR-nummer eller et brugernavn."))
        return data


def access_log_visible_to(user: User) -> Any:
    """Administrators see the whole log; a risk manager sees reads of patients discharged within
    her scope and the look-ups made by staff of her own region (GPs and the acute line of it
    included), hospital or municipality."""
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
        # The municipality's own staff: a practice lying in it is not (regions, not
        # municipalities, oversee general practice).
        staff = Q(user__municipality_id=user.municipality_id) & ~Q(user__role=Role.GP)
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
            return csv_response(
                filename="adgangslog.csv",
                header=[
                    _("Tidspunkt"),
                    _("Bruger"),
                    _("Handling"),
                    _("Udfald"),
                    _("Antal"),
                    _("Formål"),
                    _("Adresse"),
                ],
                rows=(
                    [
                        timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S"),
                        entry.user.username if entry.user else "",
                        entry.get_action_display(),
                        entry.get_outcome_display(),
                        str(entry.count),
                        entry.purpose,
                        entry.client_address or "",
                    ]
                    for entry in entries
                ),
            )
    return render(
        request, "handover/municipal/access_report.html", {"form": form, "entries": entries}
    )
