"""Handling a case: the handler saves her assessment with or without moving the case."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from contacts.models import Municipality
from incidents import services
from incidents.models import Incident, Transition

pytestmark = pytest.mark.django_db

LEARNING = {
    "text": "Tjekliste på morgenmødet",
    "owner": "Afdelingsledelsen",
    "due_date": "2027-01-31",
}


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RISK_MANAGER, region_id=1084)


@pytest.fixture
def case(make_user):  # type: ignore[no-untyped-def]
    return services.report_incident(
        by=make_user(Role.MUNICIPAL_NURSE, municipality_id="163"),
        occurred_at=timezone.now() - timedelta(hours=3),
        occurred_at_precision="exact",
        title="Ingen svarede",
        description="Afdelingen tog ikke telefonen.",
        category="unclear_responsibility",
        actual_consequence="minor",
        possible_consequence="serious_risk",
        place=services.Place("municipality", municipality=Municipality.objects.get(code="163")),
    )


def test_updating_a_case_keeps_its_status_and_records_no_transition(case, manager) -> None:  # type: ignore[no-untyped-def]
    services.update_case(incident=case, by=manager, dpsd_case_number="DPSD-2026-77")
    case.refresh_from_db()
    assert (case.status, case.dpsd_case_number) == ("received", "DPSD-2026-77")
    assert not Transition.objects.exists()


def test_a_closed_case_takes_a_later_learning_action(case, manager) -> None:  # type: ignore[no-untyped-def]
    services.transition(incident=case, by=manager, to="in_review")
    services.transition(
        incident=case, by=manager, to="closed", severity="minor", learning=[LEARNING]
    )
    services.update_case(
        incident=case, by=manager, learning=[{**LEARNING, "text": "Introduktion af nye"}]
    )
    assert case.learning_actions.count() == 2
    assert Incident.objects.get().status == "closed"


def test_updating_refuses_an_unknown_severity(case, manager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.update_case(incident=case, by=manager, severity="catastrophic")


def test_the_case_form_keeps_the_status_unless_told_otherwise(client, case, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    page = client.get(reverse("incidents:report_detail", args=[case.pk])).content.decode()
    assert '<option value="" selected>Behold status (Modtaget)</option>' in page


def test_saving_with_keep_status_saves_the_assessment(client, case, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    client.post(
        reverse("incidents:report_transition", args=[case.pk]),
        {"to": "", "severity": "minor", "dpsd_case_number": "DPSD-1"},
    )
    case.refresh_from_db()
    assert (case.status, case.severity, case.dpsd_case_number) == ("received", "minor", "DPSD-1")


def test_a_closed_case_takes_a_learning_action_from_the_form(client, case, manager) -> None:  # type: ignore[no-untyped-def]
    services.transition(incident=case, by=manager, to="in_review")
    services.transition(
        incident=case, by=manager, to="closed", severity="minor", learning=[LEARNING]
    )
    client.force_login(manager)
    client.post(
        reverse("incidents:report_transition", args=[case.pk]),
        {
            "to": "",
            "learning_text": "Nyhedsbrev",
            "learning_owner": "RM",
            "learning_due": "2027-02-01",
        },
    )
    assert case.learning_actions.filter(text="Nyhedsbrev", due_date=date(2027, 2, 1)).exists()
