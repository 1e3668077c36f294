"""Alerts within the caller's scope (API.md "Alerts")."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_reader
from api.examples import response
from api.pagination import page_response, paginated
from api.query import QueryBoolean, QueryId, query
from handover.models import Alert, AlertKind
from handover.serializers import AlertOutput


class AlertQuery(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(AlertKind.choices, required=False)
    discharge = QueryId()
    open = QueryBoolean(required=False, help_text="Only unresolved alerts")


@extend_schema(
    parameters=[AlertQuery],
    responses=AlertOutput(many=True),
    examples=[
        response(
            "Alerts",
            {
                "id": 3,
                "discharge": 481,
                "kind": "nearing_expiry",
                "created_at": "2026-11-23T23:00:00Z",
                "resolved_at": None,
            },
        )
    ],
)
@paginated
@api_view(["GET"])
def alert_list(request: Request) -> Response:
    alerts = Alert.objects.visible_to(api_reader(request)).order_by("-created_at", "-id")
    params = query(request.query_params, AlertQuery)
    if "kind" in params:
        alerts = alerts.filter(kind=params["kind"])
    if "discharge" in params:
        alerts = alerts.filter(discharge_id=params["discharge"])
    if "open" in params:
        alerts = alerts.filter(resolved_at__isnull=params["open"])
    return page_response(request, alerts, lambda page: AlertOutput(page, many=True).data)
