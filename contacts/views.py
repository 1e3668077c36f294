from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from contacts.models import ContactPerson, Hospital, Municipality, Ward


class HtmxRequest(HttpRequest):
    """A request through django-htmx's middleware (its documented typing)."""

    htmx: HtmxDetails


class PhoneListSearch(forms.Form):
    q = forms.CharField(required=False, max_length=100)


@login_required
def ward_list(request: HtmxRequest) -> HttpResponse:
    """The phone list: every active ward with the number to call now highlighted, the wards of
    the user's own region first."""
    at = timezone.now()
    search = PhoneListSearch(request.GET)
    if not search.is_valid():  # NUL (PostgreSQL cannot search for it), or far too long
        return render(request, "400.html", {"errors": search.errors}, status=400)
    query = search.cleaned_data["q"]
    wards = Ward.objects.active().with_directory(at)
    # Her own region's wards first: a municipal nurse calls the hospitals her citizens are
    # discharged from, and those of other regions come after them. (``region_id_in_scope`` is
    # the signed-in user's, from ``accounts``, which this part may not import.)
    region_id = getattr(request.user, "region_id_in_scope", None)
    if region_id is not None:
        own_first = Case(When(hospital__region_id=region_id, then=0), default=1)
        wards = wards.order_by(own_first, "hospital__name", "name")
    if query:
        wards = wards.filter(Q(name__icontains=query) | Q(hospital__name__icontains=query))
    rows = [(ward, ward.phone_at(at)) for ward in wards]
    template = "contacts/ward_list.html#ward-rows" if request.htmx else "contacts/ward_list.html"
    context = {
        "rows": rows,
        "query": query,
        "at": at,
        # A municipal nurse's own pocket card is a click from the phone list.
        "own_municipality": getattr(request.user, "municipality", None),
    }
    return render(request, template, context)


@login_required
def ward_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def municipality_list(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.select_related("region").prefetch_related(
        "contact_persons"
    )
    return render(request, "contacts/municipality_list.html", {"municipalities": municipalities})


@login_required
def pocket_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff pocket card (lommekort) for one hospital: central number and every ward."""
    at = timezone.now()
    hospital = get_object_or_404(Hospital.objects.select_related("region"), pk=pk)
    wards = Ward.objects.active().filter(hospital=hospital).with_directory(at)
    return render(request, "contacts/pocket_card.html", {"hospital": hospital, "wards": wards})


@login_required
def municipal_pocket_card(request: HttpRequest, pk: str) -> HttpResponse:
    """The pocket card for a municipality's staff, beside the hospital's (seed 000, the Aalborg
    model): whom to call while the hospital holds the responsibility (the ward, found by the
    look-up; the central numbers of the region's hospitals), after it (the GP; Akuttelefonen
    1813 in Region Hovedstaden), and 112; and the municipality's own contact persons."""
    municipality = get_object_or_404(Municipality.objects.select_related("region"), pk=pk)
    context = {
        "municipality": municipality,
        "hospitals": Hospital.objects.filter(region=municipality.region).order_by("name"),
        "contact_persons": municipality.contact_persons.all(),
    }
    return render(request, "contacts/municipal_pocket_card.html", context)
