"""Ward staff's pages: the worklist, the discharge report, the discharge page, the patient card."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import Role
from contacts.models import Ward, WardKind, unexpired_overrides
from contacts.rules import format_phone
from handover import lists, rules, services
from handover.forms import (
    DischargeForm,
    DocumentForm,
    EndForm,
    ExtendForm,
    WorklistFilter,
    default_times,
)
from handover.idempotency import answer_form_once
from handover.lookup import ACUTE_LINE_REGION
from handover.medcom.thread import thread
from handover.models import (
    AccessAction,
    ConfirmedBy,
    Discharge,
    DischargeDocument,
    EndReason,
    PhoneLine,
    Status,
)
from handover.models.discharges import OPEN_STATUSES
from handover.services import medcom_out
from handover.services.access import log_access

WARD_PAGE_ROLES = {Role.WARD_NURSE, Role.WARD_DOCTOR, Role.COORDINATOR}


def _without_page(request: HttpRequest) -> str:
    """The page's query string without its page number, ready for another ("…&")."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


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
    wards = Ward.objects.active().filter(hospital_id=user.hospital_id_in_scope or 0)
    chosen = WorklistFilter(request.GET, wards=wards)
    if not chosen.is_valid():
        return render(request, "400.html", {"errors": chosen.errors}, status=400)
    status = chosen.cleaned_data["status"]
    ward = chosen.cleaned_data["ward"]
    windows = lists.worklist(
        user,
        statuses=[status] if status else OPEN_STATUSES,
        ward_id=ward.pk if ward else None,
    )
    page = Paginator(windows, lists.PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(user=user, action=AccessAction.LIST_DISCHARGES, request=request)
    context = {
        "page": page,
        "query": _without_page(request),
        "at": now,
        "not_covered": lists.not_covered(user, now),
        "ended": lists.recently_ended(user, now, since=now - lists.ENDED_ON_WORKLIST),
        "wards": wards,
        "status": status,
        "ward_id": ward.pk if ward else None,
        "statuses": [(s, Status(s).label) for s in OPEN_STATUSES],
    }
    return render(request, "handover/ward/worklist.html", context)


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
    if request.method == "POST":
        return answer_form_once(request, lambda: record_from_form(request, form))
    return render(request, "handover/ward/discharge_form.html", {"form": form})


def record_from_form(request: AuthedRequest, form: DischargeForm) -> HttpResponse:
    """The new discharge's page, or the form again with what is wrong."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            discharge = services.record_discharge(
                by=request.user,
                patient_cpr=data["cpr"],
                patient_name=data["name"],
                ward=data["ward"],
                municipality=data["municipality"],
                admitted_at=data["admitted_at"],
                discharged_at=data["discharged_at"],
                destination=data["destination"],
                finished=data["finished"],
                treatment_plan=data["treatment_plan"],
                contact_phone=str(data["contact_phone"] or ""),
                phone_line=data["phone_line"],
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
    if data.get("ward"):
        context |= phone_preview(
            data["ward"], str(data.get("contact_phone") or ""), data.get("phone_line", "")
        )
    return render(request, "handover/ward/discharge_form.html#coverage", context)


def phone_preview(ward: Ward, contact_phone: str, phone_line: str) -> dict[str, str]:
    """The number the report documents, as the municipality and the doctors will get it."""
    try:
        phone, line = services.documented_phone(
            ward, contact_phone=contact_phone, phone_line=phone_line
        )
    except ValidationError as error:
        return {"phone_error": " ".join(m for ms in error.message_dict.values() for m in ms)}
    draft = Discharge(ward=ward, contact_phone=phone, phone_line=line)
    return {"phone": draft.papers_phone(), "phone_line": str(PhoneLine(line).label)}


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
            unexpired_overrides(now, prefix="ward__"),
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
        # An ended or expired window has no number to call and nothing to copy into the EPR.
        "phone_now": discharge.phone_at(now) if discharge.is_open else None,
        "missing": discharge.missing_documentation_labels(),
        "timeline": timeline(discharge),
        "hours_left": rules.hours_remaining(discharge.responsibility_ends_at, now),
        "sentence": rules.epr_sentence(discharge.responsibility_ends_at, discharge.papers_phone())
        if discharge.responsibility_ends_at and discharge.is_open
        else "",
        "document_form": DocumentForm(
            initial={
                "treatment_plan": discharge.treatment_plan,
                "contact_phone": discharge.contact_phone
                if discharge.phone_line == PhoneLine.DIRECT
                else "",
                "phone_line": discharge.phone_line or PhoneLine.ON_CALL,
                "patient_informed": discharge.patient_informed,
                "destination": discharge.destination,
            }
        ),
        "documents": documents(discharge),
        "grace_minutes": int(settings.HANDOVER_KPI_GRACE.total_seconds() // 60),
        "extend_form": ExtendForm(auto_id="extend_%s"),  # ids unique on the page
        "end_form": EndForm(auto_id="end_%s"),
        "can_act": request.user.is_ward_staff,
        "correspondence": thread(discharge),
        "medcom_receiver": medcom_out.receiver_of(discharge),
    }
    return render(request, "handover/ward/discharge_detail.html", context)


def documents(discharge: Discharge) -> list[dict[str, Any]]:
    """Seed 003's two papers on the discharge page: confirmed when, by whom or by which message,
    and whether in time for the KPI; a cancelled discharge is not confirmed."""
    rows = []
    for document, at, by in (
        (DischargeDocument.EPIKRISE, discharge.epikrise_confirmed_at, _("afdelingen")),
        (
            DischargeDocument.DISCHARGE_REPORT,
            discharge.discharge_report_confirmed_at,
            _("korrespondancemeddelelsen til kommunen")
            if discharge.discharge_report_confirmed_via == ConfirmedBy.CARE_COMMUNICATION
            else _("afdelingen"),
        ),
    ):
        rows.append(
            {
                "document": document.value,
                "label": document.label,
                "confirmed_at": at,
                "by": by,
                "in_time": discharge.confirmed_in_time(at),
                "can_confirm": at is None and discharge.end_reason != EndReason.CANCELLED,
            }
        )
    return rows


def timeline(discharge: Discharge) -> list[tuple[Any, str]]:
    """What happened to the discharge, in order: (moment, text)."""
    events: list[tuple[Any, str]] = [(discharge.discharged_at, _("Udskrevet"))]
    if discharge.documented_at:
        events.append((discharge.documented_at, _("Behandlingsplan og telefon dokumenteret")))
    for row in documents(discharge):
        if row["confirmed_at"]:
            events.append(
                (
                    row["confirmed_at"],
                    _("Plan med kontaktoplysninger bekræftet i %(document)s af %(by)s")
                    % {"document": row["label"], "by": row["by"]},
                )
            )
    for extension in discharge.extensions.all():
        events.append(
            (
                extension.created_at,
                ngettext(
                    "Forlænget %(hours)d time: %(reason)s",
                    "Forlænget %(hours)d timer: %(reason)s",
                    extension.hours,
                )
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
    if discharge.suspended_at:
        events.append(
            (discharge.suspended_at, _("Suspenderet: præhospitalet har overtaget efter 112-opkald"))
        )
    if discharge.ended_at:
        events.append(
            (
                discharge.ended_at,
                _("Afsluttet: %(reason)s") % {"reason": discharge.get_end_reason_display()},
            )
        )
    return sorted(events, key=lambda event: event[0])


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
    phone = str(discharge.contact_phone)  # none "by the clock": two numbers make no one QR code
    qr = (
        segno.make(f"tel:{phone}", error="m").svg_inline(scale=4, title=format_phone(phone))
        if phone
        else ""
    )
    context = {
        "discharge": discharge,
        "qr": qr,
        "acute_line": discharge.ward.hospital.region_id == ACUTE_LINE_REGION,
    }
    return render(request, "handover/ward/patient_card.html", context)
