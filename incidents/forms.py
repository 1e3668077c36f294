"""The incident report form and where a report may say it happened."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from api.query import MAX_ID
from contacts.models import Hospital, Municipality, Region, Ward
from handover.forms import LocalDateTimeInput
from handover.models import Discharge
from incidents.models import Category, Precision, Severity

Choice = tuple[str, str]
# A flat choice, or a group of them (Django renders an <optgroup>, or a labelled group of boxes).
Choices = list[tuple[str, Any]]


def _municipality_choice(municipality: Municipality) -> Choice:
    return (f"municipality:{municipality.code}", _("%(name)s Kommune") % {"name": municipality})


def likely_places(user: User, discharge: Discharge | None) -> list[Choice]:
    """The places a reporter most likely means: her own organisation and the discharge's."""
    choices: list[Choice] = []
    if user.ward_id:
        choices.append((f"ward:{user.ward_id}", str(user.ward)))
    if user.hospital_id:
        choices.append((f"hospital:{user.hospital_id}", str(user.hospital)))
    if user.municipality is not None:
        choices.append(_municipality_choice(user.municipality))
    if discharge is not None:
        choices.append((f"ward:{discharge.ward_id}", str(discharge.ward)))
        choices.append(_municipality_choice(discharge.municipality))
    return list(dict.fromkeys(choices))


def region_places(region_id: int | None, leave_out: set[str]) -> Choices:
    """Every hospital with its wards, then every municipality, of the region (all of them for
    someone with no region): a stand-alone report names the hospital or ward it is about even
    when the reporter works elsewhere, and a risk manager names the organisations involved."""
    hospitals = Hospital.objects.order_by("name")
    wards = Ward.objects.active().order_by("name")
    municipalities = Municipality.objects.order_by("name")
    if region_id is not None:
        hospitals = hospitals.filter(region_id=region_id)
        wards = wards.filter(hospital__region_id=region_id)
        municipalities = municipalities.filter(region_id=region_id)
    by_hospital: dict[int, list[Choice]] = {}
    for ward in wards:
        by_hospital.setdefault(ward.hospital_id, []).append((f"ward:{ward.pk}", ward.name))
    groups: Choices = []
    for hospital in hospitals:
        options = [
            (f"hospital:{hospital.pk}", _("%(name)s (hele hospitalet)") % {"name": hospital.name}),
            *by_hospital.get(hospital.pk, []),
        ]
        options = [option for option in options if option[0] not in leave_out]
        if options:
            groups.append((hospital.name, options))
    towns = [
        choice for choice in map(_municipality_choice, municipalities) if choice[0] not in leave_out
    ]
    if towns:
        region = Region.objects.filter(code=region_id).first() if region_id else None
        title = _("Kommuner i %(region)s") % {"region": region} if region else _("Kommuner")
        groups.append((title, towns))
    return groups


def place_choices(user: User, discharge: Discharge | None) -> Choices:
    """The likely places first, then the rest of the reporter's region, then "another place"."""
    likely = likely_places(user, discharge)
    rest = region_places(user.region_id_in_scope, {value for value, _label in likely})
    # Someone of no ward, hospital or municipality (a region's risk manager) chooses the place
    # herself rather than being given the region's first hospital.
    first: Choices = [(_("Dit sted og udskrivelsen"), likely)] if likely else [("", _("— Vælg —"))]
    return [*first, *rest, ("other:", _("Andet sted"))]


def _severity_choices() -> list[tuple[str, Any]]:
    # No preselected consequence: the reporter chooses one, or the form says she must.
    return [("", gettext_lazy("— Vælg —")), *Severity.choices]


class ReportForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("Hvornår skete det?"), widget=LocalDateTimeInput()
    )
    occurred_at_precision = forms.ChoiceField(
        label=gettext_lazy("Tidspunktet er"), choices=Precision.choices
    )
    place = forms.ChoiceField(label=gettext_lazy("Hvor skete det?"))
    involved = forms.MultipleChoiceField(
        label=gettext_lazy("Andre involverede organisationer"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
    )
    title = forms.CharField(label=gettext_lazy("Kort titel"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Hvad skete der? (før, under og efter)"),
        max_length=10_000,
        widget=forms.Textarea,
    )
    consequences = forms.CharField(
        label=gettext_lazy("Hvilke konsekvenser fik det?"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    prevention = forms.CharField(
        label=gettext_lazy("Hvordan kunne det være undgået?"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=Category.choices)
    actual_consequence = forms.ChoiceField(
        label=gettext_lazy("Faktisk konsekvens"), choices=_severity_choices
    )
    possible_consequence = forms.ChoiceField(
        label=gettext_lazy("Mulig konsekvens"), choices=_severity_choices
    )
    attachment = forms.FileField(
        label=gettext_lazy("Vedhæft fil (PDF, PNG eller JPEG, højst 10 MB)"), required=False
    )
    discharge = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, places: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places  # type: ignore[attr-defined]
        # Every place but "choose" and "another place" (it has no organisation to name).
        organisations = [choice for choice in places[:-1] if choice[0] != ""]
        self.fields["involved"].choices = organisations  # type: ignore[attr-defined]


def place_from_choice(code: str) -> dict[str, str]:
    """A chosen place ("ward:12") as the API's place of occurrence."""
    kind, _sep, ident = code.partition(":")
    return {"kind": kind, "id": ident or "Andet"}


class ReportSource(forms.Form):
    """What a new report starts from: a call's incident suggestion or a discharge."""

    call = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    discharge = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
