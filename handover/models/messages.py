"""The log of inbound MedCom messages: every message received, accepted or not."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from handover.models.discharges import Discharge


class MessageResult(models.TextChoices):
    CREATED = "created", _("Oprettet")
    UPDATED = "updated", _("Opdateret")
    ENDED = "ended", _("Afsluttet")
    CANCELLED = "cancelled", _("Annulleret")
    IGNORED = "ignored", _("Modtaget uden virkning")
    REJECTED = "rejected", _("Afvist")
    FAILED = "failed", _("Fejlet")


class InboundMessage(models.Model):
    received_at = models.DateTimeField(_("modtaget"), auto_now_add=True, db_index=True)
    sender = models.CharField(_("afsender"), max_length=200, blank=True)
    event = models.CharField(_("hændelse"), max_length=100, blank=True)
    # Unique when known: a repeated MessageHeader.id is answered as a duplicate.
    message_id = models.CharField(_("MessageHeader.id"), max_length=200, blank=True)
    # The Encounter the message is about: corrections and cancellations find their discharge by it.
    encounter_id = models.CharField(_("Encounter.id"), max_length=200, blank=True, db_index=True)
    payload = models.TextField(_("rå besked"))
    result = models.CharField(_("resultat"), max_length=20, choices=MessageResult.choices)
    error = models.TextField(_("fejl"), blank=True)
    discharge = models.ForeignKey(
        Discharge, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("indgående besked")
        verbose_name_plural = _("indgående beskeder")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=models.Q(
                    result__in=["created", "updated", "ended", "cancelled", "ignored"]
                )
                & ~models.Q(message_id=""),
                name="processed_message_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.event} {self.result}"
