"""The discharges API (API.md "Discharges"): ward staff document, everyone reads within scope."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_reader, api_user
from accounts.models import User
from api.examples import request, response
from api.pagination import page_response, paginated
from api.query import QueryBoolean, QueryId, query
from api.schema import IDEMPOTENCY_KEY
from contacts.models import Ward, unexpired_overrides
from handover import services
from handover.examples import DISCHARGE
from handover.idempotency import idempotent
from handover.models import AccessAction, Alert, Discharge, DischargeDocument, Status
from handover.models.discharges import DischargeQuerySet
from handover.serializers import (
    DischargeCreateInput,
    DischargeOutput,
    DischargeUpdateInput,
    EndInput,
    ExtendInput,
)
from handover.services.access import log_access


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Konflikt."
    default_code = "conflict"


def discharges_for(user: User, at: datetime) -> DischargeQuerySet:
    """The caller's discharges with everything the resource shows, in a fixed number of queries."""
    return (
        Discharge.objects.visible_to(user)
        .with_related()
        .prefetch_related(
            "extensions",
            Prefetch("alerts", queryset=Alert.objects.order_by("created_at")),
            unexpired_overrides(at, prefix="ward__"),
        )
    )


def require_ward_staff(user: User) -> None:
    if not user.is_ward_staff:
        raise exceptions.PermissionDenied(
            _("Kun afdelingens personale kan dokumentere udskrivelser.")
        )


