"""The incident a red-flag call suggests: its category follows the call's outcome."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover.services import log_call
from handover.services.calls import SUGGESTED_CATEGORIES
from incidents.models import Category
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def red_flag_call(ward, by, outcome):  # type: ignore[no-untyped-def]
    return log_call(
        discharge=record_discharge(ward=ward),
        by=by,
        received_at=timezone.now(),
        caller_role="municipal_nurse",
        outcome=outcome,
    )


def test_no_answer_inside_the_window_suggests_unclear_responsibility(
    herlev_ward, herlev_nurse
) -> None:  # type: ignore[no-untyped-def]
    call = red_flag_call(herlev_ward, herlev_nurse, "no_answer")
    assert call.suggested_incident["category"] == Category.UNCLEAR_RESPONSIBILITY


def test_referral_to_the_gp_still_suggests_referred_elsewhere(herlev_ward, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    call = red_flag_call(herlev_ward, herlev_nurse, "referred_to_gp")
    assert call.suggested_incident["category"] == Category.REFERRED_ELSEWHERE


def test_the_call_page_names_the_category_no_answer_suggests(
    client, herlev_ward, herlev_nurse
) -> None:  # type: ignore[no-untyped-def]
    call = red_flag_call(herlev_ward, herlev_nurse, "no_answer")
    client.force_login(herlev_nurse)
    page = client.get(reverse("handover:call_done", args=[call.pk])).content.decode()
    assert "<dd>Tvivl om behandlingsansvar</dd>" in page
    assert "Henvist til egen læge/lægevagt" not in page


def test_suggested_categories_carry_the_incident_categories_labels() -> None:
    assert {code: str(label) for code, label in SUGGESTED_CATEGORIES.values()} == {
        code: str(Category(code).label) for code, _label in SUGGESTED_CATEGORIES.values()
    }
