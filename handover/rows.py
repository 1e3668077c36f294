"""The rows of the ward worklist and the municipal board, read and formatted in Python.

Both pages list a few hundred open windows. Model instances and the Django template engine's
lookups through them cost more per row than the query, so the rows are read as values, formatted
here once, and rendered by a Jinja2 template (``jinja_templates/handover/``) that the page
includes. The rows' words are translated here, where makemessages finds them.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from contacts.models import PhoneOverride, Ward
from contacts.rules import PhoneChoice, format_phone
from handover import rules
from handover.models import Alert, AlertKind, Discharge, Status
from handover.models.discharges import NotCoveredReason, display_cpr, mask_cpr

Row = dict[str, Any]
FIELDS = (
    "id",
    "patient__name",
    "patient__cpr",
    "ward_id",
    "ward__name",
    "municipality__name",
    "responsibility_ends_at",
    "status",
    "treatment_plan",
    "patient_informed",
    "destination",
)


def url_for_each(name: str) -> Callable[[int], str]:
    """``reverse`` once for a list's hundreds of rows; each row's id goes into the reversed URL."""
    placeholder = "987654321987654321"
    prefix, suffix = reverse(name, args=[placeholder]).split(placeholder)
    return lambda pk: f"{prefix}{pk}{suffix}"


def local_minute(moment: datetime | None) -> str:
    return moment.astimezone(rules.LOCAL_TZ).strftime("%d-%m-%Y %H:%M") if moment else ""


def _open_alerts(ids: list[int]) -> dict[int, list[str]]:
    labels = dict(AlertKind.choices)
    alerts: dict[int, list[str]] = defaultdict(list)
    for discharge_id, kind in (
        Alert.objects.unresolved()
        .filter(discharge_id__in=ids)
        .order_by("created_at", "id")
        .values_list("discharge_id", "kind")
    ):
        alerts[discharge_id].append(str(labels[kind]))
    return alerts


def _rows(discharges: QuerySet[Discharge], at: datetime) -> list[Row]:
    """The fields both lists show, and each row's open alerts (two queries)."""
    has_phone = ExpressionWrapper(~Q(contact_phone=""), output_field=BooleanField())
    rows = list(discharges.values(*FIELDS, has_contact_phone=has_phone))
    alerts = _open_alerts([row["id"] for row in rows])
    for row in rows:
        ends = row["responsibility_ends_at"]
        row.update(
            name=row["patient__name"],
            cpr_masked=mask_cpr(row["patient__cpr"]),
            ward=row["ward__name"],
            town=row["municipality__name"],
            ends=local_minute(ends),
            extended=row["status"] == Status.EXTENDED,
            hours=round(rules.hours_remaining(ends, at)),
            alerts=alerts.get(row["id"], []),
        )
    return rows


def worklist_rows(discharges: QuerySet[Discharge], at: datetime) -> list[Row]:
    """Rows with their missing documentation named, in the order of ``discharges``."""
    labels = {
        "treatment_plan": _("plan"),
        "contact_phone": _("telefon"),
        "patient_informed": _("information"),
        "destination": _("udskrivningssted"),
    }
    detail = url_for_each("handover:discharge_detail")
    rows = _rows(discharges, at)
    for row in rows:
        missing = rules.missing_documentation(
            treatment_plan=row["treatment_plan"],
            has_contact_phone=row["has_contact_phone"],
            patient_informed=row["patient_informed"],
            destination=row["destination"],
        )
        row.update(
            url=detail(row["id"]),
            missing=[labels[item] for item in missing],
        )
    return rows


def not_covered_rows(discharges: QuerySet[Discharge]) -> list[Row]:
    """Discharged patients the extended responsibility did not cover, and why."""
    detail = url_for_each("handover:discharge_detail")
    reasons = dict(NotCoveredReason.choices)
    return [
        {
            "url": detail(row["id"]),
            "name": row["patient__name"],
            "cpr_masked": mask_cpr(row["patient__cpr"]),
            "ward": row["ward__name"],
            "discharged": local_minute(row["discharged_at"]),
            "reason": reasons.get(row["not_covered_reason"], row["not_covered_reason"]),
        }
        for row in discharges.values(
            "id",
            "patient__name",
            "patient__cpr",
            "ward__name",
            "discharged_at",
            "not_covered_reason",
        )
    ]


def board_rows(discharges: QuerySet[Discharge], at: datetime) -> list[Row]:
    """Rows with the number to call now, worked out once per ward."""
    call_new = url_for_each("handover:call_new")
    rows = _rows(discharges, at)
    wards = {
        ward.pk: ward
        for ward in Ward.objects.filter(pk__in={row["ward_id"] for row in rows})
        .select_related("hospital")
        .prefetch_related(
            Prefetch(
                "phone_overrides",
                queryset=PhoneOverride.objects.filter(starts_at__lte=at, ends_at__gt=at),
                to_attr="current_overrides",
            )
        )
    }
    per_ward = {pk: _ward_facts(ward, ward.phone_at(at)) for pk, ward in wards.items()}
    for row in rows:
        row.update(
            per_ward[row["ward_id"]],
            url=call_new(row["id"]),
            cpr_display=display_cpr(row["patient__cpr"]),
        )
    return rows


def _ward_facts(ward: Ward, now: PhoneChoice) -> Row:
    return {
        "hospital": ward.hospital.name,
        "phone": str(now.phone),
        "phone_display": format_phone(now.phone),
        "phone_reason": now.reason,
        "day_phone": str(ward.day_phone),
        "on_call_phone": str(ward.on_call_phone),
    }


def render_rows(template: str, rows: list[Row], label: dict[str, str]) -> SafeString:
    """The rows as ``<tr>`` elements for a page's ``<tbody>``; Jinja2 escapes every value."""
    html = render_to_string(template, {"rows": rows, "label": label}, using="jinja2")
    return mark_safe(html)  # noqa: S308 - autoescaped by the Jinja2 engine


def worklist_html(rows: list[Row]) -> SafeString:
    label = {
        "patient": _("Patient"),
        "ward": _("Afdeling"),
        "town": _("Kommune"),
        "until": _("Ansvar til"),
        "left": _("Timer tilbage"),
        "missing": _("Mangler"),
        "extended": _("forlænget"),
        "complete": _("komplet"),
        "empty": _("Ingen aktive vinduer."),
    }
    return render_rows("handover/worklist_rows.jinja", rows, label)


def board_html(rows: list[Row]) -> SafeString:
    label = {
        "citizen": _("Borger"),
        "until": _("Ansvar til"),
        "left": _("Timer tilbage"),
        "ward": _("Afdeling"),
        "call": _("Ring nu"),
        "alerts": _("Advarsler"),
        "extended": _("forlænget"),
        "log": _("Registrér opkald"),
        "empty": _("Ingen borgere i kommunen har aktivt behandlingsansvar på et hospital lige nu."),
    }
    return render_rows("handover/board_rows.jinja", rows, label)
