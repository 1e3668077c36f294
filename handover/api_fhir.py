"""MedCom HospitalNotification in, FHIR out (API.md "Interoperability")."""

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_reader, api_user
from accounts.models import Role, User
from api.examples import request, response
from handover.medcom import receive, replies
from handover.medcom.export import discharge_bundle
from handover.models import AccessAction, Discharge, InboundMessage
from handover.services.access import log_access

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
    {
        "result": serializers.CharField(),
        "discharge": serializers.IntegerField(required=False),
        "acknowledgement": serializers.DictField(help_text="MedCom Acknowledgement (FHIR Bundle)"),
    },
)
ImportRefusal = inline_serializer(
    "HospitalNotificationRefusal",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "acknowledgement": serializers.DictField(required=False),
    },
)


class MessageBundle(serializers.Serializer[Any]):
    """The outline of a FHIR R4 message Bundle, one named schema for both content types; the
    importer validates the rest against the FHIR models."""

    resourceType = serializers.ChoiceField(choices=["Bundle"])  # FHIR's own name
    type = serializers.ChoiceField(choices=["message"])
    id = serializers.CharField(required=False)
    meta = serializers.DictField(required=False)
    timestamp = serializers.DateTimeField(required=False)
    entry = serializers.ListField(child=serializers.DictField(), required=False)


# FHIR's own content type; plain application/json is read the same way (``RawJSONParser``) but
# is not listed, so that generated clients have one body type to send.
BUNDLE_SCHEMA = {"application/fhir+json": MessageBundle}


@extend_schema(
    request=BUNDLE_SCHEMA,
    responses={
        201: ImportResult,
        200: ImportResult,
        400: ImportRefusal,
        403: ImportRefusal,
        409: ImportRefusal,
    },
    examples=[
        request(
            "HospitalNotification (SLHJ)",
            {"resourceType": "Bundle", "type": "message", "entry": []},
        ),
        response("Created", {"result": "created", "discharge": 481, "acknowledgement": {}}),
        response("Duplicate", {"result": "duplicate", "acknowledgement": {}}),
    ],
)
@api_view(["POST"])
@parser_classes([RawFHIRParser, RawJSONParser])
def hospital_notification(request: Request) -> Response:
    """A MedCom HospitalNotification from a hospital's own system (or a ward's or coordinator's
    account): the sender must belong to the account's hospital. Every message is answered with
    a MedCom Acknowledgement (``acknowledgement``), also kept for
    ``GET /api/v1/fhir/acknowledgements/{message_id}/``."""
    user = api_user(request)
    if user.role not in IMPORT_ROLES and not user.is_superuser:
        raise exceptions.PermissionDenied
    return _received(
        request, lambda payload: receive.receive(payload=payload, user=user, request=request)
    )


def _received(request: Request, take: Callable[[bytes], receive.Reply]) -> Response:
    """A posted message, refused over 1 MB, else taken by ``take`` and answered as it says."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_MESSAGE_BYTES:
        return Response(
            {"detail": "Beskeden er over 1 MB.", "errors": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    reply = take(request.data if isinstance(request.data, bytes) else b"")
    return Response(reply.body, status=reply.status)


def _municipal(request: Request) -> User:
    user = api_user(request)
    if user.role != Role.MUNICIPAL_NURSE and not user.is_admin_role:
        raise exceptions.PermissionDenied
    return user


@extend_schema(
    request=BUNDLE_SCHEMA,
    responses={200: ImportResult, 400: ImportRefusal, 403: ImportRefusal},
    examples=[
        request("CareCommunication", {"resourceType": "Bundle", "type": "message", "entry": []}),
        response("Recorded", {"result": "recorded", "acknowledgement": {}}),
    ],
)
@api_view(["POST"])
@parser_classes([RawFHIRParser, RawJSONParser])
def care_communication(request: Request) -> Response:
    """A municipality's MedCom CareCommunication about a citizen's extended responsibility (its
    EHR's account, or a municipal nurse's): attached to the discharge the reply names by its
    forløbsid, and answered with a MedCom Acknowledgement."""
    user = _municipal(request)
    return _received(
        request,
        lambda payload: replies.receive_care_communication(
            payload=payload, user=user, request=request
        ),
    )


@extend_schema(
    request=BUNDLE_SCHEMA,
    responses={200: ImportResult, 400: ImportRefusal, 403: ImportRefusal},
    examples=[
        request("Acknowledgement", {"resourceType": "Bundle", "type": "message", "entry": []}),
        response("Recorded", {"result": "recorded"}),
    ],
)
@api_view(["POST"])
@parser_classes([RawFHIRParser, RawJSONParser])
def acknowledgement_received(request: Request) -> Response:
    """A municipality's MedCom Acknowledgement of one of the wards' CareCommunications (not
    acknowledged in turn)."""
    user = _municipal(request)
    return _received(
        request,
        lambda payload: replies.receive_acknowledgement(
            payload=payload, user=user, request=request
        ),
    )


@extend_schema(
    responses={(200, "application/fhir+json"): OpenApiTypes.OBJECT},
    examples=[
        OpenApiExample(
            "Acknowledgement",
            value={"resourceType": "Bundle", "type": "message", "entry": []},
            response_only=True,
            media_type="application/fhir+json",
        )
    ],
)
@api_view(["GET"])
def acknowledgement(request: Request, message_id: str) -> Response:
    """The MedCom Acknowledgement that answered the message with this MessageHeader.id, sent
    from the caller's hospital (an administrator's: any)."""
    user = api_user(request)
    received = InboundMessage.objects.filter(message_id=message_id, acknowledgement__isnull=False)
    if not user.is_admin_role:
        received = received.filter(hospital_id=user.hospital_id_in_scope or 0)
    found = received.order_by("-received_at").first()
    if found is None:
        raise Http404
    return Response(found.acknowledgement, content_type="application/fhir+json")


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
    user = api_reader(request)
    discharge = get_object_or_404(
        Discharge.objects.visible_to(user)
        .with_related()
        .select_related("stay__hospital")
        .prefetch_related("extensions"),
        pk=pk,
    )
    log_access(
        user=user,
        action=AccessAction.EXPORT,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return Response(discharge_bundle(discharge), content_type="application/fhir+json")
