"""Users, their role and the one organisation that defines their scope; the access log."""

from dataclasses import dataclass
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Hospital, Municipality, Region, Ward


class Role(models.TextChoices):
    WARD_NURSE = "ward_nurse", _("Sygeplejerske, afdeling")
    WARD_DOCTOR = "ward_doctor", _("Læge, afdeling")
    MUNICIPAL_NURSE = "municipal_nurse", _("Sygeplejerske, kommune")
    RISK_MANAGER = "risk_manager", _("Risikomanager")
    COORDINATOR = "coordinator", _("Koordinator")
    ADMIN = "admin", _("Administrator")


WARD_ROLES = frozenset({Role.WARD_NURSE, Role.WARD_DOCTOR})


class Membership:
    """A role in one organisation: what ``visible_to`` decides a scope from (a User or a Scope)."""

    role: str
    is_superuser: bool
    ward_id: int | None
    hospital_id: int | None
    municipality_id: str | None
    region_id: int | None

    @property
    def is_ward_staff(self) -> bool:
        return self.role in WARD_ROLES

    @property
    def is_municipal_nurse(self) -> bool:
        return self.role == Role.MUNICIPAL_NURSE

    @property
    def is_risk_manager(self) -> bool:
        return self.role == Role.RISK_MANAGER

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


@dataclass(frozen=True)
class Scope(Membership):
    """A user's membership alone, hashable: the key under which a query built from
    ``visible_to`` is compiled once (``config.prepared``). Given a Scope, ``visible_to`` can
    read nothing the key does not hold."""

    role: str
    is_superuser: bool
    ward_id: int | None
    hospital_id: int | None
    municipality_id: str | None
    region_id: int | None
    hospital_id_in_scope: int | None
    is_authenticated: bool = True


class User(Membership, AbstractUser):
    """A member of exactly the organisation that defines the scope of what she may see.

    Ward staff belong to a ward (and see their hospital's discharges), municipal nurses to a
    municipality, coordinators to a hospital, risk managers to a hospital, municipality or region.
    Administrators belong to none.
    """

    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT)
    hospital = models.ForeignKey(Hospital, null=True, blank=True, on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        constraints = [
            models.CheckConstraint(
                name="user_membership_matches_role",
                condition=(
                    Q(
                        role__in=["ward_nurse", "ward_doctor"],
                        ward__isnull=False,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role="municipal_nurse",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        role="coordinator",
                        ward__isnull=True,
                        hospital__isnull=False,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role="risk_manager",
                        ward__isnull=True,
                        hospital__isnull=False,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role="risk_manager",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        role="risk_manager",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=False,
                    )
                    | Q(
                        role="admin",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                ),
            )
        ]

    @property
    def hospital_id_in_scope(self) -> int | None:
        """The hospital whose discharges ward staff and coordinators see."""
        if self.ward is not None:
            return self.ward.hospital_id
        return self.hospital_id

    @property
    def scope(self) -> Scope:
        return Scope(
            role=self.role,
            is_superuser=self.is_superuser,
            ward_id=self.ward_id,
            hospital_id=self.hospital_id,
            municipality_id=self.municipality_id,
            region_id=self.region_id,
            hospital_id_in_scope=self.hospital_id_in_scope,
        )

    @property
    def organisation(self) -> Ward | Hospital | Municipality | Region | None:
        return self.ward or self.hospital or self.municipality or self.region


class AccessAction(models.TextChoices):
    LOOKUP = "lookup", _("Opslag på CPR")
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


class AccessLog(models.Model):
    """Who read or changed which patient's data, when, from where (sundhedsloven § 42 a).

    Append-only: rows are written by ``accounts.services.log_access`` and never changed. On
    PostgreSQL a trigger refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    # Each read of patient data writes a row: no index more than the reports need, and the
    # user's and the patient's are the first columns of the (…, at) indexes. Nor a database
    # constraint: its check read and locked the user's and the patient's rows at every look-up
    # (a fifth of the look-up's time in PostgreSQL). The ids come from rows just read, and
    # PROTECT still keeps a user or patient with log rows from being deleted by the ORM.
    user = models.ForeignKey(
        User,
        null=True,
        on_delete=models.PROTECT,
        related_name="access_log_entries",
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField(_("handling"), max_length=30, choices=AccessAction.choices)
    object_type = models.CharField(_("objekttype"), max_length=50, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=50, blank=True)
    patient = models.ForeignKey(
        "handover.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log_entries",
        db_index=False,
        db_constraint=False,
    )
    criterion = models.CharField(_("søgekriterium (nøglet hash)"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("klientadresse"), null=True, blank=True)
    outcome = models.CharField(_("udfald"), max_length=10, choices=AccessOutcome.choices)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        indexes = [
            models.Index(fields=["patient", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["criterion"], name="accesslog_criterion_idx"),
            # A user's newest look-ups, which the look-up limit counts (accounts.services).
            models.Index(
                fields=["user", "at"],
                condition=models.Q(action=AccessAction.LOOKUP),
                name="accesslog_user_lookups_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")
