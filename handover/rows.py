"""The rows of the ward worklist and the municipal board, formatted once in Python.

Both pages list a few hundred open windows. Formatting each row's date, hours, link and phone in
the template costs more than loading the rows, so it is done here, and the templates only place
the strings.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.rules import PhoneChoice, format_phone
from handover import rules
from handover.models import Discharge
from handover.serializers import documentation_missing


@dataclass(frozen=True)
class WindowRow:
    discharge: Discharge
    url: str
    ends: str  # local time, "23-11-2026 14:00"
    hours: int
    alerts: list[str]
    missing: list[str] = field(default_factory=list)
    phone: PhoneChoice | None = None
    phone_display: str = ""


def url_for_each(name: str) -> Callable[[int], str]:
    """``reverse`` once for a list's hundreds of rows; each row's id goes into the reversed URL."""
    placeholder = "987654321987654321"
    prefix, suffix = reverse(name, args=[placeholder]).split(placeholder)
    return lambda pk: f"{prefix}{pk}{suffix}"


def local_minute(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") if moment else ""


def _alerts(discharge: Discharge) -> list[str]:
    return [alert.get_kind_display() for alert in getattr(discharge, "open_alerts", ())]


def worklist_rows(discharges: Iterable[Discharge], at: datetime) -> list[WindowRow]:
    """Rows with their missing documentation named; ``open_alerts`` prefetched."""
    labels = {
        "treatment_plan": _("plan"),
        "contact_phone": _("telefon"),
        "patient_informed": _("information"),
        "destination": _("udskrivningssted"),
    }
    detail = url_for_each("handover:discharge_detail")
    return [
        WindowRow(
            discharge=d,
            url=detail(d.pk),
            ends=local_minute(d.responsibility_ends_at),
            hours=round(rules.hours_remaining(d.responsibility_ends_at, at)),
            alerts=_alerts(d),
            missing=[labels[item] for item in documentation_missing(d)],
        )
        for d in discharges
    ]


def board_rows(discharges: Iterable[Discharge], at: datetime) -> list[WindowRow]:
    """Rows with the number to call now; ``open_alerts`` and the wards' ``current_overrides``
    prefetched."""
    call_new = url_for_each("handover:call_new")
    rows = []
    for d in discharges:
        phone = d.ward.phone_at(at)
        rows.append(
            WindowRow(
                discharge=d,
                url=call_new(d.pk),
                ends=local_minute(d.responsibility_ends_at),
                hours=round(rules.hours_remaining(d.responsibility_ends_at, at)),
                alerts=_alerts(d),
                phone=phone,
                phone_display=format_phone(phone.phone),
            )
        )
    return rows
