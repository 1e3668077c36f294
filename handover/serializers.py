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
    ConfirmedBy,
    Destination,
    Discharge,
    DocumentationItem,
    EndReason,
    Extension,
    NotCoveredReason,
    PhoneLine,
    Status,
)

TEXT_LIMIT = 10_000
PHONE_HELP = _(
    "Hvilket nummer afdelingen dokumenterer: en af afdelingens linjer (uden contact_phone), "
    "dagtelefonen i dagtid og ellers vagttelefonen (by_clock), eller et direkte nummer i "
    "contact_phone. Et contact_phone, der er en af afdelingens linjer, bliver den linje. Uden "
    "begge: afdelingens vagttelefon."
)


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
    phone_line = serializers.ChoiceField(
        choices=PhoneLine.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=PHONE_HELP,
    )
    patient_informed = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_municipality(self, code: str) -> Municipality:
        try:
            return Municipality.objects.get(code=Municipality.normalise_code(code))
        except Municipality.DoesNotExist as error:
            raise serializers.ValidationError(_("Ukendt kommunekode.")) from error


class DischargeUpdateInput(serializers.Serializer[Any]):
    treatment_plan = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    contact_phone = PhoneNumberField(required=False, allow_blank=True)
    phone_line = serializers.ChoiceField(
        choices=PhoneLine.choices, required=False, allow_blank=True, help_text=PHONE_HELP
    )
    patient_informed = serializers.BooleanField(required=False)
    destination = serializers.ChoiceField(choices=Destination.choices, required=False)
    epikrise_confirmed = serializers.BooleanField(
        required=False,
        help_text=_(
            "true: afdelingen bekræfter nu, at behandlingsplanen med kontaktoplysninger står i "
            "epikrisen. Kræver behandlingsplan og kontakttelefon; det første tidspunkt gælder."
        ),
    )
    discharge_report_confirmed = serializers.BooleanField(
        required=False,
        help_text=_(
            "true: afdelingen bekræfter nu, at behandlingsplanen med kontaktoplysninger står i "
            "udskrivningsrapporten. Kræver behandlingsplan og kontakttelefon; det første "
            "tidspunkt gælder."
        ),
    )

    def _only_true(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("En bekræftelse kan ikke trækkes tilbage."))
        return value

    def validate_epikrise_confirmed(self, value: bool) -> bool:
        return self._only_true(value)

    def validate_discharge_report_confirmed(self, value: bool) -> bool:
        return self._only_true(value)


class ExtendInput(serializers.Serializer[Any]):
    hours = serializers.IntegerField(min_value=1, max_value=settings.HANDOVER_EXTENSION_MAX_HOURS)
    reason = serializers.CharField(max_length=TEXT_LIMIT)


class EndInput(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    note = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )


class PatientOutput(serializers.Serializer[Any]):
    """The discharge's citizen, with the name its own ward documented."""

    cpr_masked = serializers.CharField(source="patient.cpr_masked")
    name = serializers.CharField(source="patient_name")


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
    missing = serializers.ListField(child=serializers.ChoiceField(choices=DocumentationItem.values))


class DischargeOutput(serializers.ModelSerializer[Discharge]):
    """The discharge resource. Expects ``with_related()`` and prefetched extensions and alerts."""

    patient = PatientOutput(source="*")
    ward = WardSerializer()
    municipality = MunicipalitySerializer()
    destination = serializers.CharField()
    not_covered_reason = serializers.SerializerMethodField()
    window_hours = serializers.IntegerField(allow_null=True, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices)
    contact_phone = serializers.CharField()
    phone_line = serializers.ChoiceField(choices=PhoneLine.choices, allow_blank=True)
    documentation = serializers.SerializerMethodField()
    discharge_report_confirmed_via = serializers.SerializerMethodField()
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
            "phone_line",
            "patient_informed",
            "documentation",
            "epikrise_confirmed_at",
            "discharge_report_confirmed_at",
            "discharge_report_confirmed_via",
            "extensions",
            "alerts",
            "source",
            "end_reason",
            "ended_at",
            "suspended_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=NotCoveredReason.choices, allow_null=True))
    def get_not_covered_reason(self, discharge: Discharge) -> str | None:
        return discharge.not_covered_reason or None

    @extend_schema_field(serializers.ChoiceField(choices=ConfirmedBy.choices, allow_null=True))
    def get_discharge_report_confirmed_via(self, discharge: Discharge) -> str | None:
        return discharge.discharge_report_confirmed_via or None

    @extend_schema_field(DocumentationOutput)
    def get_documentation(self, discharge: Discharge) -> dict[str, Any]:
        missing = discharge.missing_documentation
        return {"complete": not missing, "missing": missing}
