"""Alerts within the caller's scope (API.md "Alerts")."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from config.examples import response
from config.types import api_user
from handover.models import Alert, AlertKind
from handover.serializers import AlertOutput


@extend_schema(
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, enum=AlertKind.values),
        OpenApiParameter("discharge", OpenApiTypes.INT),
        OpenApiParameter("open", OpenApiTypes.BOOL, description="Only unresolved alerts"),
    ],
    responses=AlertOutput(many=True),
    examples=[
        response(
            "Alerts",
            [
                {
                    "id": 3,
                    "discharge": 481,
                    "kind": "nearing_expiry",
                    "created_at": "2026-11-23T23:00:00Z",
                    "resolved_at": None,
                }
            ],
        )
    ],
)
@api_view(["GET"])
def alert_list(request: Request) -> Response:
    alerts = Alert.objects.visible_to(api_user(request)).order_by("-created_at", "-id")
    params = request.query_params
    if params.get("kind") in AlertKind.values:
        alerts = alerts.filter(kind=params["kind"])
    if params.get("discharge", "").isdigit():
        alerts = alerts.filter(discharge_id=int(params["discharge"]))
    if params.get("open") in ("true", "false"):
        alerts = alerts.filter(resolved_at__isnull=params["open"] == "true")
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(alerts, request)
    return paginator.get_paginated_response(AlertOutput(page, many=True).data)
