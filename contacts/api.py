from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request

from config.examples import WARD, response
from contacts.models import Municipality, Ward
from contacts.serializers import MunicipalitySerializer, WardSerializer


@extend_schema(
    tags=["directory"],
    examples=[response("Municipalities", [{"code": "101", "name": "København", "region": 1084}])],
)
class MunicipalityList(generics.ListAPIView[Municipality]):
    """The 98 municipalities with their official code and region."""

    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.order_by("code")
    pagination_class = None


@extend_schema(
    tags=["directory"],
    examples=[response("Wards", [WARD])],
    parameters=[
        OpenApiParameter("hospital", OpenApiTypes.INT, description="Hospital id"),
        OpenApiParameter("q", OpenApiTypes.STR, description="Search in ward and hospital names"),
    ],
)
class WardList(generics.ListAPIView[Ward]):
    """Active wards with both numbers and the one to call right now."""

    serializer_class = WardSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Ward]:
        wards = Ward.objects.active().with_directory(self.at)
        hospital = self.request.query_params.get("hospital", "")
        if hospital.isdigit():
            wards = wards.filter(hospital_id=int(hospital))
        query = self.request.query_params.get("q", "").strip()
        if query:
            wards = wards.filter(Q(name__icontains=query) | Q(hospital__name__icontains=query))
        return wards

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.at = timezone.now()  # one moment for the whole list

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "at": self.at}
