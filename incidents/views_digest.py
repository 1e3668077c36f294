"""The weekly learning digest of a ward: a printable page for the morning meeting."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest
from accounts.models import Role, User
from incidents import charts, digest

DIGEST_ROLES = {Role.WARD_NURSE, Role.WARD_DOCTOR, Role.COORDINATOR, Role.RISK_MANAGER}


def _may_read_digests(user: User) -> None:
    if not (user.role in DIGEST_ROLES or user.is_admin_role):
        raise PermissionDenied


class DigestWeek(forms.Form):
    week = forms.CharField(required=False, max_length=8)

    def clean_week(self) -> digest.Week | None:
        text = self.cleaned_data["week"]
        if not text:
            return None
        try:
            week = digest.Week.parse(text)
        except digest.NotAWeek as error:
            raise forms.ValidationError(_("Skriv ugen som 2026-W49.")) from error
        if not 2000 <= week.year <= 2999:
            raise forms.ValidationError(_("Ugen ligger uden for 2000–2999."))
        return week


@login_required
def digest_index(request: AuthedRequest) -> HttpResponse:
    """The wards whose digest the user reads; her own ward first."""
    user = request.user
    _may_read_digests(user)
    wards = sorted(
        digest.digest_wards(user),
        key=lambda ward: (ward.pk != user.ward_id, ward.hospital.name, ward.name),
    )
    week = digest.Week.of(timezone.localdate())
    return render(request, "incidents/digest_index.html", {"wards": wards, "week": week})


@login_required
def ward_digest(request: AuthedRequest, pk: int) -> HttpResponse:
    """The lessons of the cases about the ward closed in a week (this one unless ``week``
    says otherwise), anonymised, beside the ward's documentation KPI of the weeks before."""
    user = request.user
    _may_read_digests(user)
    ward = get_object_or_404(digest.digest_wards(user), pk=pk)
    chosen = DigestWeek(request.GET)
    if not chosen.is_valid():
        return render(request, "400.html", {"errors": chosen.errors}, status=400)
    week = chosen.cleaned_data["week"] or digest.Week.of(timezone.localdate())
    trend = digest.kpi_trend(user=user, ward=ward, week=week)
    context = {
        "ward": ward,
        "week": week,
        "previous": week.shifted(-1),
        "next": week.shifted(1) if week.shifted(1).monday <= timezone.localdate() else None,
        "lessons": digest.lessons(ward, week),
        "trend": trend,
        "target_percent": round(settings.HANDOVER_KPI_TARGET * 100),
        "trend_chart": charts.bar_chart(
            [(str(row.week), row.rate) for row in trend],
            maximum=1.0,
            target=settings.HANDOVER_KPI_TARGET,
            percent=True,
        ),
    }
    return render(request, "incidents/digest.html", context)
