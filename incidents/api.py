"""Incidents and statistics (API.md "Incidents")."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from accounts.models import User
from api.examples import request, response
from api.pagination import page_response, paginated
from api.query import query
from api.schema import IDEMPOTENCY_KEY
from handover.idempotency import idempotent
from handover.models import Discharge
from incidents import services, stats, summaries
from incidents.examples import INCIDENT_INPUT
from incidents.models import Incident
from incidents.serializers import (
    CallStatsOutput,
    ComplianceOutput,
    IncidentInput,
    IncidentOutput,
    IncidentStatsOutput,
    IncidentStatsQuery,
    StatsQuery,
    TransitionInput,
)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def incidents_for(user: User) -> Any:
    return (
        Incident.objects.visible_to(user)
        .select_related("reporter")
        .prefetch_related("involved", "learning_actions")
    )


def report_from(data: dict[str, Any], user: User, attachments: Sequence[Any] = ()) -> Incident:
    """Turn validated report data (API or form) into a reported incident."""
    discharge = None
    if data.get("discharge"):
        discharge = (
            Discharge.objects.visible_to(user)
            .select_related("ward__hospital", "municipality")
            .filter(pk=data["discharge"])
            .first()
        )
        if discharge is None:
            raise DjangoValidationError({"discharge": "Ukendt udskrivelse."})
    place = services.resolve_place(
        data["place_of_occurrence"]["kind"], data["place_of_occurrence"]["id"]
    )
    involved = [
        (services.resolve_place(item["kind"], item["id"]), item.get("role", ""))
        for item in data.get("involved_organisations", [])
    ]
    return services.report_incident(
        by=user,
        occurred_at=data["occurred_at"],
        occurred_at_precision=data["occurred_at_precision"],
        title=data["title"],
        description=data["description"],
        consequences=data.get("consequences", ""),
        prevention=data.get("prevention", ""),
        category=data["category"],
        actual_consequence=data["actual_consequence"],
        possible_consequence=data["possible_consequence"],
        place=place,
        involved=involved,
        discharge=discharge,
        attachments=attachments,
    )


INCIDENT = {
    **INCIDENT_INPUT,
    "id": 5,
    "status": "received",
    "cross_sector": True,
    "consequences": "",
    "prevention": "",
    "severity": "",
    "classification": "",
    "dpsd_case_number": "",
    "rejection_reason": "",
    "transferred_to": "",
    "learning": [],
    "reporter": None,
    "created_at": "2026-11-21T18:10:00Z",
    "place_of_occurrence": {"kind": "ward", "name": "Kardiologisk Afsnit, Herlev Hospital"},
    "involved_organisations": [{"kind": "municipality", "name": "Herlev", "role": "caller"}],
}


@extend_schema(
    methods=["GET"], responses=IncidentOutput(many=True), examples=[response("Reports", INCIDENT)]
)
@extend_schema(
    methods=["POST"],
    parameters=[IDEMPOTENCY_KEY],
    request=IncidentInput,
    responses={201: IncidentOutput},
    examples=[request("Report", INCIDENT_INPUT), response("Received", INCIDENT)],
)
@paginated
@api_view(["GET", "POST"])
@idempotent
def incident_list(request: Request) -> Response:
    user = api_user(request)
    if request.method == "POST":
        form = IncidentInput(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            incident = report_from(dict(form.validated_data), user)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(
            IncidentOutput(incidents_for(user).get(pk=incident.pk), context={"viewer": user}).data,
            status=201,
        )
    return page_response(
        request,
        incidents_for(user).order_by("-created_at", "-id"),
        lambda page: IncidentOutput(page, many=True, context={"viewer": user}).data,
    )


@extend_schema(responses=IncidentOutput, examples=[response("Report", INCIDENT)])
@api_view(["GET"])
def incident_detail(request: Request, pk: int) -> Response:
    user = api_user(request)
    incident = get_object_or_404(incidents_for(user), pk=pk)
    return Response(IncidentOutput(incident, context={"viewer": user}).data)


@extend_schema(
    request=TransitionInput,
    responses=IncidentOutput,
    examples=[
        request(
            "Close",
            {
                "to": "closed",
                "severity": "minor",
                "learning": [
                    {
                        "text": "Tjekliste på morgenmødet",
                        "owner": "Afdelingsledelsen",
                        "due_date": "2027-01-31",
                    }
                ],
            },
        ),
        response("Closed", {**INCIDENT, "status": "closed", "severity": "minor"}),
    ],
)
@api_view(["POST"])
def incident_transition(request: Request, pk: int) -> Response:
    user = api_user(request)
    incident = get_object_or_404(incidents_for(user), pk=pk)
    if not Incident.objects.handled_by(user).filter(pk=pk).exists():
        raise exceptions.PermissionDenied("Kun risikomanagere behandler sager.")
    form = TransitionInput(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        services.transition(incident=incident, by=user, **form.validated_data)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(error.message_dict) from error
    except services.Conflict as error:
        raise ConflictError(str(error)) from error
    return Response(IncidentOutput(incidents_for(user).get(pk=pk), context={"viewer": user}).data)


KPI_EXAMPLE = {
    "covered": 3,
    "documented": 2,
    "rate": 0.6667,
    "epikrise_confirmed": 2,
    "epikrise_rate": 0.6667,
    "discharge_report_confirmed": 3,
    "discharge_report_rate": 1.0,
    "other_windows": 1,
}


def filters_from(params: Any, form: type[StatsQuery] = StatsQuery) -> stats.Filters:
    """Date range (default: the last 12 calendar months, this one included) and organisation
    filters from query parameters."""
    data = query(params, form)
    today = timezone.localdate()
    return stats.Filters(
        data.get("from") or summaries.months_back(today, 12),
        data.get("to") or today,
        data.get("hospital"),
        data.get("ward"),
        data.get("municipality") or None,
    )


def require_statistics_role(user: User) -> None:
    if not (user.is_risk_manager or user.is_admin_role):
        raise exceptions.PermissionDenied("Statistik er for risikomanagere.")


@extend_schema(
    description=(
        "Seed 003's two goals: the share of the covered 96-hour discharges (not cancelled) whose "
        "epikrise, and whose udskrivningsrapport, held the treatment plan with contact details no "
        "later than grace_minutes after the discharge; target each. In all, by_ward, by_month "
        "and by_cluster (the sundhedsklynge of the municipality discharged to)."
    ),
    parameters=[StatsQuery],
    responses=ComplianceOutput,
    examples=[
        response(
            "Compliance",
            {
                "target": 0.9,
                "window_hours": 96,
                "grace_minutes": 60,
                **KPI_EXAMPLE,
                "by_ward": [{"ward": "Kardiologisk Afsnit", "ward_id": 12, **KPI_EXAMPLE}],
                "by_month": [{"month": "2026-11", **KPI_EXAMPLE}],
                "by_cluster": [
                    {
                        "cluster": "Sundhedsklynge Midt",
                        "cluster_code": "midt-hovedstaden",
                        **KPI_EXAMPLE,
                    }
                ],
            },
        )
    ],
)
@api_view(["GET"])
def stats_compliance(request: Request) -> Response:
    user = api_user(request)
    require_statistics_role(user)
    return Response(stats.compliance(user, filters_from(request.query_params)))


@extend_schema(
    parameters=[IncidentStatsQuery],
    responses=IncidentStatsOutput,
    examples=[
        response(
            "Incidents",
            {
                "total": 3,
                "by_category": {"referred_elsewhere": 2, "medication": 1},
                "by_severity": {},
                "by_status": {"received": 3},
                "by_month": [{"month": "2026-11", "incidents": 3}],
                "open_by_age": {"under_7_days": 3, "from_7_to_30_days": 0, "over_30_days": 0},
                "cross_sector_share": 0.0,
            },
        )
    ],
)
@api_view(["GET"])
def stats_incidents(request: Request) -> Response:
    user = api_user(request)
    require_statistics_role(user)
    filters = filters_from(request.query_params, IncidentStatsQuery)
    return Response(stats.incidents(user, filters, timezone.now()))


@extend_schema(
    parameters=[StatsQuery],
    responses=CallStatsOutput,
    examples=[
        response(
            "Calls",
            {
                "total": 2,
                "by_outcome": {"advice": 1, "referred_to_gp": 1},
                "by_caller_role": {"gp": 1, "municipal_nurse": 1},
                "referred_to_gp_within_window": 1,
                "red_flags_within_window": 1,
                "by_week": [{"week": "2026-W47", "calls": 2}],
            },
        )
    ],
)
@api_view(["GET"])
def stats_calls(request: Request) -> Response:
    user = api_user(request)
    require_statistics_role(user)
    return Response(stats.calls(user, filters_from(request.query_params)))
