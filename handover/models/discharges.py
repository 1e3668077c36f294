"""The regional responsibility rules, discharges and their extensions."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from contacts.models import Municipality, Ward
from contacts.rules import OVERRIDE, PhoneChoice, format_phone
from handover import rules
from handover.models.choices import (
    OPEN_STATUSES,
    ConfirmedBy,
    DocumentationItem,
    EncounterClass,
    EndReason,
    NotCoveredReason,
    PhoneLine,
    Source,
    Status,
)
from handover.models.coverage import Destination, ResponsibilityRule
from handover.models.patients import Patient

if TYPE_CHECKING:
    from accounts.models import User


def risk_scope(user: "User", prefix: str = "") -> Q:
    """A risk manager's organisation as a filter on anything with a ``ward`` and a
    ``municipality`` (discharges, the statistics' summaries; ``prefix`` reaches them from
    a related row): the region, the hospital or the municipality."""
    if user.region_id is not None:
        return Q(**{f"{prefix}ward__hospital__region_id": user.region_id})
    if user.hospital_id is not None:
        return Q(**{f"{prefix}ward__hospital_id": user.hospital_id})
    return Q(**{f"{prefix}municipality_id": user.municipality_id})


def acting_user() -> "models.ForeignKey[User | None, User | None]":
    """The user who did something to a discharge (documented, confirmed, ended, created it):
    kept as long as the discharge; not indexed, since nothing looks discharges up by it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )


