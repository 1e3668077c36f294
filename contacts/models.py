"""The directory: regions, municipalities, hospitals, wards and the people to call."""

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from contacts import rules


class Region(models.Model):
    code = models.PositiveSmallIntegerField(_("regionskode"), primary_key=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name

    @property
    def has_acute_line_1813(self) -> bool:
        """Only Region Hovedstaden runs Akuttelefonen 1813."""
        return self.code == 1084


class HealthCluster(models.Model):
    """A sundhedsklynge (seed 000: "Lokal evaluering i alle sundhedsklynger"): an acute
    hospital's catchment area, where region, municipalities and general practice work together.
    The risk manager's KPI is shown per cluster; a discharge counts in the cluster of the
    municipality it is discharged to (``Municipality.health_cluster``), since a cluster is
    defined by its municipalities and one hospital's wards discharge to several clusters.

    The clusters and their municipalities are reference data (contacts/data/health_clusters.csv);
    no source of the project gives them, so every row starts as an assumption for the admin to
    confirm."""

    code = models.SlugField(_("kode"), max_length=40, primary_key=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="health_clusters")
    acute_hospital = models.CharField(_("akutsygehus"), max_length=200)
    to_be_confirmed = models.BooleanField(
        _("antagelse (ingen kilde giver klyngen)"),
        default=True,
        help_text=_("Klyngen og dens kommuner er en antagelse og afventer bekræftelse."),
    )
    source_note = models.TextField(_("kilde"), blank=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("sundhedsklynge")
        verbose_name_plural = _("sundhedsklynger")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunekode"), max_length=3, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    health_cluster = models.ForeignKey(
        HealthCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipalities",
        verbose_name=_("sundhedsklynge"),
    )
    # Where the wards' CareCommunications about the municipality's citizens go when no hospital
    # message named a unit of it (a discharge recorded by hand).
    medcom_receiver = models.ForeignKey(
        "SorUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("modtager af korrespondancemeddelelser"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def normalise_code(code: str) -> str:
        """MedCom and DAGI write "0101"; the official code is "101"."""
        stripped = code.strip().lstrip("0")
        return stripped.zfill(3) if stripped else code.strip()


class Hospital(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hospitals")
    sor_code = models.CharField(_("SOR-kode"), max_length=20, unique=True)
    central_phone = PhoneNumberField(
        _("centralt nummer"),
        help_text=_("Ét nummer for alle kommuner, som stiller videre (Aalborg-modellen)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitaler")

    def __str__(self) -> str:
        return self.name


class WardKind(models.TextChoices):
    SOMATIC = "somatic", _("Somatisk")
    PSYCHIATRIC = "psychiatric", _("Psykiatrisk")


def default_day_hours() -> list[list[str] | None]:
    return list(rules.DEFAULT_DAY_HOURS)


WARD_CACHE_SECONDS = 300


def ward_cache_key(pk: int) -> str:
    return f"contacts:ward:{pk}"


class WardQuerySet(models.QuerySet["Ward"]):
    def active(self) -> "WardQuerySet":
        return self.filter(active=True)

    def cached(self, pk: int) -> "Ward":
        """The ward with its hospital, through the cache framework: every look-up reads a ward,
        and wards change a few times a year. Saving a ward or its hospital drops the cached
        copy (``contacts.signals``); where the cache is not shared between processes (the
        demo's local memory), another process sees a change within WARD_CACHE_SECONDS."""
        ward = cache.get(ward_cache_key(pk))
        if ward is None:
            ward = self.with_directory().get(pk=pk)
            cache.set(ward_cache_key(pk), ward, WARD_CACHE_SECONDS)
        return ward

    def with_directory(self, at: datetime | None = None) -> "WardQuerySet":
        """Everything needed to answer "which number now", from ``at`` on, without a query per
        ward: the hospital and the temporary numbers that have not ended by ``at``."""
        return self.select_related("hospital").prefetch_related(unexpired_overrides(at))


class Ward(models.Model):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("navn"), max_length=200)
    sor_code = models.CharField(_("SOR-kode"), max_length=20, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=WardKind.choices, default=WardKind.SOMATIC
    )
    day_phone = PhoneNumberField(_("dagtelefon"))
    on_call_phone = PhoneNumberField(_("vagttelefon (vagthavende læge)"))
    extended_care_phone = PhoneNumberField(
        _("telefon til udvidet behandlingsansvar"),
        blank=True,
        help_text=_("Afdelingens egen linje for udvidet behandlingsansvar, hvis den har en."),
    )
    day_hours = models.JSONField(
        _("dagtid pr. ugedag"),
        default=default_day_hours,
        help_text=_('Syv felter, mandag først: ["08:00", "15:30"] eller null for ingen dagtid.'),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["hospital__name", "name"]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")

    def __str__(self) -> str:
        return f"{self.name}, {self.hospital.name}"

    def clean(self) -> None:
        try:
            rules.parse_day_hours(self.day_hours)
        except (TypeError, ValueError) as error:
            raise ValidationError({"day_hours": str(error)}) from error

    def phone_at(self, at: datetime) -> rules.PhoneChoice:
        """The number to call at ``at``; the temporary numbers are ``unexpired_overrides`` when
        read with the ward (``with_directory``), else a query."""
        overrides = getattr(self, "unexpired_overrides", None)
        if overrides is None:
            overrides = self.phone_overrides.filter(starts_at__lte=at, ends_at__gt=at)
        return rules.phone_at(
            at=at,
            day_phone=str(self.day_phone),
            on_call_phone=str(self.on_call_phone),
            day_hours=self.day_hours,
            overrides=[
                rules.Override(o.starts_at, o.ends_at, str(o.phone), o.reason) for o in overrides
            ],
        )


def unexpired_overrides(at: datetime | None = None, prefix: str = "") -> models.Prefetch:
    """The temporary numbers that have not ended by ``at`` (now), as ``unexpired_overrides``
    of the ward ``prefix`` leads to; ``Ward.phone_at`` picks the one in force."""
    return models.Prefetch(
        f"{prefix}phone_overrides",
        queryset=PhoneOverride.objects.filter(ends_at__gt=at or timezone.now()),
        to_attr="unexpired_overrides",
    )


class PhoneOverride(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="phone_overrides")
    starts_at = models.DateTimeField(_("fra"))
    ends_at = models.DateTimeField(_("til"))
    phone = PhoneNumberField(_("telefon"))
    reason = models.CharField(_("årsag"), max_length=200)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("midlertidigt nummer")
        verbose_name_plural = _("midlertidige numre")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="override_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ward}: {self.phone} ({self.reason})"


class ContactRole(models.TextChoices):
    KEY_PERSON = "key_person", _("Nøgleperson for ordningen")
    COORDINATOR = "coordinator", _("Koordinator")
    MANAGER = "manager", _("Leder")
    OTHER = "other", _("Anden")


class ContactPerson(models.Model):
    """A named person for the scheme. Exactly one of hospital, ward or municipality is set."""

    hospital = models.ForeignKey(
        Hospital, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_persons"
    )
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_persons"
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_persons",
    )
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle"), max_length=20, choices=ContactRole.choices)
    phone = PhoneNumberField(_("telefon"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hospital__isnull=False, ward__isnull=True, municipality__isnull=True)
                    | Q(hospital__isnull=True, ward__isnull=False, municipality__isnull=True)
                    | Q(hospital__isnull=True, ward__isnull=True, municipality__isnull=False)
                ),
                name="contact_person_has_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class SorUnit(models.Model):
    """One unit of the national SOR export: a hospital, a department, a nursing home, a home
    nursing district… with its EAN location number and, for a municipality's units, the
    municipality whose citizens it serves."""

    sor_code = models.CharField(_("SOR-kode"), max_length=20, unique=True)
    ean = models.CharField(_("EAN-lokationsnummer"), max_length=13, blank=True, db_index=True)
    name = models.CharField(_("navn"), max_length=300)
    unit_type = models.CharField(_("enhedstype"), max_length=100, blank=True)
    owner_type = models.CharField(_("ejerforhold"), max_length=100, blank=True)
    parent_sor_code = models.CharField(_("overordnet SOR-kode"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sor_units",
        verbose_name=_("kommune"),
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("SOR-enhed")
        verbose_name_plural = _("SOR-enheder")

    def __str__(self) -> str:
        return f"{self.name} ({self.sor_code})"
