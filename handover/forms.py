"""HTML forms for ward staff. Shape and field errors only; the services decide."""

from datetime import datetime, timedelta
from datetime import timezone as fixed_offset
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from contacts.models import Municipality, Ward
from handover import rules
from handover.models import Destination, DischargeDocument, EndReason, PhoneLine, Status
from handover.models.discharges import OPEN_STATUSES

TEXT_LIMIT = 10_000

PLAN_PROMPT = _(
    "Hvad skal kommunen observere? Hvad skal der gøres, hvis det sker? Ændringer i medicin?"
)

# The one number every caller gets: one of the ward's lines, or a number of its own.
PHONE_LABEL = _("Telefon til behandlingsansvaret")
DIRECT_HELP = _("Kun ved direkte nummer: det nummer, kommunen og lægerne skal ringe til.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A Danish wall-clock time. On the nights the clocks change, a time that occurs twice (the
    autumn's 02:30) or not at all (the spring's) is returned naive, for the form to resolve
    with the moment the nurse picks (``ClockChangeForm``)."""

    widget = LocalDateTimeInput

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "ambiguous_timezone" or not isinstance(value, str):
                raise
            return parse_datetime(value.strip()) or forms.fields.BaseTemporalField.to_python(
                self, value
            )


# The two offsets Danish time has: a wall-clock time on a changing night is one of them.
OFFSETS = {"+02:00": timedelta(hours=2), "+01:00": timedelta(hours=1)}


class ClockChangeForm(forms.Form):
    """A form whose ``LocalDateTimeField`` times on a night the clocks change are resolved by the
    nurse: the form offers the two real moments (``clock_change``) instead of an error about
    time zones, and a second send with ``<field>_offset`` picks one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # field name → (its label, [(offset, the moment it makes)])
        self.clock_change: dict[str, tuple[str, list[tuple[str, str]]]] = {}

    def resolve_clock_changes(self, data: dict[str, Any]) -> None:
        for name, field in self.fields.items():
            value = data.get(name)
            if not isinstance(field, LocalDateTimeField) or not isinstance(value, datetime):
                continue
            if timezone.is_aware(value):
                continue
            picked = self.data.get(f"{name}_offset")
            if picked in OFFSETS:
                data[name] = value.replace(tzinfo=fixed_offset(OFFSETS[picked]))
                continue
            del data[name]
            self.clock_change[name] = (
                str(field.label),
                [
                    (offset, moment_label(value.replace(tzinfo=fixed_offset(delta))))
                    for offset, delta in OFFSETS.items()
                ],
            )
            self.add_error(
                name,
                _(
                    "Uret blev stillet om den nat: %(time)s findes to gange eller slet ikke. "
                    "Vælg det rigtige tidspunkt nedenfor."
                )
                % {"time": f"{value:%H:%M}"},
            )


def moment_label(moment: datetime) -> str:
    """ "02:30 sommertid (CEST)": a moment in Danish time, with which of the two it is in."""
    local = moment.astimezone(rules.LOCAL_TZ)
    season = _("sommertid (CEST)") if local.dst() else _("vintertid (CET)")
    return f"{local:%d-%m-%Y %H:%M} {season}"


class CPRFormField(forms.CharField):
    """A CPR number read by ``rules.parse_cpr``, the one rule every way in shares; cleaned to
    ten ASCII digits (empty when the field is optional and left empty)."""

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text and not self.required:
            return ""
        try:
            return rules.parse_cpr(text).number
        except rules.InvalidCPR as error:
            raise forms.ValidationError(str(error)) from error


class DischargeForm(ClockChangeForm):
    """The ward nurse's discharge report. Times are entered in Danish local time."""

    cpr = CPRFormField(
        label=_("CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Patientens navn"), max_length=200)
    ward = forms.ModelChoiceField(label=_("Afdeling"), queryset=Ward.objects.none())
    admitted_at = LocalDateTimeField(label=_("Indlagt"))
    discharged_at = LocalDateTimeField(label=_("Udskrevet"))
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
    phone_line = forms.ChoiceField(
        label=PHONE_LABEL, choices=PhoneLine.choices, initial=PhoneLine.ON_CALL, required=False
    )
    contact_phone = PhoneNumberField(
        label=_("Direkte nummer"), required=False, help_text=DIRECT_HELP
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
        self.resolve_clock_changes(data)
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
    phone_line = forms.ChoiceField(label=PHONE_LABEL, choices=PhoneLine.choices, required=False)
    contact_phone = PhoneNumberField(
        label=_("Direkte nummer"), required=False, help_text=DIRECT_HELP
    )
    patient_informed = forms.BooleanField(
        label=_("Patient og pårørende er informeret"), required=False
    )
    destination = forms.ChoiceField(label=_("Udskrives til"), choices=Destination.choices)


class ConfirmForm(forms.Form):
    """The ward confirms that the treatment plan with contact details is in one document."""

    document = forms.ChoiceField(choices=DischargeDocument.choices)


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


class WorklistFilter(forms.Form):
    """The worklist's filters: a status among the open ones and a ward of the hospital."""

    status = forms.ChoiceField(
        choices=[("", "")] + [(s, Status(s).label) for s in OPEN_STATUSES], required=False
    )
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False)

    def __init__(self, *args: Any, wards: QuerySet[Ward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["ward"]).queryset = wards
