"""Shapes of the incidents and statistics API (API.md "Incidents")."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.query import QueryId
from handover.serializers import TEXT_LIMIT, AwareDateTimeField
from incidents.models import (
    Category,
    Incident,
    IncidentStatus,
    LearningAction,
    PlaceKind,
    Precision,
    RejectionReason,
    Severity,
)


class PlaceInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    id = serializers.CharField(max_length=200)


class InvolvedInput(PlaceInput):
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class IncidentInput(serializers.Serializer[Any]):
    occurred_at = AwareDateTimeField()
    occurred_at_precision = serializers.ChoiceField(choices=Precision.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=TEXT_LIMIT)
    consequences = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )
    prevention = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )
    category = serializers.ChoiceField(choices=Category.choices)
    actual_consequence = serializers.ChoiceField(choices=Severity.choices)
    possible_consequence = serializers.ChoiceField(choices=Severity.choices)
    place_of_occurrence = PlaceInput()
    involved_organisations = InvolvedInput(many=True, required=False, default=list)
    discharge = serializers.IntegerField(required=False, allow_null=True, default=None)


class LearningInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=TEXT_LIMIT)
    owner = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    done = serializers.BooleanField(default=False)


class TransitionInput(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=[s for s in IncidentStatus.choices if s[0] != "received"])
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, allow_blank=True, default=""
    )
    classification = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    dpsd_case_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, allow_blank=True, default=""
    )
    transferred_to = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    learning = LearningInput(many=True, required=False, default=list)


class LearningOutput(serializers.ModelSerializer[LearningAction]):
    class Meta:
        model = LearningAction
        fields = ["text", "owner", "due_date", "done"]


class IncidentOutput(serializers.ModelSerializer[Incident]):
    place_of_occurrence = serializers.SerializerMethodField()
    involved_organisations = serializers.SerializerMethodField()
    learning = LearningOutput(many=True, source="learning_actions")
    reporter = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "occurred_at",
            "occurred_at_precision",
            "title",
            "description",
            "consequences",
            "prevention",
            "category",
            "actual_consequence",
            "possible_consequence",
            "place_of_occurrence",
            "involved_organisations",
            "discharge",
            "status",
            "cross_sector",
            "severity",
            "classification",
            "dpsd_case_number",
            "rejection_reason",
            "transferred_to",
            "learning",
            "reporter",
            "created_at",
        ]

    def get_place_of_occurrence(self, incident: Incident) -> dict[str, str]:
        return {"kind": incident.place_kind, "name": incident.place_name}

    def get_involved_organisations(self, incident: Incident) -> list[dict[str, str]]:
        return [{"kind": o.kind, "name": o.name, "role": o.role} for o in incident.involved.all()]

    def get_reporter(self, incident: Incident) -> str | None:
        """The reporter's identity is for risk managers only (blame-free reporting)."""
        viewer = self.context["viewer"]
        if viewer.is_risk_manager or viewer.is_admin_role:
            return incident.reporter.get_full_name() or incident.reporter.username
        return None


class WardRate(serializers.Serializer[Any]):
    ward = serializers.CharField()
    ward_id = serializers.IntegerField()
    covered = serializers.IntegerField()
    documented = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class MonthRate(serializers.Serializer[Any]):
    month = serializers.CharField()
    covered = serializers.IntegerField()
    documented = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ComplianceOutput(serializers.Serializer[Any]):
    target = serializers.FloatField()
    covered = serializers.IntegerField()
    documented = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    by_ward = WardRate(many=True)
    by_month = MonthRate(many=True)


class MonthCount(serializers.Serializer[Any]):
    month = serializers.CharField()
    incidents = serializers.IntegerField()


class OpenByAge(serializers.Serializer[Any]):
    under_7_days = serializers.IntegerField()
    from_7_to_30_days = serializers.IntegerField()
    over_30_days = serializers.IntegerField()


class IncidentStatsOutput(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    by_severity = serializers.DictField(child=serializers.IntegerField())
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_month = MonthCount(many=True)
    open_by_age = OpenByAge()
    cross_sector_share = serializers.FloatField(allow_null=True)


class WeekCount(serializers.Serializer[Any]):
    week = serializers.CharField()
    calls = serializers.IntegerField()


class CallStatsOutput(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_outcome = serializers.DictField(child=serializers.IntegerField())
    by_caller_role = serializers.DictField(child=serializers.IntegerField())
    referred_to_gp_within_window = serializers.IntegerField()
    by_week = WeekCount(many=True)


class StatsQuery(serializers.Serializer[Any]):
    """The statistics' filters: a date range (Europe/Copenhagen days, both included) and the
    organisations, always within the caller's own scope."""

    to = serializers.DateField(required=False)
    hospital = QueryId()
    ward = QueryId()
    municipality = serializers.CharField(required=False, allow_blank=True, max_length=4)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `from` is a Python keyword, so it cannot be declared in the class body.
        return {"from": serializers.DateField(required=False), **super().get_fields()}

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in ("from", "to"):
            if name in data and not 2000 <= data[name].year <= 2999:
                raise serializers.ValidationError({name: [_("Datoen ligger uden for 2000–2999.")]})
        if "from" in data and "to" in data and data["to"] < data["from"]:
            raise serializers.ValidationError({"to": [_("Slutdatoen ligger før startdatoen.")]})
        return data
