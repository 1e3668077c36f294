"""The product's URLs plus a bare Django view doing one indexed query: the look-up's baseline."""

import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_lookup(request: HttpRequest) -> JsonResponse:
    cpr = json.loads(request.body)["cpr"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.responsibility_ends_at FROM handover_discharge d "
            "JOIN handover_patient p ON p.id = d.patient_id WHERE p.cpr = %s "
            "AND d.status IN ('active', 'extended') LIMIT 1",
            [cpr],
        )
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None})


urlpatterns = [
    path("bench/bare-lookup/", bare_lookup),
    path("", include("config.urls")),
]
