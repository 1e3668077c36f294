"""Hospital stays (sygehusophold) as the hospital's MedCom HospitalNotifications tell them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models import Hospital, Municipality, SorUnit, Ward
from handover.models.discharges import EncounterClass
from handover.models.patients import Patient


class StayStatus(models.TextChoices):
    ADMITTED = "admitted", _("Indlagt")
    ON_LEAVE = "on_leave", _("På orlov")
    DISCHARGED = "discharged", _("Udskrevet")
    DECEASED = "deceased", _("Død")
    CANCELLED = "cancelled", _("Annulleret")


class Stay(models.Model):
    """One stay at one hospital, known by the hospital's episode-of-care identifier (forløbsid).

    Only the hospital that sent the stay's first message can change it: follow-up messages
    (corrections, cancellations, leave, discharge, death) find their stay by that hospital and
    the identifier, never by CPR alone.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="stays")
    episode_of_care = models.CharField(_("forløbsid"), max_length=100)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stays")
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="stays"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The municipality's unit the hospital's messages were addressed to: the ward's
    # CareCommunications about the stay go there too.
    receiver = models.ForeignKey(
        SorUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    encounter_class = models.CharField(
        _("kontakttype"), max_length=4, choices=EncounterClass.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=StayStatus.choices)
    admitted_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("slut"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        ordering = ["-admitted_at"]
        verbose_name = _("sygehusophold")
        verbose_name_plural = _("sygehusophold")
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "episode_of_care"], name="one_stay_per_episode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hospital} · {self.get_status_display()} · {self.admitted_at:%d-%m-%Y}"

    @property
    def is_inpatient(self) -> bool:
        return self.encounter_class == EncounterClass.INPATIENT
