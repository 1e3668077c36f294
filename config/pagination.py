"""Limit/offset pages for the list endpoints, strict about their parameters and described as
such in the schema."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` and ``offset`` must be whole numbers (DRF silently falls back otherwise)."""

    max_limit = 500

    def _number(self, request: Request, name: str, default: int | None) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return default
        if len(values) > 1 or not values[0].isdigit():
            raise ValidationError({name: [_("Skal være et helt tal, 0 eller større.")]})
        return int(values[0])

    def get_limit(self, request: Request) -> int | None:
        limit = self._number(request, self.limit_query_param, self.default_limit)
        if limit is not None and not 1 <= limit <= self.max_limit:
            message = _("Skal være mellem 1 og %(max)d.") % {"max": self.max_limit}
            raise ValidationError({self.limit_query_param: [message]})
        return limit

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            minimum = 1 if parameter["name"] == self.limit_query_param else 0
            parameter["schema"]["minimum"] = minimum
            if minimum:
                parameter["schema"]["maximum"] = self.max_limit
        return parameters


def paginated(view: Any) -> Any:
    """Mark an ``@api_view`` as a paginated list, so drf-spectacular wraps its list responses,
    examples and query parameters in the page the endpoint really returns."""
    view.cls.pagination_class = StrictLimitOffsetPagination
    return view


def page_response(
    request: Request, rows: QuerySet[Any], serialize: Callable[[list[Any]], Iterable[Any]]
) -> Response:
    paginator = StrictLimitOffsetPagination()
    page = paginator.paginate_queryset(rows, request) or []
    return paginator.get_paginated_response(serialize(page))
