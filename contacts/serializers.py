from datetime import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contacts.models import Hospital, Municipality, Ward


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    region = serializers.IntegerField(source="region_id")

    class Meta:
        model = Municipality
        fields = ["code", "name", "region"]


class HospitalSerializer(serializers.ModelSerializer[Hospital]):
    region = serializers.IntegerField(source="region_id")
    central_phone = serializers.CharField()

    class Meta:
        model = Hospital
        fields = ["id", "name", "region", "central_phone"]


class WardSerializer(serializers.ModelSerializer[Ward]):
    """A ward with the number that is right at the moment in the serializer context ``at``."""

    hospital = HospitalSerializer()
    day_phone = serializers.CharField()
    on_call_phone = serializers.CharField()
    phone_now = serializers.SerializerMethodField()
    phone_now_kind = serializers.SerializerMethodField()

    class Meta:
        model = Ward
        fields = [
            "id",
            "name",
            "sor_code",
            "kind",
            "hospital",
            "day_phone",
            "on_call_phone",
            "phone_now",
            "phone_now_kind",
        ]

    def _at(self) -> datetime:
        return self.context["at"]

    def get_phone_now(self, ward: Ward) -> str:
        return ward.phone_at(self._at()).phone

    @extend_schema_field(serializers.ChoiceField(choices=["day", "on_call", "override"]))
    def get_phone_now_kind(self, ward: Ward) -> str:
        return ward.phone_at(self._at()).kind
