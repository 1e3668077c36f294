"""The OpenAPI schema documents the errors every operation can answer with, in the one error
shape of ``config.api``, so a client (and the schema fuzzing) knows every status it may see."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorOutput(serializers.Serializer[Any]):
    """``{"detail": "...", "errors": {"field": ["message"]}}`` (see ``config.api``)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `errors` is a Serializer attribute, so the field cannot be declared in the class body.
        return {
            "detail": serializers.CharField(help_text=_("Beskeden, som brugeren kan handle på.")),
            "errors": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text=_("Fejl pr. felt; tom når fejlen ikke handler om et felt."),
            ),
        }


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class ApiSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        places = {parameter["in"] for parameter in operation.get("parameters", [])}
        errors = {}
        if "requestBody" in operation or "query" in places:
            errors["400"] = "Ugyldige data"
        if {} not in operation.get("security", [{}]):
            errors["401"] = "Ikke logget ind"
            errors["403"] = "Rollen må ikke bruge handlingen"
        if "path" in places:
            errors["404"] = "Findes ikke inden for brugerens område"
        if self.method in WRITES:
            errors["409"] = "Strider mod den nuværende tilstand"
        if "requestBody" in operation:
            errors["413"] = "Forespørgslen er for stor"
            errors["415"] = "Ukendt indholdstype"
        reference = self.resolve_serializer(ErrorOutput, "response").ref
        for code, description in errors.items():
            operation["responses"].setdefault(
                code,
                {
                    "content": {"application/json": {"schema": reference}},
                    "description": description,
                },
            )
        return operation
