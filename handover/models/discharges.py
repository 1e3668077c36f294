"""Patients, the regional responsibility rules, discharges and their extensions."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.fields import PhoneField
from contacts.models import Municipality, Region, Ward

if TYPE_CHECKING:
    from accounts.models import Scope, User


class Sex(models.TextChoices):
    FEMALE = "F", _("Kvinde")
    MALE = "M", _("Mand")


class Patient(models.Model):
    """A citizen. Birth date and sex are derived from the CPR number when it is recorded."""

    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    sex = models.CharField(_("køn"), max_length=1, choices=Sex.choices)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patienter")

    def __str__(self) -> str:
        return f"{self.name} ({self.cpr_masked})"

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    @property
    def cpr_display(self) -> str:
        return display_cpr(self.cpr)


def mask_cpr(cpr: str) -> str:
    """Lists show "010145-****"; only the discharge page shows the whole number."""
    return f"{cpr[:6]}-****"


def display_cpr(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


class Destination(models.TextChoices):
    TEMPORARY_BED = "temporary_bed", _("Midlertidig kommunal døgnplads / akutplads")
    NURSING_HOME = "nursing_home", _("Plejecenter / plejehjem")
    HOME_NURSING = "home_nursing", _("Eget hjem med kommunal sygepleje")
    RESIDENTIAL_FACILITY = "residential_facility", _("Bosted med kommunal sygepleje")
    OTHER = "other", _("Andet (ikke kommunal sygepleje)")


MUNICIPAL_NURSING_DESTINATIONS = [
    Destination.TEMPORARY_BED,
    Destination.NURSING_HOME,
    Destination.HOME_NURSING,
    Destination.RESIDENTIAL_FACILITY,
]


class ResponsibilityRule(models.Model):
    """A region's rule from a date on. The newest rule in force on the discharge date decides.

    Phased introductions (Region Hovedstaden 2022, seed 001) are successive rules whose covered
    destinations grow. A discharge keeps the rule it was decided under, so editing a rule in the
    admin never changes a decided discharge.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rules")
    effective_from = models.DateField(_("gælder fra"))
    hours = models.PositiveSmallIntegerField(_("timer"))
    min_admission_hours = models.PositiveSmallIntegerField(
        _("minimum indlæggelse (timer)"), default=24
    )
    covered_destinations = models.JSONField(_("omfattede udskrivningssteder"))
    psychiatry_allowed = models.BooleanField(_("psykiatri omfattet"), default=False)
    adults_only = models.BooleanField(_("kun voksne (18+)"), default=True)
    to_be_confirmed = models.BooleanField(_("afventer regionens bekræftelse"), default=False)
    source_note = models.TextField(_("kilde"), blank=True)

    class Meta:
        ordering = ["region", "-effective_from"]
        verbose_name = _("regel for behandlingsansvar")
        verbose_name_plural = _("regler for behandlingsansvar")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"], name="one_rule_per_region_and_date"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="rule_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.hours} t fra {self.effective_from:%d-%m-%Y}"


class NotCoveredReason(models.TextChoices):
    SHORT_ADMISSION = "short_admission", _("Indlagt under 24 timer")
    PSYCHIATRIC = "psychiatric", _("Psykiatrisk afsnit")
    DESTINATION_NOT_COVERED = "destination_not_covered", _("Udskrevet uden kommunal sygepleje")
    NOT_ADULT = "not_adult", _("Under 18 år")
    NO_RULE_IN_FORCE = "no_rule_in_force", _("Ingen regel i kraft i regionen")
    NOT_FINISHED = "not_finished", _("Ikke færdigbehandlet")


