"""Calls (henvendelser) about a discharge and their outcomes (seeds 000, 001)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from handover.models.discharges import Discharge

if TYPE_CHECKING:
    from accounts.models import User


class CallerRole(models.TextChoices):
    MUNICIPAL_NURSE = "municipal_nurse", _("Kommunal sygeplejerske")
    SSA = "ssa", _("Social- og sundhedsassistent")
    GP = "gp", _("Egen læge")
    OUT_OF_HOURS_GP = "out_of_hours_gp", _("Lægevagten")
    ACUTE_LINE_1813 = "acute_line_1813", _("Akuttelefonen 1813")
    OTHER = "other", _("Anden")


class CallOutcome(models.TextChoices):
    ADVICE = "advice", _("Råd og vejledning")
    MEDICATION_CHANGE = "medication_change", _("Ændring i medicin")
    VIDEO_CONSULTATION = "video_consultation", _("Videokonsultation")
    SUBACUTE_APPOINTMENT = "subacute_appointment", _("Subakut tid")
    READMISSION = "readmission", _("Genindlæggelse")
    EXTENSION = "extension", _("Forlængelse af ansvaret")
    REFERRED_TO_1813 = "referred_to_1813", _("Henvist til 1813")
    EMERGENCY_112 = "emergency_112", _("112")
    REFERRED_TO_GP = "referred_to_gp", _("Henvist til egen læge")
    NO_ANSWER = "no_answer", _("Intet svar")


# Inside the window these are the incident in Ole's story: prefill an incident report.
RED_FLAG_OUTCOMES = frozenset({CallOutcome.REFERRED_TO_GP, CallOutcome.NO_ANSWER})


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: "User") -> "CallQuerySet":
        return self.filter(discharge__in=Discharge.objects.visible_to(user))


class Call(models.Model):
    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="calls")
    received_at = models.DateTimeField(_("modtaget"), db_index=True)
    caller_role = models.CharField(_("opkalder"), max_length=20, choices=CallerRole.choices)
    caller_name = models.CharField(_("navn på opkalder"), max_length=200, blank=True)
    caller_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    reason = models.TextField(_("årsag til opkaldet"), max_length=10000, blank=True)
    outcome = models.CharField(_("udfald"), max_length=30, choices=CallOutcome.choices)
    note = models.TextField(_("note"), max_length=10000, blank=True)
    within_window = models.BooleanField(_("inden for perioden"))
    # The prefilled incident report for a red-flag outcome, until it is taken by the form.
    suggested_incident = models.JSONField(_("forslag til hændelsesrapport"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("opkald")
        verbose_name_plural = _("opkald")

    def __str__(self) -> str:
        return f"{self.received_at:%d-%m-%Y %H:%M} {self.get_outcome_display()}"
