"""Look-up and calls (API.md): municipal nurses, GPs and 1813 find the responsible ward."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_reader, api_user
from accounts.models import Role
from api.examples import request, response
from api.pagination import page_response, paginated
from api.schema import IDEMPOTENCY_KEY, ErrorOutput
from handover import services
from handover.examples import CALL
from handover.idempotency import idempotent
from handover.lookup import LookupAnswer, TooManyLookups, look_up, no_window_advice
from handover.models import AccessAction, Call, Discharge
from handover.serializers_municipal import CallInput, CallOutput, LookupInput, LookupOutput
from handover.services.access import log_access

CALL_LOGGING_ROLES = {Role.MUNICIPAL_NURSE, Role.WARD_NURSE, Role.WARD_DOCTOR}


@extend_schema(
    description=(
        "For kommunale sygeplejersker, almen praksis (`gp`) og Akuttelefonen 1813 / lægevagten "
        "(`acute_line`). Kun de perioder, brugeren må se, tæller: kommunens borgere, eller for "
        "`gp` og `acute_line` de aktive perioder for borgere i regionen; alt andet svarer præcis "
        "som ingen aktiv periode. Almen praksis angiver formålet med hvert opslag i `reason` "
        "(400 uden); adgangsloggen gemmer det. Højst `LOOKUP_RATE_PER_MINUTE` svar i minuttet "
        "pr. bruger, derefter 429."
    ),
    request=LookupInput,
    responses={200: LookupOutput, 429: ErrorOutput},
    examples=[
        request("CPR", {"cpr": "010145-1234"}),
        request("CPR and purpose", {"cpr": "010145-1234", "reason": "Borgeren har ringet"}),
        response("No active window", {"covered": False, "advice": no_window_advice()}),
    ],
)
@api_view(["POST"])
def lookup(request: Request) -> Response:
    user = api_user(request)
    form = LookupInput(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        answer = look_up(
            user=user,
            cpr=form.validated_data["cpr"],
            at=timezone.now(),
            request=request,
            purpose=form.validated_data["reason"],
        )
    except TooManyLookups as error:
        raise _too_many() from error
    except DjangoValidationError as error:
        raise exceptions.ValidationError(error.message_dict) from error
    # A municipal nurse's advice stays the one API.md quotes; a GP's and the acute line's say
    # where the responsibility lies instead of sending them to themselves.
    return Response(_answer(answer, no_window_advice(user if user.is_caller else None)))


def _too_many() -> exceptions.Throttled:
    return exceptions.Throttled(detail=_("For mange opslag. Vent et minut, og prøv igen."))


def _answer(answer: LookupAnswer, advice: str) -> dict[str, Any]:
    discharge = answer.discharge
    if discharge is None or answer.phone_now is None:
        return {"covered": False, "advice": advice}
    ward = discharge.ward
    return {
        "covered": True,
        "discharge": {
            "id": discharge.pk,
            "ward": {
                "name": ward.name,
                "hospital": {
                    "name": ward.hospital.name,
                    "central_phone": str(ward.hospital.central_phone),
                },
            },
            "phone_now": answer.phone_now.phone,
            "phone_now_kind": answer.phone_now.kind,
            "phone_now_reason": answer.phone_now.reason,
            # The number the ward documented; "by the clock", the one of its two in force now.
            "contact_phone": str(discharge.contact_phone) or answer.phone_now.phone,
            "phone_line": discharge.phone_line,
            "day_phone": str(ward.day_phone),
            "on_call_phone": str(ward.on_call_phone),
            "responsibility_ends_at": discharge.responsibility_ends_at,
            "hours_remaining": round(answer.hours_remaining or 0.0, 1),
            "treatment_plan": discharge.treatment_plan,
            "status": discharge.status,
            "suspended_at": discharge.suspended_at,
        },
    }


@extend_schema(methods=["GET"], responses=CallOutput(many=True), examples=[response("Calls", CALL)])
@extend_schema(
    methods=["POST"],
    parameters=[IDEMPOTENCY_KEY],
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
@idempotent
def discharge_calls(request: Request, pk: int) -> Response:
    user = api_reader(request)
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
