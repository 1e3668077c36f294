"""A 112 call logged inside an open period suspends it while prehospital care takes over
(DOMAIN.md; issue 26 §4): the ward sees it on its pages, the look-up answer says it, and the ward
lifts it."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role
from handover import services
from handover.models import AccessAction, AccessLog, Discharge
from tests.factories import UserFactory, record_discharge

pytestmark = pytest.mark.django_db


def call(discharge, outcome="emergency_112", minutes_ago=10):  # type: ignore[no-untyped-def]
    return services.log_call(
        discharge=discharge,
        by=None,
        received_at=timezone.now() - timedelta(minutes=minutes_ago),
        caller_role="municipal_nurse",
        outcome=outcome,
    )


def suspended_at(discharge):  # type: ignore[no-untyped-def]
    return Discharge.objects.get(pk=discharge.pk).suspended_at


def local_time(moment):  # type: ignore[no-untyped-def]
    return f"{timezone.localtime(moment):%H:%M}"


@pytest.fixture
def ward_nurse(herlev_ward):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.WARD_NURSE, ward=herlev_ward)


# -- the rule ---------------------------------------------------------------------------------


def test_a_112_call_inside_the_period_suspends_it_from_the_calls_time(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    logged = call(discharge)
    assert suspended_at(discharge) == logged.received_at


def test_another_outcome_does_not_suspend(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    call(discharge, outcome="readmission")
    assert suspended_at(discharge) is None


def test_a_112_call_before_the_discharge_does_not_suspend(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=1)
    )
    call(discharge, minutes_ago=90)
    assert suspended_at(discharge) is None


def test_a_112_call_on_an_ended_period_does_not_suspend(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=5)
    )
    services.end_responsibility(discharge=discharge, by=None, reason="readmitted")
    call(discharge, minutes_ago=120)  # inside the period's hours, but the period has ended
    assert suspended_at(discharge) is None


def test_a_second_112_call_keeps_the_first_calls_time(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=5)
    )
    first = call(discharge, minutes_ago=60)
    call(discharge, minutes_ago=5)
    assert suspended_at(discharge) == first.received_at


def test_the_suspension_does_not_move_the_periods_end(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    call(discharge)
    after = Discharge.objects.get(pk=discharge.pk)
    assert (after.status, after.responsibility_ends_at) == (
        discharge.status,
        discharge.responsibility_ends_at,
    )


def test_resuming_clears_the_suspension_and_is_logged(herlev_ward, ward_nurse) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    call(discharge)
    services.resume_responsibility(discharge=discharge, by=ward_nurse)
    assert suspended_at(discharge) is None
    assert AccessLog.objects.filter(
        user=ward_nurse, action=AccessAction.UPDATE_DISCHARGE, object_id=str(discharge.pk)
    ).exists()


def test_resuming_a_period_that_is_not_suspended_is_a_conflict(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    with pytest.raises(services.Conflict):
        services.resume_responsibility(discharge=discharge, by=None)


# -- what the ward sees -----------------------------------------------------------------------


def test_the_discharge_page_shows_the_suspension_and_the_ward_lifts_it(
    client, herlev_ward, ward_nurse
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    logged = call(discharge)
    client.force_login(ward_nurse)
    page = client.get(reverse("handover:discharge_detail", args=[discharge.pk])).content.decode()
    assert (
        f"Suspenderet: 112-opkald kl. {local_time(logged.received_at)} — "
        "præhospitalet har overtaget" in page
    )
    assert reverse("handover:discharge_resume", args=[discharge.pk]) in page
    answer = client.post(reverse("handover:discharge_resume", args=[discharge.pk]), follow=True)
    assert "Suspenderingen er ophævet" in answer.content.decode()
    assert suspended_at(discharge) is None


def test_the_worklist_shows_the_suspension(client, herlev_ward, ward_nurse) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    logged = call(discharge)
    client.force_login(ward_nurse)
    page = client.get(reverse("handover:worklist")).content.decode()
    assert f"Suspenderet: 112-opkald kl. {local_time(logged.received_at)}" in page


def test_a_municipal_nurse_cannot_lift_a_suspension(client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    call(discharge)
    client.force_login(UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163"))
    response = client.post(reverse("handover:discharge_resume", args=[discharge.pk]))
    assert response.status_code == 403
    assert suspended_at(discharge) is not None


# -- what callers and integrations see --------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "membership"),
    [
        (Role.MUNICIPAL_NURSE, {"municipality_id": "163"}),
        (Role.ACUTE_LINE, {"region_id": 1084}),
    ],
)
def test_the_look_up_answer_says_prehospital_care_has_taken_over(
    client, herlev_ward, role, membership
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    logged = call(discharge)
    client.force_login(UserFactory(role=role, **membership))
    page = client.post(reverse("handover:lookup"), {"cpr": "010145-1234"}).content.decode()
    assert (
        f"Suspenderet: 112-opkald kl. {local_time(logged.received_at)} — "
        "præhospitalet har overtaget" in page
    )
    assert herlev_ward.name in page  # the ward is still the one to call


def _with_token(api_client, user):  # type: ignore[no-untyped-def]
    _token, key = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def test_the_api_look_up_carries_suspended_at(api_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    logged = call(discharge)
    client = _with_token(api_client, UserFactory(role=Role.GP, municipality_id="163"))
    answer = client.post(
        "/api/v1/lookup/", {"cpr": "0101451234", "reason": "Opkald"}, format="json"
    ).json()["discharge"]
    assert datetime.fromisoformat(answer["suspended_at"]) == logged.received_at


def test_a_112_call_logged_through_the_api_suspends_and_the_resource_shows_it(
    api_client, herlev_ward, ward_nurse
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client = _with_token(api_client, ward_nurse)
    assert client.get(f"/api/v1/discharges/{discharge.pk}/").json()["suspended_at"] is None
    received = (timezone.now() - timedelta(minutes=3)).replace(microsecond=0)
    client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/",
        {
            "received_at": received.isoformat(),
            "caller_role": "municipal_nurse",
            "outcome": "emergency_112",
        },
        format="json",
    )
    resource = client.get(f"/api/v1/discharges/{discharge.pk}/").json()
    assert datetime.fromisoformat(resource["suspended_at"]) == received
