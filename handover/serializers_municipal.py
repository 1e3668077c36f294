"""Shapes of the look-up and call endpoints (API.md "Look-up", calls)."""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from handover.models import Call, CallerRole, CallOutcome, Status
from handover.serializers import TEXT_LIMIT, AwareDateTimeField, CPRField


class LookupInput(serializers.Serializer[Any]):
    cpr = CPRField(help_text="DDMMÅÅ-XXXX, bindestreg valgfri")

    @classmethod
    def cpr_of(cls, data: Any) -> str:
        """The body's CPR number, validated as ``is_valid`` would, with the same errors, but
        by the declared field itself: a serializer copies its fields for every request, and
        that copy cost the look-up more than its query."""
        if not isinstance(data, Mapping):
            message = cls.default_error_messages["invalid"].format(datatype=type(data).__name__)
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid"
            )
        try:
            return cls._declared_fields["cpr"].run_validation(data.get("cpr", empty))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"cpr": error.detail}) from error


class LookupHospital(serializers.Serializer[Any]):
    name = serializers.CharField()
    central_phone = serializers.CharField()


class LookupWard(serializers.Serializer[Any]):
    name = serializers.CharField()
    hospital = LookupHospital()


class LookupDischarge(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    ward = LookupWard()
    phone_now = serializers.CharField()
    phone_now_kind = serializers.ChoiceField(choices=["day", "on_call", "override"])
    day_phone = serializers.CharField()
    on_call_phone = serializers.CharField()
    responsibility_ends_at = serializers.DateTimeField()
    hours_remaining = serializers.FloatField()
    treatment_plan = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


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
