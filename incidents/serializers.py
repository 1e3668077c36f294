"""Shapes of the incidents and statistics API (API.md "Incidents")."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.query import QueryId
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
from incidents.stats import INCIDENTS_HAVE_NO_WARD


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


class KpiFigures(serializers.Serializer[Any]):
    """Seed 003's KPI for a set of discharges: the covered discharges with 96 hours of
    responsibility that were not cancelled (``covered``), and those whose epikrise and whose
    udskrivningsrapport held the treatment plan with contact details no later than
    ``grace_minutes`` after the discharge: confirmed by the ward, or for the udskrivningsrapport by
    a CareCommunication sent with the plan and the number. ``documented`` needs both documents.
    Covered discharges with a window of another length (72 hours) are counted apart
    (``other_windows``) and in no rate."""

    covered = serializers.IntegerField(
        help_text=_(
            "Omfattede udskrivelser med 96 timers behandlingsansvar, ikke annullerede: nævneren."
        )
    )
    documented = serializers.IntegerField(
        help_text=_("Heraf med både epikrise og udskrivningsrapport bekræftet i tide.")
    )
    rate = serializers.FloatField(allow_null=True, help_text=_("documented / covered."))
    epikrise_confirmed = serializers.IntegerField(
        help_text=_(
            "Heraf med plan og kontaktoplysninger i epikrisen, bekræftet af afdelingen senest "
            "KPI_GRACE_MINUTES efter udskrivelsen."
        )
    )
    epikrise_rate = serializers.FloatField(allow_null=True)
    discharge_report_confirmed = serializers.IntegerField(
        help_text=_(
            "Heraf med plan og kontaktoplysninger i udskrivningsrapporten, bekræftet af "
            "afdelingen eller ved en sendt korrespondancemeddelelse, senest KPI_GRACE_MINUTES "
            "efter udskrivelsen."
        )
    )
    discharge_report_rate = serializers.FloatField(allow_null=True)
    other_windows = serializers.IntegerField(
        help_text=_(
            "Omfattede udskrivelser med et andet antal timer (72), ikke annullerede: "
            "tælles for sig, ikke i nogen rate."
        )
    )


class WardRate(KpiFigures):
    ward = serializers.CharField()
    ward_id = serializers.IntegerField()


class MonthRate(KpiFigures):
    month = serializers.CharField()


class ClusterRate(KpiFigures):
    cluster = serializers.CharField(
        help_text=_("Sundhedsklyngen for den kommune, der udskrives til.")
    )
    cluster_code = serializers.CharField(
        allow_null=True, help_text=_("Klyngens kode; null for kommuner uden sundhedsklynge.")
    )


class ComplianceOutput(KpiFigures):
    target = serializers.FloatField(help_text=_("Målet for hver af de to rater (seed 003)."))
    window_hours = serializers.IntegerField(help_text=_("Behandlingsansvaret, målet gælder."))
    grace_minutes = serializers.IntegerField(
        help_text=_(
            "Minutter efter udskrivelsen, en bekræftelse stadig tæller (KPI_GRACE_MINUTES)."
        )
    )
    by_ward = WardRate(many=True)
    by_month = MonthRate(many=True)
    by_cluster = ClusterRate(many=True)


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
    red_flags_within_window = serializers.IntegerField(
        help_text=_(
            "Opkald henvist til egen læge eller uden svar, mens hospitalet havde "
            "behandlingsansvaret: de røde flag, som foreslår en hændelsesrapport."
        )
    )
    by_week = WeekCount(many=True)


class StatsQuery(serializers.Serializer[Any]):
    """The statistics' filters: a date range (Europe/Copenhagen days, both included) and the
    organisations, always within the caller's own scope: an organisation outside it gives
    figures of zero, never another scope's figures."""

    to = serializers.DateField(
        required=False, help_text=_("Sidste dag, medregnet (dansk tid). Standard: i dag.")
    )
    hospital = QueryId(help_text=_("Kun dette hospital (id). Uden for brugerens område: nul."))
    ward = QueryId(help_text=_("Kun denne afdeling (id). Uden for brugerens område: nul."))
    municipality = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4,
        help_text=_("Kun denne kommune (kommunekode, fx 163). Uden for brugerens område: nul."),
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `from` is a Python keyword, so it cannot be declared in the class body.
        first_day = serializers.DateField(
            required=False,
            help_text=_(
                "Første dag, medregnet (dansk tid). Standard: 1. i måneden for 11 måneder siden."
            ),
        )
        return {"from": first_day, **super().get_fields()}

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in ("from", "to"):
            if name in data and not 2000 <= data[name].year <= 2999:
                raise serializers.ValidationError({name: [_("Datoen ligger uden for 2000–2999.")]})
        if "from" in data and "to" in data and data["to"] < data["from"]:
            raise serializers.ValidationError({"to": [_("Slutdatoen ligger før startdatoen.")]})
        return data


class IncidentStatsQuery(StatsQuery):
    """The incident figures' filters. ``ward`` is refused, not ignored: a report records the
    hospital and municipality it concerns, not a ward, and figures that silently covered the
    whole hospital would be read as the ward's."""

    ward = QueryId(
        help_text=_(
            "Afvises med 400: en rapport registrerer hospital og kommune, ikke afdeling. "
            "Brug hospital."
        )
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("ward") is not None:
            raise serializers.ValidationError({"ward": [INCIDENTS_HAVE_NO_WARD]})
        return super().validate(data)
