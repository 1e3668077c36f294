from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request

from api.examples import response
from api.query import QueryId, query
from contacts.examples import WARD
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


class WardQuery(serializers.Serializer[Any]):
    hospital = QueryId(help_text="Hospital id")
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Search in ward and hospital names",
    )


@extend_schema(
    tags=["directory"],
    examples=[response("Wards", [WARD])],
    parameters=[WardQuery],
)
class WardList(generics.ListAPIView[Ward]):
    """Active wards with both numbers and the one to call right now."""

    serializer_class = WardSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Ward]:
        wards = Ward.objects.active().with_directory(self.at)
        params = query(self.request.query_params, WardQuery)
        if "hospital" in params:
            wards = wards.filter(hospital_id=params["hospital"])
        text = params.get("q", "").strip()
        if text:
            wards = wards.filter(Q(name__icontains=text) | Q(hospital__name__icontains=text))
        return wards

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.at = timezone.now()  # one moment for the whole list

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "at": self.at}
