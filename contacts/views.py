from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from config.types import AuthedRequest
from contacts.models import ContactPerson, Hospital, Municipality, Ward


@login_required
def ward_list(request: AuthedRequest) -> HttpResponse:
    """The phone list: every active ward with the number to call now highlighted."""
    at = timezone.now()
    query = request.GET.get("q", "").strip()
    wards = Ward.objects.active().with_directory(at)
    if query:
        wards = wards.filter(Q(name__icontains=query) | Q(hospital__name__icontains=query))
    rows = [(ward, ward.phone_at(at)) for ward in wards]
    template = "contacts/ward_list.html#ward-rows" if request.htmx else "contacts/ward_list.html"
    return render(request, template, {"rows": rows, "query": query, "at": at})


@login_required
def ward_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    at = timezone.now()
    ward = get_object_or_404(Ward.objects.with_directory(at), pk=pk)
    context = {
        "ward": ward,
        "phone": ward.phone_at(at),
        "contact_persons": ContactPerson.objects.filter(Q(ward=ward) | Q(hospital=ward.hospital)),
        "upcoming_overrides": ward.phone_overrides.filter(ends_at__gt=at),
    }
    return render(request, "contacts/ward_detail.html", context)


@login_required
def municipality_list(request: AuthedRequest) -> HttpResponse:
    municipalities = Municipality.objects.select_related("region").prefetch_related(
        "contact_persons"
    )
    return render(request, "contacts/municipality_list.html", {"municipalities": municipalities})


@login_required
def pocket_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """The staff pocket card (lommekort) for one hospital: central number and every ward."""
    at = timezone.now()
    hospital = get_object_or_404(Hospital.objects.select_related("region"), pk=pk)
    wards = Ward.objects.active().filter(hospital=hospital).with_directory(at)
    return render(request, "contacts/pocket_card.html", {"hospital": hospital, "wards": wards})
