"""Limit/offset pages for the list endpoints, strict about their parameters and described as
such in the schema."""

import re
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
    # Far beyond any list's length, and small enough for every database's OFFSET.
    max_offset = 10**9

    def _number(self, request: Request, name: str, default: int | None) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return default
        # ASCII digits only: str.isdigit() is true for "²", which int() cannot read, and
        # int() reads Arabic-Indic digits, which no client means.
        if len(values) > 1 or not re.fullmatch(r"[0-9]+", values[0]):
            raise ValidationError({name: [_("Skal være et helt tal, 0 eller større.")]})
        digits = values[0].lstrip("0") or "0"
        # Past 18 digits a number is beyond every maximum (and int() refuses thousands).
        return int(digits) if len(digits) <= 18 else 10**18

    def get_limit(self, request: Request) -> int | None:
        limit = self._number(request, self.limit_query_param, self.default_limit)
        if limit is not None and not 1 <= limit <= self.max_limit:
            message = _("Skal være mellem 1 og %(max)d.") % {"max": self.max_limit}
            raise ValidationError({self.limit_query_param: [message]})
        return limit

    def get_offset(self, request: Request) -> int:
        offset = self._number(request, self.offset_query_param, 0) or 0
        if offset > self.max_offset:
            message = _("Skal være mellem 0 og %(max)d.") % {"max": self.max_offset}
            raise ValidationError({self.offset_query_param: [message]})
        return offset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            is_limit = parameter["name"] == self.limit_query_param
            parameter["schema"]["minimum"] = 1 if is_limit else 0
            parameter["schema"]["maximum"] = self.max_limit if is_limit else self.max_offset
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
