"""The directory: regions, municipalities, hospitals, wards and the people to call."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts import rules
from contacts.fields import PhoneField


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


class Municipality(models.Model):
    code = models.CharField(_("kommunekode"), max_length=3, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

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
    central_phone = PhoneField(
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


class WardQuerySet(models.QuerySet["Ward"]):
    def active(self) -> "WardQuerySet":
        return self.filter(active=True)

    def with_directory(self, at: datetime | None = None) -> "WardQuerySet":
        """Everything needed to answer "which number now" without a query per ward."""
        at = at or timezone.now()
        return self.select_related("hospital").prefetch_related(
            models.Prefetch(
                "phone_overrides",
                queryset=PhoneOverride.objects.filter(starts_at__lte=at, ends_at__gt=at),
                to_attr="current_overrides",
            )
        )


class Ward(models.Model):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("navn"), max_length=200)
    sor_code = models.CharField(_("SOR-kode"), max_length=20, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=WardKind.choices, default=WardKind.SOMATIC
    )
    day_phone = PhoneField(_("dagtelefon"))
    on_call_phone = PhoneField(_("vagttelefon (vagthavende læge)"))
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

    def phone_at(
        self, at: datetime, overrides: "Iterable[PhoneOverride] | None" = None
    ) -> rules.PhoneChoice:
        """The number to call at ``at``. ``overrides`` are those in force at ``at`` when the
        caller has read them; else ``current_overrides`` when prefetched; else a query."""
        if overrides is None:
            overrides = getattr(self, "current_overrides", None)
        if overrides is None:
            overrides = self.phone_overrides.filter(starts_at__lte=at, ends_at__gt=at)
        return self.phone_with(
            at, [rules.Override(o.starts_at, o.ends_at, str(o.phone), o.reason) for o in overrides]
        )

    def phone_with(self, at: datetime, overrides: Iterable[rules.Override]) -> rules.PhoneChoice:
        """The number to call at ``at``, given the temporary numbers in force then."""
        return rules.phone_at(
            at=at,
            day_phone=str(self.day_phone),
            on_call_phone=str(self.on_call_phone),
            day_hours=self.day_hours,
            overrides=overrides,
        )


class PhoneOverride(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="phone_overrides")
    starts_at = models.DateTimeField(_("fra"))
    ends_at = models.DateTimeField(_("til"))
    phone = PhoneField(_("telefon"))
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
    phone = PhoneField(_("telefon"), blank=True)
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
