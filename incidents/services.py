"""Reporting an incident and handling the case. One transaction each."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contacts.models import Hospital, Municipality, Ward
from handover.models import AccessAction, Discharge
from handover.services.access import log_access
from incidents import kept, rules
from incidents.models import (
    Attachment,
    Incident,
    InvolvedOrganisation,
    LearningAction,
    RejectionReason,
    Severity,
    Transition,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Content is sniffed, not trusted from the file name or the browser.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


class Conflict(Exception):
    """The case's state forbids the transition (answered 409)."""


@dataclass(frozen=True)
class Place:
    kind: str  # ward, hospital, municipality, other
    ward: Ward | None = None
    hospital: Hospital | None = None
    municipality: Municipality | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return str(self.ward or self.hospital or self.municipality or self.name)


def resolve_place(kind: str, ident: Any) -> Place:
    """A place of occurrence or involved organisation from its kind and id."""
    try:
        if kind == "ward":
            return Place(kind, ward=Ward.objects.select_related("hospital").get(pk=int(ident)))
        if kind == "hospital":
            return Place(kind, hospital=Hospital.objects.get(pk=int(ident)))
        if kind == "municipality":
            return Place(kind, municipality=Municipality.objects.get(code=str(ident)))
    except (
        Ward.DoesNotExist,
        Hospital.DoesNotExist,
        Municipality.DoesNotExist,
        ValueError,
        TypeError,
    ) as error:
        raise ValidationError({"place_of_occurrence": _("Ukendt sted.")}) from error
    if kind == "other":
        return Place(kind, name=str(ident or "")[:200])
    raise ValidationError({"place_of_occurrence": _("Ukendt type af sted.")})


def check_attachment(upload: UploadedFile) -> str:
    """The sniffed content type of an allowed attachment (PDF, PNG, JPEG; at most 10 MB)."""
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachments": _("En vedhæftet fil må højst være 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError({"attachments": _("Kun PDF, PNG og JPEG kan vedhæftes.")})


def _scope(place: Place, discharge: Discharge | None, involved: list[Place]) -> dict[str, Any]:
    hospital = place.hospital or (place.ward.hospital if place.ward else None)
    municipality = place.municipality
    if discharge is not None:
        hospital = hospital or discharge.ward.hospital
        municipality = municipality or discharge.municipality
    for other in involved:
        hospital = hospital or other.hospital or (other.ward.hospital if other.ward else None)
        municipality = municipality or other.municipality
    region_id = (
        hospital.region_id if hospital else (municipality.region_id if municipality else None)
    )
    return {"hospital": hospital, "municipality": municipality, "region_id": region_id}


@transaction.atomic
def report_incident(
    *,
    by: User,
    occurred_at: datetime,
    occurred_at_precision: str,
    title: str,
    description: str,
    category: str,
    actual_consequence: str,
    possible_consequence: str,
    place: Place,
    involved: Sequence[tuple[Place, str]] = (),
    discharge: Discharge | None = None,
    consequences: str = "",
    prevention: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> Incident:
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("Tidspunktet skal have en tidszone.")})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("Hændelsen kan ikke ligge i fremtiden.")})
    checked = [(upload, check_attachment(upload)) for upload in attachments]
    places = [place, *(p for p, _role in involved)]
    incident = Incident.objects.create(
        occurred_at=occurred_at,
        occurred_at_precision=occurred_at_precision,
        place_kind=place.kind,
        place_name=place.label,
        place_ward=place.ward,
        title=title,
        description=description,
        consequences=consequences,
        prevention=prevention,
        category=category,
        actual_consequence=actual_consequence,
        possible_consequence=possible_consequence,
        discharge=discharge,
        reporter=by,
        cross_sector=rules.is_cross_sector({p.kind for p in places}),
        **_scope(place, discharge, [p for p, _role in involved]),
    )
    InvolvedOrganisation.objects.bulk_create(
        InvolvedOrganisation(
            incident=incident,
            kind=other.kind,
            name=other.label,
            role=role,
            ward=other.ward,
            hospital=other.hospital,
            municipality=other.municipality,
        )
        for other, role in involved
    )
    for upload, content_type in checked:
        Attachment.objects.create(
            incident=incident, file=upload, content_type=content_type, size=upload.size or 0
        )
    kept.figures_changed()
    return incident


