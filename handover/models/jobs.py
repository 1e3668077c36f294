"""What the sweeps produce: alerts on discharges and the notification outbox."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models import Municipality, Ward
from handover.models.discharges import Discharge

if TYPE_CHECKING:
    from accounts.models import User


class AlertKind(models.TextChoices):
    MISSING_DOCUMENTATION = "missing_documentation", _("Mangler dokumentation")
    NEARING_EXPIRY = "nearing_expiry", _("Ansvaret udløber snart")
    EXPIRED = "expired", _("Ansvaret er udløbet")


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: "User") -> "AlertQuerySet":
        return self.filter(discharge__in=Discharge.objects.visible_to(user))

    def unresolved(self) -> "AlertQuerySet":
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    discharge = models.ForeignKey(Discharge, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("type"), max_length=30, choices=AlertKind.choices)
    created_at = models.DateTimeField(_("oprettet"))
    resolved_at = models.DateTimeField(_("løst"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("advarsel")
        verbose_name_plural = _("advarsler")
        constraints = [
            # At most one open alert per discharge and kind: two sweeps racing cannot both
            # insert one (handover.services.sweeps relies on it with ON CONFLICT DO NOTHING).
            # A resolved alert leaves room for a new one, e.g. nearing expiry after an extension.
            models.UniqueConstraint(
                fields=["discharge", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_alert_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.discharge_id})"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    MEDCOM = "medcom", _("MedCom-korrespondancemeddelelse")


class Notification(models.Model):
    """The outbox: one row per message, written in the transaction of the event it reports:
    an e-mail to a contact person, or a MedCom CareCommunication to the municipality's unit.

    Delivery (handover.tasks.deliver_notification and the re-send sweep) claims rows in a
    transaction that skips the rows another worker has locked, so a message is sent once even
    when workers race.
    """

    discharge = models.ForeignKey(
        Discharge, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("kanal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(_("modtager (e-mail eller SOR-kode)"), max_length=254)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
    # A MedCom message: its MessageHeader.id, the Bundle, and the municipality's answer.
    message_id = models.CharField(_("MessageHeader.id"), max_length=100, blank=True, db_index=True)
    payload = models.JSONField(_("besked (FHIR)"), null=True, blank=True)
    # The CareCommunication told an open responsibility with the treatment plan and the number
    # to call: its delivery confirms the udskrivningsrapport for the KPI (handover.services.
    # documents.confirmed_by_care_communication).
    carries_plan = models.BooleanField(
        _("med behandlingsplan og telefonnummer"), default=False, db_default=False
    )
    ack_code = models.CharField(_("kvittering"), max_length=20, blank=True)
    ack_text = models.TextField(_("kvitteringens tekst"), blank=True)
    acknowledged_at = models.DateTimeField(_("kvitteret"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # The moment of the latest delivery attempt; a claim older than the back-off is retried.
    claimed_at = models.DateTimeField(_("seneste forsøg"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notifikation")
        verbose_name_plural = _("notifikationer")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
