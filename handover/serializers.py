"""Input and output shapes of the discharges API (API.md). No domain logic: services decide."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from contacts.models import Municipality
from contacts.serializers import MunicipalitySerializer, WardSerializer
from handover import rules
from handover.models import (
    Alert,
    AlertKind,
    Destination,
    Discharge,
    EndReason,
    Extension,
    NotCoveredReason,
    Status,
)

TEXT_LIMIT = 10_000


class AwareDateTimeField(serializers.DateTimeField):
    """A datetime that must carry its offset: a naive time is ambiguous across DST."""

    default_error_messages = {
        "naive": _("Tidspunktet skal have en tidszone (fx +01:00 eller Z)."),
        "range": _("Tidspunktet skal ligge mellem år 1900 og 2999."),
    }

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str) and not _has_offset(value):
            self.fail("naive")
        moment = super().to_internal_value(value)
        if not 1900 <= moment.year <= 2999:
            self.fail("range")
        return moment


def _has_offset(text: str) -> bool:
    text = text.strip()
    if text.endswith(("Z", "z")):
        return True
    time_part = text.partition("T")[2] or text.partition(" ")[2]
    return "+" in time_part or "-" in time_part


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{6}-?[0-9]{4}$"})
class CPRField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            return rules.parse_cpr(text).number
        except rules.InvalidCPR as error:
            raise serializers.ValidationError(str(error)) from error


class PatientInput(serializers.Serializer[Any]):
    cpr = CPRField(help_text="DDMMÅÅ-XXXX, bindestreg valgfri")
    name = serializers.CharField(max_length=200)


class DischargeCreateInput(serializers.Serializer[Any]):
    patient = PatientInput()
    ward = serializers.IntegerField()
    admitted_at = AwareDateTimeField()
    discharged_at = AwareDateTimeField()
    destination = serializers.ChoiceField(choices=Destination.choices)
    municipality = serializers.CharField(max_length=4)
    finished = serializers.BooleanField(default=True)
    treatment_plan = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )
    contact_phone = PhoneNumberField(required=False, allow_blank=True, default="")
    patient_informed = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_municipality(self, code: str) -> Municipality:
        try:
            return Municipality.objects.get(code=Municipality.normalise_code(code))
        except Municipality.DoesNotExist as error:
            raise serializers.ValidationError(_("Ukendt kommunekode.")) from error


class DischargeUpdateInput(serializers.Serializer[Any]):
    treatment_plan = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    contact_phone = PhoneNumberField(required=False, allow_blank=True)
    patient_informed = serializers.BooleanField(required=False)
    destination = serializers.ChoiceField(choices=Destination.choices, required=False)


class ExtendInput(serializers.Serializer[Any]):
    hours = serializers.IntegerField(min_value=1, max_value=settings.HANDOVER_EXTENSION_MAX_HOURS)
    reason = serializers.CharField(max_length=TEXT_LIMIT)


class EndInput(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    note = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )


class PatientOutput(serializers.Serializer[Any]):
    cpr_masked = serializers.CharField()
    name = serializers.CharField()


class ExtensionOutput(serializers.ModelSerializer[Extension]):
    # Declared, so the schema does not depend on the database's integer range.
    hours = serializers.IntegerField(min_value=1)

    class Meta:
        model = Extension
        fields = ["hours", "reason", "created_at"]


class AlertOutput(serializers.ModelSerializer[Alert]):
    kind = serializers.ChoiceField(choices=AlertKind.choices)

    class Meta:
        model = Alert
        fields = ["id", "discharge", "kind", "created_at", "resolved_at"]


class DocumentationOutput(serializers.Serializer[Any]):
    complete = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.ChoiceField(
            choices=["treatment_plan", "contact_phone", "patient_informed", "destination"]
        )
    )


class DischargeOutput(serializers.ModelSerializer[Discharge]):
    """The discharge resource. Expects ``with_related()`` and prefetched extensions and alerts."""

    patient = PatientOutput()
    ward = WardSerializer()
    municipality = MunicipalitySerializer()
    destination = serializers.CharField()
    not_covered_reason = serializers.SerializerMethodField()
    window_hours = serializers.IntegerField(allow_null=True, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices)
    contact_phone = serializers.CharField()
    documentation = serializers.SerializerMethodField()
    extensions = ExtensionOutput(many=True)
    alerts = AlertOutput(many=True)

    class Meta:
        model = Discharge
        fields = [
            "id",
            "patient",
            "ward",
            "municipality",
            "admitted_at",
            "discharged_at",
            "destination",
            "finished",
            "covered",
            "not_covered_reason",
            "window_hours",
            "responsibility_ends_at",
            "status",
            "treatment_plan",
            "contact_phone",
            "patient_informed",
            "documentation",
            "extensions",
            "alerts",
            "source",
            "end_reason",
            "ended_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=NotCoveredReason.choices, allow_null=True))
    def get_not_covered_reason(self, discharge: Discharge) -> str | None:
        return discharge.not_covered_reason or None

    @extend_schema_field(DocumentationOutput)
    def get_documentation(self, discharge: Discharge) -> dict[str, Any]:
        missing = documentation_missing(discharge)
        return {"complete": not missing, "missing": missing}


def documentation_missing(discharge: Discharge) -> list[str]:
    return rules.missing_documentation(
        treatment_plan=discharge.treatment_plan,
        has_contact_phone=bool(discharge.contact_phone),
        patient_informed=discharge.patient_informed,
        destination=discharge.destination,
    )
