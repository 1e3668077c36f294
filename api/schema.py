"""The OpenAPI schema documents the errors every operation can answer with, in the one error
shape of ``api.errors``, so a client (and the schema fuzzing) knows every status it may see."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

# API.md: creating POSTs accept this header; the same key from the same user returns the first
# answer again and writes nothing more (``handover.idempotency``). Visible ASCII, as the IETF
# draft on the header and Stripe's keys (a UUID fits).
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_KEY_PATTERN = rf"^[!-~]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}$"
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {
        "type": "string",
        "minLength": 1,
        "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
        "pattern": IDEMPOTENCY_KEY_PATTERN,
    },
    OpenApiParameter.HEADER,
    description=_(
        "Valgfri nøgle (fx et UUID), som gør forespørgslen sikker at gentage: samme nøgle fra "
        "samme bruger inden for nøglens levetid (som standard 24 timer) giver det første svar "
        "igen (med headeren `Idempotent-Replayed: true`) og skriver intet mere. Kun svar, der "
        "lykkedes (2xx), gemmes; efter en fejl kan nøglen bruges igen. Samme nøgle med en anden "
        "sti eller et andet indhold giver 422. En gentagelse, der kommer, mens den første "
        "stadig kører, venter på den og får dens svar."
    ),
)


class ErrorOutput(serializers.Serializer[Any]):
    """``{"detail": "...", "errors": {"field": ["message"]}}`` (see ``api.errors``)."""

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
    def get_auth(self) -> list[dict[str, Any]]:
        # An operation anyone may call (signing in) names no requirement rather than an empty
        # one, so that generated clients call it without a token.
        auth: list[dict[str, Any]] = super().get_auth()
        return [] if auth == [{}] else auth

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        places = {parameter["in"] for parameter in parameters}
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
        if (IDEMPOTENCY_HEADER, "header") in {(p["name"], p["in"]) for p in parameters}:
            errors["422"] = "Idempotency-Key er brugt til en anden forespørgsel"
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
