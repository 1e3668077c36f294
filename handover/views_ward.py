"""Ward staff's pages: the worklist, the discharge report, the discharge page, the patient card."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessAction, Role
from accounts.services import log_access
from config.types import AuthedRequest
from contacts import directory
from contacts.models import PhoneOverride, WardKind
from contacts.rules import format_phone
from handover import rules, services
from handover.forms import DischargeForm, DocumentForm, EndForm, ExtendForm, default_times
from handover.models import Discharge, Status
from handover.models.discharges import OPEN_STATUSES
from handover.rows import not_covered_rows, open_alerts_shown, worklist_rows
from handover.rows_html import not_covered_html, worklist_html
from handover.serializers import documentation_missing

WARD_PAGE_ROLES = {Role.WARD_NURSE, Role.WARD_DOCTOR, Role.COORDINATOR}

View = Callable[..., HttpResponse]


def ward_staff_required(view: View) -> View:
    """Ward pages are for ward staff and coordinators; other roles get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role not in WARD_PAGE_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@ward_staff_required
def worklist(request: AuthedRequest) -> HttpResponse:
    """Open windows of the hospital, own ward first, soonest end first; recent not covered."""
    user = request.user
    now = timezone.now()
    status = request.GET.get("status", "")
    ward = request.GET.get("ward", "")
    statuses = (status,) if status in OPEN_STATUSES else tuple(OPEN_STATUSES)
    ward_id = int(ward) if ward.isdigit() else None
    rows = worklist_rows(user, now, statuses=statuses, ward_id=ward_id)
    if ward_id is None and len(statuses) == len(OPEN_STATUSES):
        request.open_alert_count = open_alerts_shown(rows, now)
    log_access(user=user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {
        "rows_html": worklist_html(rows),
        "not_covered_html": not_covered_html(not_covered_rows(user, now)),
        "wards": directory.wards_of(user.hospital_id_in_scope),
        "status": status,
        "ward_filter": ward,
        "statuses": [(s, Status(s).label) for s in OPEN_STATUSES],
    }
    return render(request, "handover/worklist.jinja", context, using="jinja2")


@ward_staff_required
def discharge_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_ward_staff:
        raise PermissionDenied
    form = DischargeForm(
        request.POST or None,
        hospital_id=user.hospital_id_in_scope,
        initial={"ward": user.ward_id, **default_times()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            discharge = services.record_discharge(
                by=user,
                patient_cpr=data["cpr"],
                patient_name=data["name"],
                ward=data["ward"],
                municipality=data["municipality"],
                admitted_at=data["admitted_at"],
                discharged_at=data["discharged_at"],
                destination=data["destination"],
                finished=data["finished"],
                treatment_plan=data["treatment_plan"],
                contact_phone=str(data["contact_phone"]) if data["contact_phone"] else None,
                patient_informed=data["patient_informed"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Udskrivelsen er registreret."))
            return redirect("handover:discharge_detail", pk=discharge.pk)
    return render(request, "handover/ward/discharge_form.html", {"form": form})


@ward_staff_required
@require_POST
def coverage_preview(request: AuthedRequest) -> HttpResponse:
    """Live coverage feedback while the nurse fills in the form. Creates nothing."""
    form = DischargeForm(request.POST, hospital_id=request.user.hospital_id_in_scope)
    form.is_valid()
    data = form.cleaned_data
    context: dict[str, Any] = {"ready": False}
    needed = ("cpr", "ward", "admitted_at", "discharged_at", "destination")
    if all(data.get(name) for name in needed):
        ward = data["ward"]
        discharged_at = data["discharged_at"]
        rule = services.rule_for(ward, discharged_at)
        coverage = rules.decide_coverage(
            rule=rule,
            admitted_at=data["admitted_at"],
            discharged_at=discharged_at,
            destination=data["destination"],
            psychiatric_ward=ward.kind == WardKind.PSYCHIATRIC,
            birth_date=rules.parse_cpr(data["cpr"]).birth_date,
            finished=data.get("finished", False),
        )
        context = {"ready": True, "coverage": coverage, "rule": rule}
        if coverage.window_hours:
            context["ends_at"] = rules.window_end(discharged_at, coverage.window_hours, [])
    return render(request, "handover/ward/discharge_form.html#coverage", context)


def scoped_discharge(request: AuthedRequest, pk: int) -> Discharge:
    return get_object_or_404(Discharge.objects.visible_to(request.user).with_related(), pk=pk)


@ward_staff_required
def discharge_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    discharge = get_object_or_404(
        Discharge.objects.visible_to(request.user)
        .with_related()
        .prefetch_related(
            "extensions",
            "alerts",
            "calls",
            Prefetch(
                "ward__phone_overrides",
                queryset=PhoneOverride.objects.filter(starts_at__lte=now, ends_at__gt=now),
                to_attr="current_overrides",
            ),
        ),
        pk=pk,
    )
    log_access(
        user=request.user,
        action=AccessAction.VIEW_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    context = {
        "discharge": discharge,
        "phone_now": discharge.ward.phone_at(now),
        "missing": documentation_missing(discharge),
        "timeline": timeline(discharge),
        "hours_left": rules.hours_remaining(discharge.responsibility_ends_at, now),
        "sentence": rules.epr_sentence(
            discharge.responsibility_ends_at, format_phone(str(discharge.contact_phone))
        )
        if discharge.responsibility_ends_at
        else "",
        "document_form": DocumentForm(
            initial={
                "treatment_plan": discharge.treatment_plan,
                "contact_phone": discharge.contact_phone,
                "patient_informed": discharge.patient_informed,
                "destination": discharge.destination,
            }
        ),
        "extend_form": ExtendForm(),
        "end_form": EndForm(),
        "can_act": request.user.is_ward_staff,
    }
    return render(request, "handover/ward/discharge_detail.html", context)


def timeline(discharge: Discharge) -> list[tuple[Any, str]]:
    """What happened to the discharge, in order: (moment, text)."""
    events: list[tuple[Any, str]] = [(discharge.discharged_at, _("Udskrevet"))]
    if discharge.documented_at:
        events.append((discharge.documented_at, _("Behandlingsplan og telefon dokumenteret")))
    for extension in discharge.extensions.all():
        events.append(
            (
                extension.created_at,
                _("Forlænget %(hours)d timer: %(reason)s")
                % {"hours": extension.hours, "reason": extension.reason},
            )
        )
    for call in discharge.calls.all():
        events.append(
            (call.received_at, _("Opkald: %(outcome)s") % {"outcome": call.get_outcome_display()})
        )
    for alert in discharge.alerts.all():
        events.append(
            (alert.created_at, _("Advarsel: %(kind)s") % {"kind": alert.get_kind_display()})
        )
    if discharge.ended_at:
        events.append(
            (
                discharge.ended_at,
                _("Afsluttet: %(reason)s") % {"reason": discharge.get_end_reason_display()},
            )
        )
    return sorted(events, key=lambda event: event[0])


def act(
    request: AuthedRequest, pk: int, form: Any, action: Callable[..., Discharge], done: str
) -> HttpResponse:
    """Run a service from a POSTed form on a discharge in scope, then back to its page."""
    if not request.user.is_ward_staff:
        raise PermissionDenied
    discharge = scoped_discharge(request, pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("handover:discharge_detail", pk=pk)
    try:
        action(discharge=discharge, by=request.user, request=request, **form.cleaned_data)
    except ValidationError as error:
        for errors in error.message_dict.values():
            for message in errors:
                messages.error(request, message)
    except services.Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("handover:discharge_detail", pk=pk)


@ward_staff_required
@require_POST
def discharge_document(request: AuthedRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST)
    if form.is_valid():
        form.cleaned_data["contact_phone"] = str(form.cleaned_data["contact_phone"] or "")
    return act(request, pk, form, services.document_discharge, _("Dokumentationen er gemt."))


@ward_staff_required
@require_POST
def discharge_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    return act(
        request,
        pk,
        ExtendForm(request.POST),
        services.extend_responsibility,
        _("Ansvaret er forlænget."),
    )


@ward_staff_required
@require_POST
def discharge_end(request: AuthedRequest, pk: int) -> HttpResponse:
    return act(
        request, pk, EndForm(request.POST), services.end_responsibility, _("Ansvaret er afsluttet.")
    )


@ward_staff_required
def patient_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """A card for the patient and relatives: whom to call, until when, and 112."""
    discharge = scoped_discharge(request, pk)
    if not discharge.covered or discharge.responsibility_ends_at is None:
        raise PermissionDenied
    log_access(
        user=request.user,
        action=AccessAction.VIEW_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    phone = str(discharge.contact_phone)
    qr = segno.make(f"tel:{phone}", error="m").svg_inline(scale=4, title=format_phone(phone))
    return render(request, "handover/ward/patient_card.html", {"discharge": discharge, "qr": qr})
