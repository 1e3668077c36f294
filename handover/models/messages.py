"""The log of MedCom messages received: every message, accepted or not, with its answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models import Hospital
from handover.models.discharges import Discharge
from handover.models.stays import Stay


class MessageResult(models.TextChoices):
    CREATED = "created", _("Oprettet")
    UPDATED = "updated", _("Opdateret")
    RECORDED = "recorded", _("Registreret")
    ENDED = "ended", _("Afsluttet")
    CANCELLED = "cancelled", _("Annulleret")
    IGNORED = "ignored", _("Modtaget uden virkning")
    DUPLICATE = "duplicate", _("Dublet")
    CONFLICT = "conflict", _("Samme id, andet indhold")
    FORBIDDEN = "forbidden", _("Afvist: afsender uden for kontoens organisation")
    REJECTED = "rejected", _("Afvist")
    FAILED = "failed", _("Fejlet")


# A message acted on: the same MessageHeader.id from the same organisation is a repeat.
PROCESSED = [
    MessageResult.CREATED,
    MessageResult.UPDATED,
    MessageResult.RECORDED,
    MessageResult.ENDED,
    MessageResult.CANCELLED,
    MessageResult.IGNORED,
]


class InboundMessage(models.Model):
    received_at = models.DateTimeField(_("modtaget"), auto_now_add=True, db_index=True)
    # The organisation of the account that posted the message: repeats are looked for, and the
    # acknowledgement is handed out, within it only.
    hospital = models.ForeignKey(
        Hospital,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kontoens hospital"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message_type = models.CharField(_("beskedtype"), max_length=100, blank=True)
    sender = models.CharField(_("afsender"), max_length=200, blank=True)
    event = models.CharField(_("hændelse"), max_length=100, blank=True)
    message_id = models.CharField(_("MessageHeader.id"), max_length=200, blank=True)
    content_hash = models.CharField(_("indholdets SHA-256"), max_length=64, blank=True)
    payload = models.TextField(_("rå besked"))
    result = models.CharField(_("resultat"), max_length=20, choices=MessageResult.choices)
    error = models.TextField(_("fejl"), blank=True)
    stay = models.ForeignKey(
        Stay, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    discharge = models.ForeignKey(
        Discharge, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    acknowledgement = models.JSONField(_("kvittering (MedCom Acknowledgement)"), null=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("indgående besked")
        verbose_name_plural = _("indgående beskeder")
        indexes = [models.Index(fields=["hospital", "message_id"], name="message_sender_id_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "message_id"],
                condition=models.Q(result__in=[str(result) for result in PROCESSED])
                & ~models.Q(message_id=""),
                name="processed_message_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.event} {self.result}"

    @property
    def ack_code(self) -> str:
        """``ok``, ``transient-error`` or ``fatal-error``: what the acknowledgement answered."""
        header = ((self.acknowledgement or {}).get("entry") or [{}])[0].get("resource") or {}
        return str((header.get("response") or {}).get("code", ""))
