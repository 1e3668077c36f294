"""Navigation by role: each user sees the pages her work needs."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from handover.models import Alert
from handover.models.discharges import OPEN_STATUSES

ALL = frozenset(Role)
WARD = frozenset({Role.WARD_NURSE, Role.WARD_DOCTOR})

# (url name, label, roles that see it)
NAVIGATION = [
    ("handover:worklist", _("Udskrivelser"), WARD | {Role.COORDINATOR}),
    ("handover:discharge_new", _("Ny udskrivelse"), WARD),
    ("handover:lookup", _("Find ansvarlig afdeling"), frozenset({Role.MUNICIPAL_NURSE})),
    ("handover:board", _("Borgere med behandlingsansvar"), frozenset({Role.MUNICIPAL_NURSE})),
    ("contacts:ward_list", _("Telefonliste"), ALL),
    ("incidents:dashboard", _("Overblik"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
    ("incidents:inbox", _("Indbakke"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
    ("incidents:my_reports", _("Rapportér hændelse"), ALL - {Role.RISK_MANAGER}),
    ("handover:access_report", _("Adgangslog"), frozenset({Role.RISK_MANAGER, Role.ADMIN})),
]


# The page where a role's open alerts are shown gets the count as a badge.
ALERT_PAGES = {"handover:worklist", "handover:board"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"navigation": []}
    role = getattr(user, "role", "")
    items = [
        {
            "name": name,
            "url": reverse(name),
            "label": label,
            "active": request.path == reverse(name),
        }
        for name, label, roles in NAVIGATION
        if role in roles or (user.is_superuser and roles is ALL)
    ]
    for item in items:
        if item["name"] in ALERT_PAGES:
            item["badge"] = open_alert_count(user)
    return {"navigation": items}


def open_alert_count(user: Any) -> int:
    """Unresolved alerts on open windows in the user's scope: one COUNT query."""
    return (
        Alert.objects.visible_to(user)
        .unresolved()
        .filter(discharge__status__in=OPEN_STATUSES)
        .count()
    )
