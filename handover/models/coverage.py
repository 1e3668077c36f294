"""Where a patient goes, and the regional rules that decide whether the hospital keeps the
responsibility."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Region


class Destination(models.TextChoices):
    TEMPORARY_BED = "temporary_bed", _("Midlertidig kommunal døgnplads / akutplads")
    NURSING_HOME = "nursing_home", _("Plejecenter / plejehjem")
    HOME_NURSING = "home_nursing", _("Eget hjem med kommunal sygepleje")
    RESIDENTIAL_FACILITY = "residential_facility", _("Bosted med kommunal sygepleje")
    OTHER = "other", _("Andet (ikke kommunal sygepleje)")


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
    # A rule whose date (or content) no source gives: shown to the admin as an assumption.
    to_be_confirmed = models.BooleanField(
        _("antaget (ikke givet af en kilde)"),
        default=False,
        help_text=_("Datoen er en antagelse og afventer regionens bekræftelse."),
    )
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
        assumed = f" ({_('antaget dato')})" if self.to_be_confirmed else ""
        return f"{self.region}: {self.hours} t fra {self.effective_from:%d-%m-%Y}{assumed}"
