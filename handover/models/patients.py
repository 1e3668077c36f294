"""Citizens, and how their CPR number is shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
