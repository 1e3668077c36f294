"""Adverse incidents (utilsigtede hændelser, UTH) and their blame-free case handling (DPSD)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Hospital, Municipality, Region, Ward

if TYPE_CHECKING:
    from accounts.models import User


class Precision(models.TextChoices):
    EXACT = "exact", _("Præcist")
    ESTIMATED = "estimated", _("Anslået")
    UNKNOWN = "unknown", _("Ukendt")


class PlaceKind(models.TextChoices):
    WARD = "ward", _("Afdeling")
    HOSPITAL = "hospital", _("Hospital")
    MUNICIPALITY = "municipality", _("Kommune")
    OTHER = "other", _("Andet")


class Category(models.TextChoices):
    UNCLEAR_RESPONSIBILITY = "unclear_responsibility", _("Tvivl om behandlingsansvar")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Henvist til egen læge/lægevagt")
    RESPONSIBILITY_NOT_DOCUMENTED = "responsibility_not_documented", _("Ansvar ikke dokumenteret")
    CONTACT_INFO_MISSING = "contact_info_missing", _("Kontaktoplysninger mangler")
    DURATION_MISSING = "duration_missing", _("Varighed mangler")
    DISCHARGE_PAPERS_NOT_SENT = "discharge_papers_not_sent", _("Udskrivningspapirer ikke sendt")
    MEDICATION = "medication", _("Medicinering/FMK")
    PREMATURE_DISCHARGE = "premature_discharge", _("For tidlig udskrivelse")
    OTHER = "other", _("Andet")


class Severity(models.TextChoices):
    NO_CONSEQUENCE = "no_consequence", _("Ingen konsekvens")
    MINOR = "minor", _("Lettere konsekvens")
    SERIOUS_RISK = "serious_risk", _("Alvorlig patientsikkerhedsrisiko")
    SERIOUS = "serious", _("Alvorlig konsekvens")
    FATAL = "fatal", _("Dødelig konsekvens")


class IncidentStatus(models.TextChoices):
    RECEIVED = "received", _("Modtaget")
    IN_REVIEW = "in_review", _("Under sagsbehandling")
    CLOSED = "closed", _("Afsluttet")
    REJECTED = "rejected", _("Afvist")
    TRANSFERRED = "transferred", _("Overdraget")


class RejectionReason(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Utilstrækkelige oplysninger")
    WORK_ENVIRONMENT = "work_environment", _("Arbejdsmiljø")
    DUPLICATE = "duplicate", _("Dublet")
    TEST = "test", _("Test")
    OTHER = "other", _("Andet")


def risk_scope(user: "User") -> Q:
    """The incidents a risk manager handles: her region's, hospital's or municipality's."""
    if user.region_id is not None:
        return Q(region_id=user.region_id)
    if user.hospital_id is not None:
        return Q(hospital_id=user.hospital_id)
    return Q(municipality_id=user.municipality_id)


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: "User") -> "IncidentQuerySet":
        """Risk managers see their scope's incidents; every reporter sees her own reports;
        administrators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        own = Q(reporter=user)
        return self.filter(risk_scope(user) | own) if user.is_risk_manager else self.filter(own)

    def handled_by(self, user: "User") -> "IncidentQuerySet":
        """The cases a user may work: a risk manager's scope (administrators: all)."""
        if user.is_admin_role:
            return self
        return self.filter(risk_scope(user)) if user.is_risk_manager else self.none()


