"""Users, their role and the one organisation that defines their scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Hospital, Municipality, Region, Ward


class Role(models.TextChoices):
    WARD_NURSE = "ward_nurse", _("Sygeplejerske, afdeling")
    WARD_DOCTOR = "ward_doctor", _("Læge, afdeling")
    MUNICIPAL_NURSE = "municipal_nurse", _("Sygeplejerske, kommune")
    GP = "gp", _("Almen praksis")
    ACUTE_LINE = "acute_line", _("Akuttelefonen 1813 / lægevagten")
    RISK_MANAGER = "risk_manager", _("Risikomanager")
    COORDINATOR = "coordinator", _("Koordinator")
    ADMIN = "admin", _("Administrator")


WARD_ROLES = frozenset({Role.WARD_NURSE, Role.WARD_DOCTOR})
# Callers from outside the hospital and the municipality (seed 001): they look a citizen up, one
# at a time, and see nothing else of a discharge.
CALLER_ROLES = frozenset({Role.GP, Role.ACUTE_LINE})
LOOKUP_ROLES = frozenset({Role.MUNICIPAL_NURSE, *CALLER_ROLES})


class User(AbstractUser):
    """A member of exactly the organisation that defines the scope of what she may see.

    Ward staff belong to a ward (and see their hospital's discharges), municipal nurses to a
    municipality, coordinators to a hospital, risk managers to a hospital, municipality or region.
    A general practice (``gp``) belongs to the municipality it lies in, and looks up citizens
    with an open period in that municipality's region: the product has no list of a practice's
    patients. Akuttelefonen 1813 and the lægevagt (``acute_line``) belong to their region.
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
                        role="gp",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        role="acute_line",
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=False,
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
    def is_ward_staff(self) -> bool:
        return self.role in WARD_ROLES

    @property
    def is_municipal_nurse(self) -> bool:
        return self.role == Role.MUNICIPAL_NURSE

    @property
    def is_caller(self) -> bool:
        """A GP or the acute line: look-up only (``CALLER_ROLES``)."""
        return self.role in CALLER_ROLES

    @property
    def caller_region_id(self) -> int | None:
        """The region whose citizens with an open period a GP or the acute line may look up."""
        if self.role == Role.GP and self.municipality is not None:
            return self.municipality.region_id
        if self.role == Role.ACUTE_LINE:
            return self.region_id
        return None

    @property
    def is_risk_manager(self) -> bool:
        return self.role == Role.RISK_MANAGER

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def hospital_id_in_scope(self) -> int | None:
        """The hospital whose discharges ward staff and coordinators see."""
        if self.ward is not None:
            return self.ward.hospital_id
        return self.hospital_id

    @property
    def region_id_in_scope(self) -> int | None:
        """The region the user works in: her own, or her ward's, hospital's or municipality's
        (None for administrators)."""
        if self.region_id is not None:
            return self.region_id
        if self.ward is not None:
            return self.ward.hospital.region_id
        if self.hospital is not None:
            return self.hospital.region_id
        if self.municipality is not None:
            return self.municipality.region_id
        return None

    @property
    def organisation(self) -> Ward | Hospital | Municipality | Region | None:
        return self.ward or self.hospital or self.municipality or self.region
