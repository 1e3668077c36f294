"""Look-up and calls (API.md): municipal nurses, GPs and 1813 find the responsible ward."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import AccessAction, Role
from accounts.services import log_access
from config.examples import CALL, request, response
from config.pagination import page_response, paginated
from config.schema import ErrorOutput
from config.types import api_user
from handover import services
from handover.lookup import TooManyLookups, look_up, no_window_advice
from handover.models import Call, Discharge
from handover.serializers_municipal import CallInput, CallOutput, LookupInput, LookupOutput

CALL_LOGGING_ROLES = {Role.MUNICIPAL_NURSE, Role.WARD_NURSE, Role.WARD_DOCTOR}


@extend_schema(
    request=LookupInput,
    responses={200: LookupOutput, 429: ErrorOutput},
    examples=[
        request("CPR", {"cpr": "010145-1234"}),
        response("No active window", {"covered": False, "advice": no_window_advice()}),
    ],
)
@api_view(["POST"])
def lookup(request: Request) -> Response:
    user = api_user(request)
    cpr = LookupInput.cpr_of(request.data)
    try:
        answer = look_up(user=user, cpr=cpr, at=timezone.now(), request=request)
    except TooManyLookups as error:
        detail = _("For mange opslag. Vent et minut, og prøv igen.")
        raise exceptions.Throttled(detail=detail) from error
    window = answer.window
    if window is None or answer.phone_now is None:
        return Response({"covered": False, "advice": no_window_advice()})
    ward = window.ward
    return Response(
        {
            "covered": True,
            "discharge": {
                "id": window.discharge_id,
                "ward": {
                    "name": ward.name,
                    "hospital": {
                        "name": ward.hospital.name,
                        "central_phone": str(ward.hospital.central_phone),
                    },
                },
                "phone_now": answer.phone_now.phone,
                "phone_now_kind": answer.phone_now.kind,
                "day_phone": str(ward.day_phone),
                "on_call_phone": str(ward.on_call_phone),
                "responsibility_ends_at": window.responsibility_ends_at,
                "hours_remaining": round(answer.hours_remaining or 0.0, 1),
                "treatment_plan": window.treatment_plan,
                "status": window.status,
            },
        }
    )


@extend_schema(methods=["GET"], responses=CallOutput(many=True), examples=[response("Calls", CALL)])
@extend_schema(
    methods=["POST"],
    request=CallInput,
    responses={201: CallOutput},
    examples=[
        request(
            "Call",
            {
                "received_at": "2026-11-21T19:40:00+01:00",
                "caller_role": "municipal_nurse",
                "caller_name": "Susanne Berg",
                "caller_organisation": "Herlev Kommune",
                "reason": "Åndenød",
                "outcome": "advice",
                "note": "",
            },
        ),
        response("Logged", CALL),
    ],
)
@paginated
@api_view(["GET", "POST"])
def discharge_calls(request: Request, pk: int) -> Response:
    user = api_user(request)
    discharge = get_object_or_404(Discharge.objects.visible_to(user).with_related(), pk=pk)
    if request.method == "GET":
        log_access(
            user=user,
            action=AccessAction.VIEW_DISCHARGE,
            request=request,
            obj=discharge,
            patient=discharge.patient,
        )
        calls = Call.objects.filter(discharge=discharge).order_by("-received_at", "-id")
        return page_response(request, calls, lambda page: CallOutput(page, many=True).data)
    if user.role not in CALL_LOGGING_ROLES:
        raise exceptions.PermissionDenied(_("Din rolle kan ikke registrere opkald."))
    form = CallInput(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        call = services.log_call(
            discharge=discharge, by=user, request=request, **form.validated_data
        )
    except DjangoValidationError as error:
        raise exceptions.ValidationError(error.message_dict) from error
    return Response(CallOutput(call).data, status=status.HTTP_201_CREATED)
