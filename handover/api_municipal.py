"""Look-up and calls (API.md): municipal nurses, GPs and 1813 find the responsible ward."""

from functools import wraps
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import json

from accounts.backends import KeptTokenAuthentication
from accounts.models import AccessAction, Role
from accounts.services import log_access
from config.api import exception_handler
from config.examples import CALL, request, response
from config.negotiation import accepts_at_once
from config.pagination import page_response, paginated
from config.schema import ErrorOutput
from config.types import api_user
from handover import services
from handover.lookup import LookupAnswer, TooManyLookups, look_up, no_window_advice
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
def lookup_by_drf(request: Request) -> Response:
    user = api_user(request)
    cpr = LookupInput.cpr_of(request.data)
    try:
        answer = look_up(user=user, cpr=cpr, at=timezone.now(), request=request)
    except TooManyLookups as error:
        raise _too_many() from error
    return Response(_answer(answer))


@wraps(lookup_by_drf)  # its class, which the schema describes, and its CSRF exemption
def lookup(request: HttpRequest) -> HttpResponse:
    """``POST /api/v1/lookup/``: the request nearly every look-up is (a token, a JSON body, JSON
    or anything accepted) answered here, any other by ``lookup_by_drf``.

    DRF wraps each request, makes its authenticators, parsers, permissions and renderers anew
    and negotiates: a fifth of a look-up's time in Python. This path uses the pieces DRF would
    (the token authentication, the CPR field, the JSON renderer, the API's error handler) and
    passes on every request it would refuse, before anything is logged, so that each error is
    DRF's own.
    """
    meta = request.META
    if (
        request.method != "POST"
        or request.content_type != "application/json"
        or (request.content_params or {}).get("charset", "utf-8").lower() != "utf-8"
        or not accepts_at_once(meta.get("HTTP_ACCEPT", "*/*"), RENDERER.media_type)
        or meta.get("QUERY_STRING")
    ):
        return lookup_by_drf(request)
    try:
        authenticated = TOKEN.authenticate_django(request)
        if authenticated is None:  # no token: a session, or nobody
            return lookup_by_drf(request)
        cpr = LookupInput.cpr_of(json.loads(request.body.decode()))
    except (exceptions.APIException, ValueError):  # a bad token, body or CPR
        return lookup_by_drf(request)
    user = request.user = authenticated[0]
    try:
        answer = look_up(user=user, cpr=cpr, at=timezone.now(), request=request)
    except TooManyLookups:
        error = cast(Response, exception_handler(_too_many(), {}))  # it answers every APIException
        return _json(error.data, error.status_code)
    return _json(_answer(answer), status.HTTP_200_OK)


TOKEN = KeptTokenAuthentication()
RENDERER = JSONRenderer()
ALLOW = ", ".join(lookup_by_drf.cls().allowed_methods)


def _json(data: dict[str, Any], status_code: int) -> HttpResponse:
    """The response DRF would give: the same bytes, type and ``Allow``."""
    answer = HttpResponse(RENDERER.render(data), RENDERER.media_type, status_code)
    answer["Allow"] = ALLOW
    return answer


def _too_many() -> exceptions.Throttled:
    return exceptions.Throttled(detail=_("For mange opslag. Vent et minut, og prøv igen."))


def _answer(answer: LookupAnswer) -> dict[str, Any]:
    window = answer.window
    if window is None or answer.phone_now is None:
        return {"covered": False, "advice": no_window_advice()}
    ward = window.ward
    return {
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