@transaction.atomic
def transition(
    *,
    incident: Incident,
    by: User,
    to: str,
    severity: str = "",
    classification: str = "",
    dpsd_case_number: str = "",
    rejection_reason: str = "",
    transferred_to: str = "",
    learning: Sequence[dict[str, Any]] = (),
) -> Incident:
    """Move the case along the workflow; every move is recorded (who, when, from, to)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not rules.can_move(incident.status, to):
        raise Conflict(
            _("Sagen kan ikke gå fra %(from)s til %(to)s.")
            % {"from": incident.get_status_display(), "to": to}
        )
    errors = {}
    if severity and severity not in Severity.values:
        errors["severity"] = _("Ukendt alvorlighed.")
    if to == rules.REJECTED and rejection_reason not in RejectionReason.values:
        errors["rejection_reason"] = _("Angiv en afvisningsårsag.")
    if to == rules.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = _("Angiv, hvem sagen overdrages til.")
    actions = [_learning_action(item) for item in learning]
    if to == rules.CLOSED and not (actions or incident.learning_actions.exists()):
        errors["learning"] = _("En sag afsluttes med mindst ét læringstiltag.")
    if to == rules.CLOSED and not (severity or incident.severity):
        errors["severity"] = _("Angiv den samlede alvorlighed.")
    if errors:
        raise ValidationError(errors)
    Transition.objects.create(incident=incident, from_status=incident.status, to_status=to, by=by)
    incident.status = to
    incident.severity = severity or incident.severity
    incident.classification = classification or incident.classification
    incident.dpsd_case_number = dpsd_case_number or incident.dpsd_case_number
    incident.rejection_reason = rejection_reason if to == rules.REJECTED else ""
    incident.transferred_to = transferred_to if to == rules.TRANSFERRED else ""
    incident.save()
    for action in actions:
        action.incident = incident
        action.save()
    kept.figures_changed()
    if incident.discharge is not None:
        log_access(
            user=by,
            action=AccessAction.VIEW_INCIDENT,
            obj=incident,
            patient=incident.discharge.patient,
        )
    return incident


@transaction.atomic
def update_case(
    *,
    incident: Incident,
    by: User,
    severity: str = "",
    classification: str = "",
    dpsd_case_number: str = "",
    learning: Sequence[dict[str, Any]] = (),
) -> Incident:
    """Save the handler's assessment and new learning actions and keep the case's status: a
    DPSD case number or a learning action often comes after the case has moved."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if severity and severity not in Severity.values:
        raise ValidationError({"severity": _("Ukendt alvorlighed.")})
    actions = [_learning_action(item) for item in learning]
    incident.severity = severity or incident.severity
    incident.classification = classification or incident.classification
    incident.dpsd_case_number = dpsd_case_number or incident.dpsd_case_number
    incident.save(update_fields=["severity", "classification", "dpsd_case_number"])
    for action in actions:
        action.incident = incident
        action.save()
    kept.figures_changed()
    if incident.discharge is not None:
        log_access(
            user=by,
            action=AccessAction.VIEW_INCIDENT,
            obj=incident,
            patient=incident.discharge.patient,
        )
    return incident


def _learning_action(item: dict[str, Any]) -> LearningAction:
    try:
        due = (
            item["due_date"]
            if isinstance(item["due_date"], date)
            else date.fromisoformat(item["due_date"])
        )
        text, owner = str(item["text"]).strip(), str(item["owner"]).strip()
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            {"learning": _("Et læringstiltag har tekst, ansvarlig og frist.")}
        ) from error
    if not text or not owner:
        raise ValidationError({"learning": _("Et læringstiltag har tekst, ansvarlig og frist.")})
    return LearningAction(text=text, owner=owner, due_date=due, done=bool(item.get("done")))
