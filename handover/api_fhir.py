"""MedCom HospitalNotification in, FHIR out (API.md "Interoperability")."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import AccessAction, Role
from accounts.services import log_access
from config.examples import request, response
from config.types import api_user
from handover.fhir import importer
from handover.fhir.export import discharge_bundle
from handover.models import Discharge

MAX_MESSAGE_BYTES = 1024 * 1024
IMPORT_ROLES = {Role.WARD_NURSE, Role.WARD_DOCTOR, Role.COORDINATOR, Role.ADMIN}


class RawFHIRParser(BaseParser):
    """Hands the body over untouched: the importer validates it and logs it as received."""

    media_type = "application/fhir+json"

    def parse(  # type: ignore[override]  # the raw body, not a parsed mapping
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> bytes:
        return bytes(stream.read()) if stream is not None else b""


class RawJSONParser(RawFHIRParser):
    media_type = "application/json"


ImportResult = inline_serializer(
    "HospitalNotificationResult",
    {"result": serializers.CharField(), "discharge": serializers.IntegerField(required=False)},
)


# The outline of a FHIR R4 Bundle; the importer validates the rest against the FHIR models.
BUNDLE_SCHEMA = {
    "type": "object",
    "required": ["resourceType", "type"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "type": {"type": "string", "enum": ["message"]},
        "id": {"type": "string"},
        "meta": {"type": "object"},
        "implicitRules": {"type": "string"},
        "language": {"type": "string"},
        "identifier": {"type": "object"},
        "timestamp": {"type": "string", "format": "date-time"},
        "total": {"type": "integer", "minimum": 0},
        "link": {"type": "array", "items": {"type": "object"}},
        "entry": {"type": "array", "items": {"type": "object"}},
        "signature": {"type": "object"},
    },
    "additionalProperties": False,
}


@extend_schema(
    request={"application/fhir+json": BUNDLE_SCHEMA, "application/json": BUNDLE_SCHEMA},
    responses={201: ImportResult, 200: ImportResult},
    examples=[
        request(
            "HospitalNotification (SLHJ)",
            {"resourceType": "Bundle", "type": "message", "entry": []},
        ),
        response("Created", {"result": "created", "discharge": 481}),
        response("Duplicate", {"result": "duplicate"}),
    ],
)
@api_view(["POST"])
@parser_classes([RawFHIRParser, RawJSONParser])
def hospital_notification(request: Request) -> Response:
    user = api_user(request)
    if user.role not in IMPORT_ROLES and not user.is_superuser:
        raise exceptions.PermissionDenied
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_MESSAGE_BYTES:
        return Response(
            {"detail": "Beskeden er over 1 MB.", "errors": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    payload = request.data if isinstance(request.data, bytes) else b""
    outcome = importer.receive(payload=payload, user=user, request=request)
    if outcome.result == "rejected":
        return Response(
            {"detail": outcome.error, "errors": {"bundle": [outcome.error]}}, status=400
        )
    body: dict[str, Any] = {"result": outcome.result}
    if outcome.discharge is not None:
        body["discharge"] = outcome.discharge.pk
    return Response(body, status=outcome.http_status)


@extend_schema(
    responses={(200, "application/fhir+json"): OpenApiTypes.OBJECT},
    examples=[
        OpenApiExample(
            "Bundle",
            value={"resourceType": "Bundle", "type": "collection", "entry": []},
            response_only=True,
            media_type="application/fhir+json",
        )
    ],
)
@api_view(["GET"])
def discharge_fhir(request: Request, pk: int) -> Response:
    user = api_user(request)
    discharge = get_object_or_404(
        Discharge.objects.visible_to(user).with_related().prefetch_related("extensions"), pk=pk
    )
    log_access(
        user=user,
        action=AccessAction.EXPORT,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return Response(discharge_bundle(discharge), content_type="application/fhir+json")
