"""The discharges API (API.md "Discharges"): ward staff document, everyone reads within scope."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import AccessAction, User
from accounts.services import log_access
from config.examples import DISCHARGE, request, response
from config.pagination import page_response, paginated
from config.query import QueryBoolean, QueryId, query
from config.types import api_user
from contacts.models import PhoneOverride, Ward
from handover import services
from handover.models import Alert, Discharge, Status
from handover.models.discharges import DischargeQuerySet
from handover.serializers import (
    DischargeCreateInput,
    DischargeOutput,
    DischargeUpdateInput,
    EndInput,
    ExtendInput,
)


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
            Prefetch(
                "ward__phone_overrides",
                queryset=PhoneOverride.objects.filter(starts_at__lte=at, ends_at__gt=at),
                to_attr="current_overrides",
            ),
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
def discharge_list(request: Request) -> Response:
    user = api_user(request)
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
        contact_phone=str(data["contact_phone"]) if data["contact_phone"] else None,
        patient_informed=data["patient_informed"],
        request=request,
    )
    return respond(request, discharge, status.HTTP_201_CREATED)


def scoped_discharge(request: Request, pk: int) -> Discharge:
    return get_object_or_404(Discharge.objects.visible_to(api_user(request)), pk=pk)


@extend_schema(
    methods=["GET"], responses=DischargeOutput, examples=[response("Discharge", DISCHARGE)]
)
@extend_schema(
    methods=["PATCH"],
    request=DischargeUpdateInput,
    responses=DischargeOutput,
    examples=[
        request("Document", {"treatment_plan": "Observer vægt."}),
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
    if "contact_phone" in changes:
        changes["contact_phone"] = str(changes["contact_phone"] or "")
    discharge = call_service(
        services.document_discharge, discharge=discharge, by=user, request=request, **changes
    )
    return respond(request, discharge)


@extend_schema(
    request=ExtendInput,
    responses=DischargeOutput,
    examples=[
        request("Extend", {"hours": 24, "reason": "Ikke klinisk stabil"}),
        response("Extended", {**DISCHARGE, "status": "extended"}),
    ],
)
@api_view(["POST"])
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
    request=EndInput,
    responses=DischargeOutput,
    examples=[
        request("End", {"reason": "readmitted", "note": "Genindlagt via akutmodtagelsen"}),
        response("Ended", {**DISCHARGE, "status": "ended", "end_reason": "readmitted"}),
    ],
)
@api_view(["POST"])
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
