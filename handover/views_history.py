"""The ward's history: its ended, expired and uncovered discharges, and a search by CPR over all
of them. The CPR is sent in the form's body, never in the address."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.http import AuthedRequest
from handover import lists
from handover.forms import CPRFormField
from handover.models import AccessAction, AccessOutcome, Discharge, Status
from handover.services.access import log_access
from handover.views_ward import ward_staff_required

PAST = [Status.ENDED, Status.EXPIRED, Status.NOT_COVERED]
FOUND_SHOWN = 50


class HistoryFilter(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "")] + [(s, Status(s).label) for s in PAST], required=False
    )


class CPRSearch(forms.Form):
    cpr = CPRFormField(
        label=_("CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


@ward_staff_required
def history(request: AuthedRequest) -> HttpResponse:
    user = request.user
    chosen = HistoryFilter(request.GET)
    if not chosen.is_valid():
        return render(request, "400.html", {"errors": chosen.errors}, status=400)
    status = chosen.cleaned_data["status"]
    search = CPRSearch(request.POST or None)
    context: dict[str, object] = {
        "search": search,
        "status": status,
        "statuses": [(s, Status(s).label) for s in PAST],
    }
    if search.is_valid():
        cpr = search.cleaned_data["cpr"]
        found = list(lists.history(user, statuses=Status.values).filter(patient__cpr=cpr))
        log_access(
            user=user,
            action=AccessAction.SEARCH,
            request=request,
            model=Discharge,
            patient=found[0].patient if found else None,
            criterion=cpr,
            outcome=AccessOutcome.HIT if found else AccessOutcome.MISS,
        )
        context["found"] = found[:FOUND_SHOWN]
    else:
        rows = lists.history(user, statuses=[status] if status else PAST)
        context["page"] = Paginator(rows, lists.PAGE_SIZE).get_page(request.GET.get("page"))
        context["query"] = f"status={status}&" if status else ""
        log_access(user=user, action=AccessAction.LIST_DISCHARGES, request=request)
    return render(request, "handover/ward/history.html", context)
