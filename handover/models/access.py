"""The access log: who read or changed which patient's data, when and from where."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from handover.models.patients import Patient


class AccessAction(models.TextChoices):
    LOOKUP = "lookup", _("Opslag på CPR")
    SEARCH = "search", _("Søgning på CPR i afdelingens historik")
    VIEW_DISCHARGE = "view_discharge", _("Visning af udskrivelse")
    LIST_DISCHARGES = "list_discharges", _("Liste over udskrivelser")
    CREATE_DISCHARGE = "create_discharge", _("Oprettelse af udskrivelse")
    UPDATE_DISCHARGE = "update_discharge", _("Dokumentation af udskrivelse")
    EXTEND = "extend", _("Forlængelse")
    END = "end", _("Afslutning")
    LOG_CALL = "log_call", _("Registrering af opkald")
    EXPORT = "export", _("Eksport")
    VIEW_INCIDENT = "view_incident", _("Visning af hændelse")
    IMPORT = "import", _("Import af besked")
    ACCESS_REPORT = "access_report", _("Adgangsrapport")
    ADMIN_VIEW = "admin_view", _("Visning i administrationen")


class AccessOutcome(models.TextChoices):
    HIT = "hit", _("Fundet")
    MISS = "miss", _("Ikke fundet")
    OK = "ok", _("Udført")
    DENIED = "denied", _("Afvist")


class AppendOnlyQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The access log is append-only.")

    def count_one_more(self) -> int:
        """Add one to the count of the refused look-ups among these rows: the one change the log
        allows (its PostgreSQL trigger as well), so that a client refused again and again fills
        one row a minute, not the log. Returns how many rows it counted on."""
        refused = self.filter(action=AccessAction.LOOKUP, outcome=AccessOutcome.DENIED)
        return models.QuerySet.update(refused, count=F("count") + 1)


class AccessLog(models.Model):
    """Who read or changed which patient's data, when, from where (sundhedsloven § 42 a).

    Append-only: rows are written by ``handover.services.access.log_access`` and never changed.
    On PostgreSQL a trigger refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    # The user's and the patient's are the first columns of the (…, at) indexes below.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="access_log_entries",
        db_index=False,
    )
    action = models.CharField(_("handling"), max_length=30, choices=AccessAction.choices)
    object_type = models.CharField(_("objekttype"), max_length=50, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=50, blank=True)
    patient = models.ForeignKey(
        Patient,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log_entries",
        db_index=False,
    )
    criterion = models.CharField(_("søgekriterium (nøglet hash)"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("klientadresse"), null=True, blank=True)
    outcome = models.CharField(_("udfald"), max_length=10, choices=AccessOutcome.choices)
    # How many attempts the row stands for: 1, except on a user's refused look-ups of one clock
    # minute, which share one row (``AppendOnlyQuerySet.count_one_more``).
    count = models.PositiveIntegerField(_("antal"), default=1)
    # Why the user looked (sundhedsloven § 42 a: the purpose is logged): a GP states it with
    # each look-up. Never a CPR number: the look-up refuses a purpose that holds one.
    purpose = models.CharField(_("formål"), max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        indexes = [
            models.Index(fields=["patient", "at"], name="accesslog_patient_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
            models.Index(fields=["criterion"], name="accesslog_criterion_idx"),
            # A user's newest look-ups, which the look-up limit reads (handover.lookup). The action
            # is a column, not a partial index's condition: PostgreSQL keeps one plan for the
            # statement only when its index does not depend on the parameter's value.
            models.Index(fields=["user", "action", "at"], name="accesslog_user_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")
