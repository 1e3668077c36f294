"""Navigation by role: each user sees the pages her work needs."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from config.jinja import url as reversed_url
from handover.models import Alert, Discharge

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


# The page where a role's open alerts are shown gets the count as a badge. That page, when it
# lists every open window in the user's scope, counts them itself (``request.open_alert_count``).
ALERT_PAGES = {"handover:worklist", "handover:board"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"navigation": []}
    role = getattr(user, "role", "")
    items = []
    for name, label, roles in NAVIGATION:
        if role in roles or (user.is_superuser and roles is ALL):
            url = reversed_url(name)
            items.append(
                {"name": name, "url": url, "label": str(label), "active": request.path == url}
            )
    for item in items:
        badge = None
        if item["name"] in ALERT_PAGES:
            counted = getattr(request, "open_alert_count", None)
            badge = open_alert_count(user) if counted is None else counted
        item["badge"] = badge
    return {"navigation": items}


def open_alert_count(user: Any) -> int:
    """Unresolved alerts on the windows open now in the user's scope: one COUNT query."""
    now = timezone.now()
    return (
        Alert.objects.unresolved()
        .filter(discharge__in=Discharge.objects.visible_to(user, at=now).active_at(now))
        .count()
    )
