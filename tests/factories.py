"""Factories with explicit, readable defaults. Tests pass what matters to them."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from accounts.models import Role, User
from contacts.models import ContactPerson, ContactRole, Hospital, Municipality, Ward, WardKind
from handover import services
from handover.models import Discharge


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital

    name = factory.Sequence(lambda n: f"Testhospital {n}")
    region_id = 1084
    sor_code = factory.Sequence(lambda n: f"9{n:08d}")
    central_phone = factory.Sequence(lambda n: f"+4538{n:06d}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Afsnit {n}")
    sor_code = factory.Sequence(lambda n: f"8{n:08d}")
    kind = WardKind.SOMATIC
    day_phone = factory.Sequence(lambda n: f"+4544{n:06d}")
    on_call_phone = factory.Sequence(lambda n: f"+4545{n:06d}")


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    name = factory.Sequence(lambda n: f"Kontakt {n}")
    role = ContactRole.KEY_PERSON
    email = factory.Sequence(lambda n: f"kontakt{n}@example.dk")


class UserFactory(factory.django.DjangoModelFactory):
    """A user of ``role``. Ward staff get a new ward unless one is given."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.WARD_NURSE
    password = factory.django.Password("handover-test")

    @factory.lazy_attribute
    def ward(self) -> Ward | None:
        return WardFactory() if self.role in (Role.WARD_NURSE, Role.WARD_DOCTOR) else None


def record_discharge(
    *,
    ward: Ward,
    by: User | None = None,
    cpr: str = "0101451234",
    name: str = "Ole Hansen",
    municipality_code: str = "163",
    discharged_at: datetime | None = None,
    stay: timedelta = timedelta(hours=72),
    destination: str = "home_nursing",
    treatment_plan: str = "Observer vægt og åndenød.",
    contact_phone: str = "",
    phone_line: str = "",
    patient_informed: bool | None = True,
) -> Discharge:
    """Record a discharge through the service, the way the product does."""
    discharged_at = discharged_at or timezone.now() - timedelta(hours=1)
    return services.record_discharge(
        by=by,
        patient_cpr=cpr,
        patient_name=name,
        ward=ward,
        municipality=Municipality.objects.get(code=municipality_code),
        admitted_at=discharged_at - stay,
        discharged_at=discharged_at,
        destination=destination,
        treatment_plan=treatment_plan,
        contact_phone=contact_phone,
        phone_line=phone_line,
        patient_informed=patient_informed,
    )


BOTH_DOCUMENTS = ("epikrise", "discharge_report")


def confirm(discharge: Discharge, by: User, *documents: str) -> Discharge:
    """The ward confirms the plan with contact details in ``documents`` (both by default), now."""
    return services.confirm_documents(
        discharge=discharge, by=by, documents=documents or BOTH_DOCUMENTS
    )
