"""API-wide behaviour: one error shape for every 4xx.

Errors are ``{"detail": "...", "errors": {"field": ["message"]}}`` so that a client can show the
message a nurse can act on, and a form can mark the field.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif (
        isinstance(errors, list) and errors and all(not isinstance(e, dict | list) for e in errors)
    ):
        flat[prefix or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("Forespørgslen er for stor."), "errors": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"detail": str(data["detail"]), "errors": {}}
    else:
        errors = _flatten(data)
        first = next(iter(errors.values()), [_("Ugyldige data.")])[0]
        detail = first if set(errors) == {"non_field_errors"} else _("Ugyldige data.")
        response.data = {"detail": detail, "errors": errors}
    return response