class DischargeQuerySet(models.QuerySet["Discharge"]):
    def visible_to(self, user: "User", at: datetime | None = None) -> "DischargeQuerySet":
        """The single place that decides which discharges a user may see (at ``at``, now by
        default).

        Ward staff and coordinators: their hospital's. Municipal nurses: their municipality's
        covered discharges whose window is open or ended recently. GPs and the acute line: the
        open periods of citizens of their region (which pages let them see one: ARCHITECTURE.md,
        access model). Risk managers: their hospital, municipality or region. Administrators:
        all. Everyone else: none.
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
        if user.is_caller:
            region_id = user.caller_region_id
            if region_id is None:
                return self.none()
            return self.filter(municipality__region_id=region_id, covered=True).active_at(
                at or timezone.now()
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
    # The name as this discharge's ward documented it: a report from another hospital that
    # spells the citizen differently changes its own discharge only.
    patient_name = models.CharField(_("patientens navn"), max_length=200)
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
    encounter_class = models.CharField(
        _("kontakttype"),
        max_length=4,
        choices=EncounterClass.choices,
        default=EncounterClass.INPATIENT,
    )
    # The stay the hospital's MedCom messages told of, when they created the discharge.
    stay = models.OneToOneField(
        "Stay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discharge",
        verbose_name=_("sygehusophold"),
    )

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
    window_hours = models.PositiveSmallIntegerField(_("periode (timer)"), null=True, blank=True)
    # Scanned by the expiry and nearing-expiry sweeps (handover.sweeps); the partial index
    # below keeps that scan proportional to the open windows, not to the whole table.
    responsibility_ends_at = models.DateTimeField(_("behandlingsansvar til"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    treatment_plan = models.TextField(_("lægefaglig behandlingsplan"), blank=True, max_length=10000)
    # The one number every view, paper and message shows: ``phone_at``. Blank for BY_CLOCK,
    # whose number is the ward's day or on-call line of the moment.
    contact_phone = PhoneNumberField(_("kontakttelefon"), blank=True)
    phone_line = models.CharField(
        _("telefonlinje"), max_length=10, choices=PhoneLine.choices, blank=True
    )
    patient_informed = models.BooleanField(
        _("patient og pårørende informeret"), null=True, blank=True
    )
    # When treatment plan and contact phone were first both present: the KPI compares it with
    # discharged_at (seed 003: documented by the time of discharge).
    documented_at = models.DateTimeField(_("dokumenteret"), null=True, blank=True)
    documented_by = acting_user()
    # Seed 003's KPI: when the ward confirmed that the treatment plan with contact details is
    # in the epikrise and in the udskrivningsrapport (or, for the udskrivningsrapport, when a
    # CareCommunication carrying them was sent). Set once, by handover.services.documents, only
    # while plan and phone are present; compared with discharged_at plus KPI_GRACE_MINUTES.
    epikrise_confirmed_at = models.DateTimeField(
        _("plan med kontaktoplysninger i epikrisen"), null=True, blank=True
    )
    epikrise_confirmed_by = acting_user()
    discharge_report_confirmed_at = models.DateTimeField(
        _("plan med kontaktoplysninger i udskrivningsrapporten"), null=True, blank=True
    )
    discharge_report_confirmed_by = acting_user()
    discharge_report_confirmed_via = models.CharField(
        _("udskrivningsrapporten bekræftet af"),
        max_length=20,
        choices=ConfirmedBy.choices,
        blank=True,
        db_default="",
    )

    end_reason = models.CharField(
        _("afslutningsårsag"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note til afslutning"), blank=True, max_length=10000)
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    ended_by = acting_user()
    # The stay whose admission or death ended the window (readmitted, deceased): cancelling or
    # correcting that stay's message opens the window again.
    ended_by_stay = models.ForeignKey(
        "Stay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ended_windows",
    )

    # When a 112 call logged inside the period came: prehospital care has taken over (DOMAIN.md)
    # until the ward lifts the suspension (handover.services.suspension).
    suspended_at = models.DateTimeField(_("suspenderet"), null=True, blank=True)

    source = models.CharField(_("kilde"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = acting_user()
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
            # The worklist's periods ended in the last 48 hours (``lists.recently_ended``).
            models.Index(fields=["ward", "responsibility_ends_at"], name="discharge_ward_ends_idx"),
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

    @property
    def missing_documentation(self) -> list[str]:
        """What the discharge report still lacks (``DocumentationItem`` values)."""
        return rules.missing_documentation(
            treatment_plan=self.treatment_plan,
            has_contact_phone=self.phone_documented,
            patient_informed=self.patient_informed,
            destination=self.destination,
        )

    @property
    def phone_documented(self) -> bool:
        return self.phone_line == PhoneLine.BY_CLOCK or bool(self.contact_phone)

    def phone_at(self, at: datetime) -> PhoneChoice:
        """The number to call about this discharge at ``at``, and why: the number the ward
        documented; the ward's line of the moment when it documented "by the clock" (or nothing
        yet); a temporary number of the ward (a line down, wards merged) before any of its
        lines. A direct number is the ward's own choice and no temporary number replaces it."""
        if self.phone_line == PhoneLine.DIRECT and self.contact_phone:
            return PhoneChoice(
                str(self.contact_phone), PhoneLine.DIRECT, str(PhoneLine.DIRECT.label)
            )
        ward_now = self.ward.phone_at(at)
        if ward_now.kind == OVERRIDE:
            return ward_now
        if self.contact_phone:
            line = PhoneLine(self.phone_line or PhoneLine.ON_CALL)
            return PhoneChoice(str(self.contact_phone), line, str(line.label))
        rule = (
            PhoneLine.BY_CLOCK.label
            if self.phone_line == PhoneLine.BY_CLOCK
            else _("intet nummer dokumenteret: afdelingens linje lige nu")
        )
        return PhoneChoice(ward_now.phone, ward_now.kind, f"{rule} · {ward_now.reason}")

    def papers_phone(self) -> str:
        """The number as the papers (EPR sentence, patient card, messages) write it: the
        documented number, or both lines and when each holds."""
        if self.contact_phone:
            return format_phone(str(self.contact_phone))
        if self.phone_line == PhoneLine.BY_CLOCK:
            return _("%(day)s i dagtid, ellers %(on_call)s") % {
                "day": format_phone(str(self.ward.day_phone)),
                "on_call": format_phone(str(self.ward.on_call_phone)),
            }
        return ""

    @property
    def has_plan_and_phone(self) -> bool:
        """The treatment plan with contact details (seed 003): what a discharge paper must
        hold for the KPI to count it."""
        return bool(self.treatment_plan.strip() and self.phone_documented)

    def confirmed_in_time(self, confirmed_at: datetime | None) -> bool:
        """Whether a document confirmed at ``confirmed_at`` counts for seed 003's KPI: no later
        than the discharge plus KPI_GRACE_MINUTES (``incidents.summaries.counted`` says the
        same to the database)."""
        return (
            confirmed_at is not None
            and confirmed_at <= self.discharged_at + settings.HANDOVER_KPI_GRACE
        )

    def missing_documentation_labels(self) -> list[str]:
        return [str(DocumentationItem(item).label) for item in self.missing_documentation]


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
