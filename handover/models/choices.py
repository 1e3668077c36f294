"""The discharge's choices: why a discharge is not covered, its status, how it ended, what its
report holds and which number and documents it names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotCoveredReason(models.TextChoices):
    SHORT_ADMISSION = "short_admission", _("Indlagt højst 24 timer")
    PSYCHIATRIC = "psychiatric", _("Psykiatrisk afsnit")
    DESTINATION_NOT_COVERED = "destination_not_covered", _("Udskrevet uden kommunal sygepleje")
    NOT_ADULT = "not_adult", _("Under 18 år")
    NO_RULE_IN_FORCE = "no_rule_in_force", _("Ingen regel i kraft i regionen")
    NOT_FINISHED = "not_finished", _("Ikke færdigbehandlet")
    ACUTE_OUTPATIENT = "acute_outpatient", _("Akut ambulant forløb (ikke indlagt)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    EXTENDED = "extended", _("Forlænget")
    EXPIRED = "expired", _("Udløbet")
    ENDED = "ended", _("Afsluttet")
    NOT_COVERED = "not_covered", _("Ikke omfattet")


OPEN_STATUSES = [Status.ACTIVE, Status.EXTENDED]


class EndReason(models.TextChoices):
    READMITTED = "readmitted", _("Genindlagt")
    DECEASED = "deceased", _("Død")
    CANCELLED = "cancelled", _("Annulleret (fejlregistrering)")


class DocumentationItem(models.TextChoices):
    """What a complete discharge report holds (seed 000)."""

    TREATMENT_PLAN = "treatment_plan", _("behandlingsplan")
    CONTACT_PHONE = "contact_phone", _("kontakttelefon")
    PATIENT_INFORMED = "patient_informed", _("information af patient og pårørende")
    DESTINATION = "destination", _("udskrivningssted")


class PhoneLine(models.TextChoices):
    """Which number the ward documented for the discharge: one of its lines, the day and
    on-call lines by the clock, or a number of its own choosing."""

    EXTENDED = "extended", _("afdelingens telefon til udvidet behandlingsansvar")
    ON_CALL = "on_call", _("afdelingens vagttelefon")
    DAY = "day", _("afdelingens dagtelefon")
    BY_CLOCK = "by_clock", _("afdelingens dagtelefon i dagtid, ellers vagttelefonen")
    DIRECT = "direct", _("direkte nummer dokumenteret af afdelingen")


class DischargeDocument(models.TextChoices):
    """The two discharge papers seed 003 sets a goal for: the treatment plan with contact
    details in each, by 90 % of the 96-hour discharges at the end of 2026."""

    EPIKRISE = "epikrise", _("epikrisen")
    DISCHARGE_REPORT = "discharge_report", _("udskrivningsrapporten")


class ConfirmedBy(models.TextChoices):
    """How a document's plan with contact details became known: the ward confirmed it, or the
    ward's CareCommunication carrying the plan and the number was sent to the municipality."""

    WARD = "ward", _("Afdelingen")
    CARE_COMMUNICATION = "care_communication", _("Korrespondancemeddelelse til kommunen")


class EncounterClass(models.TextChoices):
    """The kind of hospital contact (FHIR v3-ActCode, as MedCom's HospitalNotification sends
    it): an admission, or an acute ambulant contact without one."""

    INPATIENT = "IMP", _("Indlagt")
    EMERGENCY = "EMER", _("Akut ambulant")


class Source(models.TextChoices):
    MANUAL = "manual", _("Manuelt")
    FHIR = "fhir", _("MedCom HospitalNotification")