class Status(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    EXTENDED = "extended", _("Forlænget")
    EXPIRED = "expired", _("Udløbet")
    ENDED = "ended", _("Afsluttet")
    NOT_COVERED = "not_covered", _("Ikke omfattet")


OPEN_STATUSES = [Status.ACTIVE, Status.EXTENDED]


class EndReason(models.TextChoices):
    READMITTED = "readmitted", _("Genindlagt")
    DECEASED = "deceased", _("Død")
    CANCELLED = "cancelled", _("Annulleret (fejlregistrering)")


class Source(models.TextChoices):
    MANUAL = "manual", _("Manuelt")
    FHIR = "fhir", _("MedCom HospitalNotification")


def risk_scope(user: "User | Scope", prefix: str = "") -> Q:
    """A risk manager's organisation as a filter on anything with a ``ward`` and a
    ``municipality`` (discharges, the statistics' summaries; ``prefix`` reaches them from
    a related row): the region, the hospital or the municipality."""
    if user.region_id is not None:
        return Q(**{f"{prefix}ward__hospital__region_id": user.region_id})
    if user.hospital_id is not None:
        return Q(**{f"{prefix}ward__hospital_id": user.hospital_id})
    return Q(**{f"{prefix}municipality_id": user.municipality_id})


class DischargeQuerySet(models.QuerySet["Discharge"]):
    def visible_to(self, user: "User | Scope", at: datetime | None = None) -> "DischargeQuerySet":
        """The single place that decides which discharges a user may see (at ``at``, now by
        default).

        Ward staff and coordinators: their hospital's. Municipal nurses: their municipality's
        covered discharges whose window is open or ended recently. Risk managers: their hospital,
        municipality or region. Administrators: all. Everyone else: none.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        if user.is_ward_staff or user.role == "coordinator":
            hospital_id = user.hospital_id_in_scope
            return (
                self.none() if hospital_id is None else self.filter(ward__hospital_id=hospital_id)
            )
        if user.is_municipal_nurse:
            recent = (at or timezone.now()) - timedelta(days=settings.MUNICIPAL_RECENT_DAYS)
            return self.filter(
                municipality_id=user.municipality_id,
                covered=True,
                responsibility_ends_at__gte=recent,
            )
        if user.is_risk_manager:
            return self.filter(risk_scope(user))
        return self.none()

    def open_windows(self) -> "DischargeQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def active_at(self, at: datetime) -> "DischargeQuerySet":
        """Windows in force at ``at``: open and not yet past their end."""
        return self.open_windows().filter(responsibility_ends_at__gt=at)

    def with_related(self) -> "DischargeQuerySet":
        return self.select_related("patient", "ward__hospital", "municipality")


class Discharge(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="discharges")
    # Every index is written at each discharge's every change: the ward's and the
    # municipality's are the first columns of composite indexes below, and the rule and the
    # users are looked for only when one is deleted (refused while discharges refer to it).
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="discharges", db_index=False
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="discharges", db_index=False
    )
    admitted_at = models.DateTimeField(_("indlagt"))
    discharged_at = models.DateTimeField(_("udskrevet"))
    destination = models.CharField(
        _("udskrevet til"),
        max_length=30,
        choices=Destination.choices,
        blank=True,
        help_text=_(
            "Tom, når en MedCom-besked har oprettet udskrivelsen, "
            "og afdelingen mangler at angive det."
        ),
    )
    finished = models.BooleanField(_("færdigbehandlet"), default=True)

    rule = models.ForeignKey(
        ResponsibilityRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    covered = models.BooleanField(_("omfattet"))
    not_covered_reason = models.CharField(
        _("årsag til ikke omfattet"), max_length=30, choices=NotCoveredReason.choices, blank=True
    )
    window_hours = models.PositiveSmallIntegerField(_("vindue (timer)"), null=True, blank=True)
    # Scanned by the expiry and nearing-expiry sweeps (handover.sweeps); the partial index
    # below keeps that scan proportional to the open windows, not to the whole table.
    responsibility_ends_at = models.DateTimeField(_("behandlingsansvar til"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    treatment_plan = models.TextField(_("lægefaglig behandlingsplan"), blank=True, max_length=10000)
    contact_phone = PhoneField(_("kontakttelefon"), blank=True)
    patient_informed = models.BooleanField(
        _("patient og pårørende informeret"), null=True, blank=True
    )
    # When treatment plan and contact phone were first both present: the KPI compares it with
    # discharged_at (seed 003: documented by the time of discharge).
    documented_at = models.DateTimeField(_("dokumenteret"), null=True, blank=True)
    documented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    end_reason = models.CharField(
        _("afslutningsårsag"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note til afslutning"), blank=True, max_length=10000)
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    source = models.CharField(_("kilde"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = DischargeQuerySet.as_manager()

    class Meta:
        ordering = ["-discharged_at"]
        verbose_name = _("udskrivelse")
        verbose_name_plural = _("udskrivelser")
        indexes = [
            models.Index(
                fields=["responsibility_ends_at"],
                condition=Q(status__in=["active", "extended"]),
                name="discharge_open_window_idx",
            ),
            # The ward worklist: a hospital's open windows, ward by ward, soonest end first.
            models.Index(
                fields=["ward", "responsibility_ends_at"],
                condition=Q(status__in=["active", "extended"]),
                name="discharge_ward_open_idx",
            ),
            # The municipal board: a municipality's open windows, soonest end first.
            models.Index(
                fields=["municipality", "responsibility_ends_at"],
                condition=Q(status__in=["active", "extended"]),
                name="discharge_town_open_idx",
            ),
            # The worklist's recent discharges the scheme did not cover, latest first.
            models.Index(
                fields=["discharged_at"],
                condition=Q(status="not_covered"),
                name="discharge_not_covered_idx",
            ),
            # The look-up: the citizen's open windows, latest end first.
            models.Index(
                fields=["patient", "responsibility_ends_at"],
                condition=Q(status__in=["active", "extended"]),
                name="discharge_patient_open_idx",
            ),
            models.Index(fields=["responsibility_ends_at"], name="discharge_ends_at_idx"),
            models.Index(fields=["ward", "discharged_at"], name="discharge_ward_time_idx"),
            models.Index(
                fields=["municipality", "status", "responsibility_ends_at"],
                name="discharge_municipality_idx",
            ),
            models.Index(fields=["discharged_at"], name="discharge_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_at__gt=models.F("admitted_at")),
                name="discharge_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(covered=False) | Q(responsibility_ends_at__isnull=False),
                name="covered_has_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.ward} · {self.discharged_at:%d-%m-%Y %H:%M}"

    @property
    def is_extended(self) -> bool:
        return self.status == Status.EXTENDED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Extension(models.Model):
    discharge = models.ForeignKey(Discharge, on_delete=models.CASCADE, related_name="extensions")
    hours = models.PositiveSmallIntegerField(_("timer"))
    reason = models.TextField(_("begrundelse"), max_length=10000)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("forlængelse")
        verbose_name_plural = _("forlængelser")

    def __str__(self) -> str:
        return f"+{self.hours} t"
