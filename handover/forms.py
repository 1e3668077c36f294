"""HTML forms for ward staff. Shape and field errors only; the services decide."""

from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from contacts.models import Municipality, Ward
from handover import rules
from handover.models import Destination, EndReason

TEXT_LIMIT = 10_000

PLAN_PROMPT = _(
    "Hvad skal kommunen observere? Hvad skal der gøres, hvis det sker? Ændringer i medicin?"
)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CPRFormField(forms.CharField):
    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return rules.parse_cpr(text).number
        except rules.InvalidCPR as error:
            raise forms.ValidationError(str(error)) from error


class DischargeForm(forms.Form):
    """The ward nurse's discharge report. Times are entered in Danish local time."""

    cpr = CPRFormField(
        label=_("CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Patientens navn"), max_length=200)
    ward = forms.ModelChoiceField(label=_("Afdeling"), queryset=Ward.objects.none())
    admitted_at = forms.DateTimeField(label=_("Indlagt"), widget=LocalDateTimeInput())
    discharged_at = forms.DateTimeField(label=_("Udskrevet"), widget=LocalDateTimeInput())
    destination = forms.ChoiceField(label=_("Udskrives til"), choices=Destination.choices)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.order_by("name")
    )
    finished = forms.BooleanField(label=_("Færdigbehandlet"), required=False, initial=True)
    treatment_plan = forms.CharField(
        label=_("Lægefaglig behandlingsplan"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": PLAN_PROMPT}),
        help_text=PLAN_PROMPT,
    )
    contact_phone = PhoneNumberField(
        label=_("Kontakttelefon"),
        required=False,
        help_text=_("Tomt felt: afdelingens vagttelefon."),
    )
    patient_informed = forms.BooleanField(
        label=_("Patient og pårørende er informeret"), required=False
    )

    def __init__(self, *args: Any, hospital_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ward_field = cast(forms.ModelChoiceField, self.fields["ward"])
        ward_field.queryset = Ward.objects.active().filter(hospital_id=hospital_id or 0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admitted, discharged = data.get("admitted_at"), data.get("discharged_at")
        if admitted and discharged and discharged <= admitted:
            self.add_error("discharged_at", _("Udskrivelsen skal ligge efter indlæggelsen."))
        limit = timezone.now() + settings.HANDOVER_MAX_FUTURE_DISCHARGE
        if discharged and discharged > limit:
            self.add_error(
                "discharged_at", _("Udskrivelsen kan højst ligge en time ude i fremtiden.")
            )
        return data


def default_times() -> dict[str, datetime]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"discharged_at": now, "admitted_at": now - timedelta(days=3)}


class DocumentForm(forms.Form):
    treatment_plan = forms.CharField(
        label=_("Lægefaglig behandlingsplan"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": PLAN_PROMPT}),
    )
    contact_phone = PhoneNumberField(label=_("Kontakttelefon"), required=False)
    patient_informed = forms.BooleanField(
        label=_("Patient og pårørende er informeret"), required=False
    )
    destination = forms.ChoiceField(label=_("Udskrives til"), choices=Destination.choices)


class ExtendForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Forlæng med (timer)"),
        min_value=1,
        max_value=settings.HANDOVER_EXTENSION_MAX_HOURS,
        initial=24,
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fx: patienten er ikke klinisk stabil."),
    )


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Årsag"), choices=EndReason.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
