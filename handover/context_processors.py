"""Navigation by role: each user sees the pages her work needs."""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LOOKUP_ROLES, Role
from handover.models import Alert, Discharge

ALL = frozenset(Role)
WARD = frozenset({Role.WARD_NURSE, Role.WARD_DOCTOR})

# (url name, label, roles that see it)
NAVIGATION = [
    ("handover:worklist", _("Udskrivelser"), WARD | {Role.COORDINATOR}),
    ("handover:discharge_new", _("Ny udskrivelse"), WARD),
    ("handover:history", _("Historik"), WARD | {Role.COORDINATOR}),
    ("handover:lookup", _("Find ansvarlig afdeling"), LOOKUP_ROLES),
    (
        "handover:board",
        _("Borgere med behandlingsansvar"),
        frozenset({Role.MUNICIPAL_NURSE, Role.ACUTE_LINE}),
    ),
    ("contacts:ward_list", _("Telefonliste"), ALL),
    ("incidents:dashboard", _("Overblik"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
    ("incidents:inbox", _("Indbakke"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
    (
        "incidents:digest_index",
        _("Læring pr. uge"),
        WARD | {Role.COORDINATOR, Role.RISK_MANAGER, Role.ADMIN},
    ),
    ("incidents:my_reports", _("Rapportér hændelse"), ALL - {Role.RISK_MANAGER}),
    ("handover:access_report", _("Adgangslog"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
]


# The page where a role's open alerts are shown gets their count as a badge.
ALERT_PAGES = {"handover:worklist", "handover:board"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"navigation": []}
    role = getattr(user, "role", "")
    items = []
    for name, label, roles in NAVIGATION:
        if role in roles or (user.is_superuser and roles is ALL):
            url = reverse(name)
            items.append(
                {"name": name, "url": url, "label": str(label), "active": request.path == url}
            )
    for item in items:
        badge = None
        if item["name"] in ALERT_PAGES:
            badge = open_alert_count(user)
        item["badge"] = badge
    return {"navigation": items}


BADGE_SECONDS = 60


def open_alert_count(user: Any) -> int:
    """Unresolved alerts on the windows open now in the user's scope, counted at most once a
    minute per user (the cache framework): every page shows the badge, the pages it points to
    show the alerts themselves."""

    def count() -> int:
        now = timezone.now()
        return (
            Alert.objects.unresolved()
            .filter(discharge__in=Discharge.objects.visible_to(user, at=now).active_at(now))
            .count()
        )

    return int(cache.get_or_set(f"open-alerts:{user.pk}", count, BADGE_SECONDS) or 0)