def call_service(function: Callable[..., Discharge], **kwargs: Any) -> Discharge:
    """Translate the services' errors into API errors (400 with fields, 409)."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(error.message_dict) from error
    except services.Conflict as error:
        raise ConflictError(str(error)) from error


def respond(request: Request, discharge: Discharge, code: int = status.HTTP_200_OK) -> Response:
    at = timezone.now()
    fresh = discharges_for(api_user(request), at).get(pk=discharge.pk)
    return Response(DischargeOutput(fresh, context={"at": at}).data, status=code)


class DischargeQuery(serializers.Serializer[Any]):
    status = serializers.ChoiceField(Status.choices, required=False)
    ward = QueryId()
    municipality = serializers.CharField(required=False, max_length=4)
    covered = QueryBoolean(required=False)


@extend_schema(
    methods=["GET"],
    parameters=[DischargeQuery],
    responses=DischargeOutput(many=True),
    examples=[response("Discharges", DISCHARGE)],
)
@extend_schema(
    methods=["POST"],
    parameters=[IDEMPOTENCY_KEY],
    request=DischargeCreateInput,
    responses={201: DischargeOutput},
    examples=[
        request(
            "Discharge",
            {
                "patient": {"cpr": "0101451234", "name": "Ole Hansen"},
                "ward": 12,
                "admitted_at": "2026-11-17T10:00:00+01:00",
                "discharged_at": "2026-11-20T12:00:00+01:00",
                "destination": "home_nursing",
                "municipality": "163",
                "treatment_plan": "Observer vægt og åndenød.",
                "contact_phone": "+4544884402",
                "patient_informed": True,
            },
        ),
        response("Recorded", DISCHARGE),
    ],
)
@paginated
@api_view(["GET", "POST"])
@idempotent
def discharge_list(request: Request) -> Response:
    user = api_reader(request)
    if request.method == "POST":
        return create_discharge(request, user)
    at = timezone.now()
    discharges = discharges_for(user, at)
    params = query(request.query_params, DischargeQuery)
    if "status" in params:
        discharges = discharges.filter(status=params["status"])
    if "ward" in params:
        discharges = discharges.filter(ward_id=params["ward"])
    if "municipality" in params:
        discharges = discharges.filter(municipality_id=params["municipality"])
    if "covered" in params:
        discharges = discharges.filter(covered=params["covered"])
    log_access(user=user, action=AccessAction.LIST_DISCHARGES, request=request)
    return page_response(
        request, discharges, lambda page: DischargeOutput(page, many=True, context={"at": at}).data
    )


def create_discharge(request: Request, user: User) -> Response:
    require_ward_staff(user)
    form = DischargeCreateInput(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    ward = (
        Ward.objects.select_related("hospital")
        .filter(pk=data["ward"], hospital_id=user.hospital_id_in_scope or 0, active=True)
        .first()
    )
    if ward is None:
        raise exceptions.ValidationError(
            {"ward": [_("Ukendt afdeling, eller en afdeling uden for dit hospital.")]}
        )
    discharge = call_service(
        services.record_discharge,
        by=user,
        patient_cpr=data["patient"]["cpr"],
        patient_name=data["patient"]["name"],
        ward=ward,
        municipality=data["municipality"],
        admitted_at=data["admitted_at"],
        discharged_at=data["discharged_at"],
        destination=data["destination"],
        finished=data["finished"],
        treatment_plan=data["treatment_plan"],
        contact_phone=str(data["contact_phone"] or ""),
        phone_line=data["phone_line"],
        patient_informed=data["patient_informed"],
        request=request,
    )
    return respond(request, discharge, status.HTTP_201_CREATED)


def scoped_discharge(request: Request, pk: int) -> Discharge:
    return get_object_or_404(Discharge.objects.visible_to(api_reader(request)), pk=pk)


@extend_schema(
    methods=["GET"], responses=DischargeOutput, examples=[response("Discharge", DISCHARGE)]
)
@extend_schema(
    methods=["PATCH"],
    request=DischargeUpdateInput,
    responses=DischargeOutput,
    examples=[
        request("Document", {"treatment_plan": "Observer vægt."}),
        request("Confirm", {"epikrise_confirmed": True, "discharge_report_confirmed": True}),
        response("Documented", DISCHARGE),
    ],
)
@api_view(["GET", "PATCH"])
def discharge_detail(request: Request, pk: int) -> Response:
    user = api_user(request)
    discharge = scoped_discharge(request, pk)
    if request.method == "GET":
        log_access(
            user=user,
            action=AccessAction.VIEW_DISCHARGE,
            request=request,
            obj=discharge,
            patient=discharge.patient,
        )
        return respond(request, discharge)
    require_ward_staff(user)
    form = DischargeUpdateInput(data=request.data, partial=True)
    form.is_valid(raise_exception=True)
    changes = dict(form.validated_data)
    confirmed = [
        document
        for document in DischargeDocument.values
        if changes.pop(f"{document}_confirmed", False)
    ]
    if "contact_phone" in changes:
        changes["contact_phone"] = str(changes["contact_phone"] or "")
    # Documentation and confirmations together or not at all: a confirmation checks the plan
    # and phone the same request documents.
    with transaction.atomic():
        if changes or not confirmed:
            discharge = call_service(
                services.document_discharge,
                discharge=discharge,
                by=user,
                request=request,
                **changes,
            )
        if confirmed:
            discharge = call_service(
                services.confirm_documents,
                discharge=discharge,
                by=user,
                documents=confirmed,
                request=request,
            )
    return respond(request, discharge)


@extend_schema(
    parameters=[IDEMPOTENCY_KEY],
    request=ExtendInput,
    responses=DischargeOutput,
    examples=[
        request("Extend", {"hours": 24, "reason": "Ikke klinisk stabil"}),
        response("Extended", {**DISCHARGE, "status": "extended"}),
    ],
)
@api_view(["POST"])
@idempotent
def discharge_extend(request: Request, pk: int) -> Response:
    user = api_user(request)
    discharge = scoped_discharge(request, pk)
    require_ward_staff(user)
    form = ExtendInput(data=request.data)
    form.is_valid(raise_exception=True)
    discharge = call_service(
        services.extend_responsibility,
        discharge=discharge,
        by=user,
        request=request,
        **form.validated_data,
    )
    return respond(request, discharge)


@extend_schema(
    parameters=[IDEMPOTENCY_KEY],
    request=EndInput,
    responses=DischargeOutput,
    examples=[
        request("End", {"reason": "readmitted", "note": "Genindlagt via akutmodtagelsen"}),
        response("Ended", {**DISCHARGE, "status": "ended", "end_reason": "readmitted"}),
    ],
)
@api_view(["POST"])
@idempotent
def discharge_end(request: Request, pk: int) -> Response:
    user = api_user(request)
    discharge = scoped_discharge(request, pk)
    require_ward_staff(user)
    form = EndInput(data=request.data)
    form.is_valid(raise_exception=True)
    discharge = call_service(
        services.end_responsibility,
        discharge=discharge,
        by=user,
        request=request,
        **form.validated_data,
    )
    return respond(request, discharge)
