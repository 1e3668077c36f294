"""Shapes of the look-up and call endpoints (API.md "Look-up", calls)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from handover.models import Call, CallerRole, CallOutcome, PhoneLine, Status
from handover.serializers import TEXT_LIMIT, AwareDateTimeField, CPRField


class PurposeField(serializers.CharField):
    """A stated purpose: text only (DRF's CharField would take the number 0 for "0", and the
    schema promises a string)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class LookupInput(serializers.Serializer[Any]):
    cpr = CPRField(help_text="DDMMÅÅ-XXXX, bindestreg valgfri")
    reason = PurposeField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Formålet med opslaget, som adgangsloggen gemmer. Påkrævet for almen praksis "
            "(rollen gp); må ikke indeholde et CPR-nummer."
        ),
    )


class LookupHospital(serializers.Serializer[Any]):
    name = serializers.CharField()
    central_phone = serializers.CharField()


class LookupWard(serializers.Serializer[Any]):
    name = serializers.CharField()
    hospital = LookupHospital()


class LookupDischarge(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    ward = LookupWard()
    phone_now = serializers.CharField(
        help_text="Nummeret at ringe til nu: det, afdelingen dokumenterede for udskrivelsen."
    )
    phone_now_kind = serializers.ChoiceField(
        choices=["day", "on_call", "override", "extended", "direct"],
        help_text="direct: et direkte nummer dokumenteret af afdelingen, ikke en af dens linjer.",
    )
    phone_now_reason = serializers.CharField(help_text="Hvorfor netop det nummer, på dansk.")
    contact_phone = serializers.CharField(
        help_text="Nummeret afdelingen dokumenterede (det samme som papirerne og patientkortet)."
    )
    phone_line = serializers.ChoiceField(choices=PhoneLine.choices, allow_blank=True)
    day_phone = serializers.CharField()
    on_call_phone = serializers.CharField()
    responsibility_ends_at = serializers.DateTimeField()
    hours_remaining = serializers.FloatField()
    treatment_plan = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    suspended_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Tidspunktet for et 112-opkald i perioden: præhospitalet har overtaget.",
    )


class LookupOutput(serializers.Serializer[Any]):
    covered = serializers.BooleanField()
    discharge = LookupDischarge(required=False)
    advice = serializers.CharField(required=False)


class CallInput(serializers.Serializer[Any]):
    received_at = AwareDateTimeField()
    caller_role = serializers.ChoiceField(choices=CallerRole.choices)
    caller_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    caller_organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    note = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )


class CallOutput(serializers.ModelSerializer[Call]):
    suggested_incident = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "discharge",
            "received_at",
            "caller_role",
            "caller_name",
            "caller_organisation",
            "reason",
            "outcome",
            "note",
            "within_window",
            "suggested_incident",
        ]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_suggested_incident(self, call: Call) -> dict[str, Any] | None:
        return call.suggested_incident
