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


class Notification(models.Model):
    """The outbox: one row per message, written in the transaction of the event it reports.

    Delivery (handover.tasks.deliver_notification and the re-send sweep) claims a row with a
    conditional UPDATE, so a message is sent once even when workers race.
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
    recipient = models.EmailField(_("modtager"))
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
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