class Incident(models.Model):
    occurred_at = models.DateTimeField(_("tidspunkt for hændelsen"), db_index=True)
    occurred_at_precision = models.CharField(
        _("tidspunktets præcision"), max_length=10, choices=Precision.choices
    )
    place_kind = models.CharField(_("hændelsessted"), max_length=20, choices=PlaceKind.choices)
    place_name = models.CharField(_("stedets navn"), max_length=200)
    # The ward, when the place of occurrence is one: the ward's weekly learning digest finds
    # the cases that happened there (``incidents.digest``).
    place_ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("afdeling (hændelsessted)"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("hvad skete der (før, under, efter)"), max_length=10000)
    consequences = models.TextField(_("konsekvenser"), max_length=10000, blank=True)
    prevention = models.TextField(_("hvordan kunne det forebygges"), max_length=10000, blank=True)
    category = models.CharField(_("kategori"), max_length=40, choices=Category.choices)
    actual_consequence = models.CharField(
        _("faktisk konsekvens"), max_length=20, choices=Severity.choices
    )
    possible_consequence = models.CharField(
        _("mulig konsekvens"), max_length=20, choices=Severity.choices
    )
    discharge = models.ForeignKey(
        "handover.Discharge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_incidents"
    )
    # Scope, derived at report time from the place of occurrence and the linked discharge.
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    hospital = models.ForeignKey(Hospital, null=True, blank=True, on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT)
    # Derived: places in both the hospital and the municipal sector.
    cross_sector = models.BooleanField(_("tværsektoriel"), default=False)

    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.RECEIVED
    )
    severity = models.CharField(
        _("samlet alvorlighed"), max_length=20, choices=Severity.choices, blank=True
    )
    classification = models.CharField(_("klassifikation"), max_length=200, blank=True)
    dpsd_case_number = models.CharField(_("DPSD-sagsnummer"), max_length=50, blank=True)
    rejection_reason = models.CharField(
        _("afvisningsårsag"), max_length=30, choices=RejectionReason.choices, blank=True
    )
    transferred_to = models.CharField(_("overdraget til"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("modtaget"), auto_now_add=True, db_index=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("utilsigtet hændelse")
        verbose_name_plural = _("utilsigtede hændelser")
        indexes = [
            # The risk manager's figures read a range of a region's reports from the index.
            models.Index(
                fields=["region", "created_at"],
                include=["category", "severity", "status", "cross_sector"],
                name="incident_region_time",
            ),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class InvolvedOrganisation(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involved")
    kind = models.CharField(_("type"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT)
    hospital = models.ForeignKey(Hospital, null=True, blank=True, on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("involveret organisation")
        verbose_name_plural = _("involverede organisationer")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Transition(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=IncidentStatus.choices)
    to_status = models.CharField(max_length=20, choices=IncidentStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class LearningAction(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="learning_actions"
    )
    text = models.TextField(_("læringstiltag"), max_length=10000)
    owner = models.CharField(_("ansvarlig"), max_length=200)
    due_date = models.DateField(_("frist"))
    done = models.BooleanField(_("udført"), default=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("læringstiltag")
        verbose_name_plural = _("læringstiltag")

    def __str__(self) -> str:
        return self.text[:50]


class Attachment(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to="incidents/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.file.name


# Every count of covered discharges a summary row holds; ``incidents.summaries.counted`` says
# which discharges each counts. The KPI's (seed 003): the 96-hour discharges that were not
# cancelled, those of them whose epikrise and udskrivningsrapport were confirmed in time, both
# (``documented``), and the covered discharges of other lengths (72 hours), counted apart.
DISCHARGE_COUNTS = (
    "discharges",
    "documented",
    "expired",
    "extended",
    "readmitted",
    "deceased",
    "cancelled",
    "kpi_discharges",
    "epikrise_in_time",
    "discharge_report_in_time",
    "other_windows",
)


class DischargeMonth(models.Model):
    """Covered discharges per Copenhagen month, ward and municipality: the dashboard's source for
    whole months, rebuilt from the discharges by ``incidents.summaries.refresh``."""

    period = models.DateField(help_text=_("Første dag i måneden"))
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    discharges = models.PositiveIntegerField()
    documented = models.PositiveIntegerField()
    expired = models.PositiveIntegerField()
    extended = models.PositiveIntegerField()
    readmitted = models.PositiveIntegerField()
    deceased = models.PositiveIntegerField()
    cancelled = models.PositiveIntegerField()
    kpi_discharges = models.PositiveIntegerField(default=0)
    epikrise_in_time = models.PositiveIntegerField(default=0)
    discharge_report_in_time = models.PositiveIntegerField(default=0)
    other_windows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "ward", "municipality"], name="discharge_month_unique"
            )
        ]
        # A scope reads a range of months of its wards or municipality; on PostgreSQL the
        # counts are in the index, so the read never visits the table.
        indexes = [
            models.Index(
                fields=["ward", "period"],
                include=["municipality", *DISCHARGE_COUNTS],
                name="discharge_month_ward",
            ),
            models.Index(fields=["municipality", "period"], name="discharge_month_town"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.ward_id}/{self.municipality_id}: {self.discharges}"


class CallWeek(models.Model):
    """Calls per Copenhagen week (Monday), the discharge's ward and municipality, outcome, caller
    role and whether inside the window."""

    period = models.DateField(help_text=_("Ugens mandag"))
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=32)
    caller_role = models.CharField(max_length=32)
    within_window = models.BooleanField()
    calls = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "period",
                    "ward",
                    "municipality",
                    "outcome",
                    "caller_role",
                    "within_window",
                ],
                name="call_week_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["ward", "period"],
                include=["municipality", "outcome", "caller_role", "within_window", "calls"],
                name="call_week_ward",
            ),
            models.Index(fields=["municipality", "period"], name="call_week_town"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%G-W%V} {self.ward_id}/{self.municipality_id}: {self.calls}"


class SummaryRefresh(models.Model):
    """The latest rebuild of a range of months: how many rows, when it finished. One row per
    range, so the beat job's runs do not pile up."""

    first_month = models.DateField()
    last_month = models.DateField()
    rows = models.PositiveIntegerField()
    finished_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first_month", "last_month"], name="one_refresh_per_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_month:%Y-%m}–{self.last_month:%Y-%m}: {self.rows} rows"
