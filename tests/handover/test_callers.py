"""Every caller the seeds name (issue 26 §3 and §4): GPs and the acute line look up their region's
open periods, a GP with a stated purpose; a miss repeats the CPR looked up, keeps it in the field
and offers the board; unknown, foreign and ended answer alike, but for that CPR."""

import logging
import re
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role
from handover.models import AccessAction, AccessLog, AccessOutcome, Discharge
from handover.services.access import criterion_hash
from tests.factories import UserFactory, record_discharge

pytestmark = pytest.mark.django_db

GP_ADVICE = "Intet aktivt behandlingsansvar på hospitalet: ansvaret ligger hos egen læge."
ACUTE_ADVICE = (
    "Intet aktivt behandlingsansvar på hospitalet: ansvaret ligger hos egen læge og lægevagten."
)


@pytest.fixture
def gp(db):  # type: ignore[no-untyped-def]
    """A practice in Herlev (Region Hovedstaden)."""
    return UserFactory(role=Role.GP, municipality_id="163")


@pytest.fixture
def acute_line(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ACUTE_LINE, region_id=1084)


@pytest.fixture
def nurse(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.MUNICIPAL_NURSE, municipality_id="163")


def api_lookup(api_client, user, cpr="010145-1234", **extra):  # type: ignore[no-untyped-def]
    _token, key = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.post("/api/v1/lookup/", {"cpr": cpr, **extra}, format="json")


def page_lookup(client, user, cpr="010145-1234", **extra):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(reverse("handover:lookup"), {"cpr": cpr, **extra})


def purpose_for(user):  # type: ignore[no-untyped-def]
    return {"reason": "Borgeren har ringet om åndenød"} if user.role == Role.GP else {}


# -- scope ------------------------------------------------------------------------------------


def test_a_gp_finds_the_open_period_of_a_citizen_of_another_municipality_of_its_region(
    api_client, gp, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, municipality_code="101")  # København
    body = api_lookup(api_client, gp, reason="Kontrol efter udskrivelse").json()
    assert body["covered"] is True
    assert body["discharge"]["id"] == discharge.pk
    assert body["discharge"]["ward"]["name"] == herlev_ward.name


def test_the_acute_line_finds_the_open_period_with_the_number_to_call_now(
    api_client, acute_line, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, municipality_code="163")
    answer = api_lookup(api_client, acute_line).json()["discharge"]
    assert answer["phone_now"] in (str(herlev_ward.day_phone), str(herlev_ward.on_call_phone))
    assert answer["suspended_at"] is None


@pytest.mark.parametrize("role", ["gp", "acute_line"])
def test_callers_see_only_their_regions_open_covered_periods(role, herlev_ward, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    now = timezone.now()
    own = record_discharge(ward=herlev_ward, municipality_code="101")
    record_discharge(ward=herlev_ward, cpr="0202451234", municipality_code="751")  # Aarhus
    record_discharge(  # ended: its period is over
        ward=herlev_ward, cpr="0303451234", discharged_at=now - timedelta(hours=97)
    )
    record_discharge(  # not covered: not to municipal nursing
        ward=herlev_ward, cpr="0404451234", destination="other"
    )
    assert list(Discharge.objects.visible_to(user, at=now)) == [own]


def test_a_member_of_no_region_sees_nothing(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    gp = UserFactory.build(role=Role.GP, municipality=None)
    assert not Discharge.objects.visible_to(gp).exists()


@pytest.mark.parametrize(
    ("role", "membership"),
    [
        (Role.GP, {}),  # a practice lies in a municipality
        (Role.GP, {"region_id": 1084}),
        (Role.ACUTE_LINE, {}),  # the acute line serves a region
        (Role.ACUTE_LINE, {"municipality_id": "163"}),
    ],
)
def test_the_database_refuses_a_caller_without_its_one_organisation(role, membership) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        UserFactory(role=role, **membership)


@pytest.mark.parametrize("role", ["gp", "acute_line"])
def test_callers_start_on_the_lookup_page(client, role, request) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("home"))["Location"] == reverse("handover:lookup")


# -- the identical answer ---------------------------------------------------------------------


def _outside_scope_cases(herlev_ward, role):  # type: ignore[no-untyped-def]
    """Three CPR numbers the caller gets no period for: unknown, outside her scope, ended."""
    foreign = "751" if role in ("gp", "acute_line") else "101"
    record_discharge(ward=herlev_ward, cpr="0202451234", municipality_code=foreign)
    record_discharge(
        ward=herlev_ward,
        cpr="0303451234",
        discharged_at=timezone.now() - timedelta(hours=97),
    )
    return ["0101451234", "0202451234", "0303451234"]


@pytest.mark.parametrize("role", ["nurse", "gp", "acute_line"])
def test_unknown_foreign_and_ended_give_byte_identical_api_answers(
    api_client, herlev_ward, role, request
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    cases = _outside_scope_cases(herlev_ward, role)
    bodies = {api_lookup(api_client, user, cpr, **purpose_for(user)).content for cpr in cases}
    assert len(bodies) == 1
    advice = {"nurse": "kontakt egen læge", "gp": GP_ADVICE, "acute_line": ACUTE_ADVICE}[role]
    assert advice in bodies.pop().decode()


def _without_the_cpr(page: str, cpr: str) -> str:
    """The page with its one-time values (the masked CSRF tokens) and the CPR typed taken out."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return page.replace(cpr, "CPR").replace(f"{cpr[:6]}-{cpr[6:]}", "CPR")


@pytest.mark.parametrize("role", ["nurse", "gp", "acute_line"])
def test_unknown_foreign_and_ended_give_identical_pages_but_for_the_cpr_typed(
    client, herlev_ward, role, request
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    cases = _outside_scope_cases(herlev_ward, role)
    pages = {
        _without_the_cpr(page_lookup(client, user, cpr, **purpose_for(user)).content.decode(), cpr)
        for cpr in cases
    }
    assert len(pages) == 1
    assert "Ingen aktiv periode for CPR — tjek nummeret" in pages.pop()


# -- issue 26 §3: a typo must not read like "call the GP" ------------------------------------


def test_a_miss_repeats_the_cpr_looked_up_and_keeps_it_in_the_field(client, nurse) -> None:  # type: ignore[no-untyped-def]
    page = page_lookup(client, nurse, "0202451234").content.decode()
    assert "Ingen aktiv periode for 020245-1234 — tjek nummeret" in page
    assert 'value="0202451234"' in page  # as she typed it
    assert "kontakt egen læge eller lægevagten" in page


def test_a_miss_offers_the_board(client, nurse) -> None:  # type: ignore[no-untyped-def]
    page = page_lookup(client, nurse, "020245-1234").content.decode()
    assert f'href="{reverse("handover:board")}"' in page


def test_a_hit_empties_the_field_for_the_next_look_up(client, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    page = page_lookup(client, nurse, "010145-1234").content.decode()
    assert herlev_ward.name in page
    assert 'value="010145-1234"' not in page
    assert "tjek nummeret" not in page


def test_a_gp_has_no_board_to_offer(client, gp) -> None:  # type: ignore[no-untyped-def]
    page = page_lookup(client, gp, "020245-1234", reason="Kontrol").content.decode()
    assert "Ingen aktiv periode for 020245-1234 — tjek nummeret" in page
    assert reverse("handover:board") not in page
    assert 'value="Kontrol"' in page  # the purpose stays with the number


def test_the_cpr_looked_up_is_in_no_url_and_no_log_line(client, acute_line, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    response = page_lookup(client, acute_line, "020245-1234")
    assert response.status_code == 200
    assert "0202451234" not in caplog.text
    assert "020245-1234" not in caplog.text
    row = AccessLog.objects.get(action=AccessAction.LOOKUP)
    assert (row.outcome, row.criterion) == (AccessOutcome.MISS, criterion_hash("0202451234"))


# -- a GP's purpose ---------------------------------------------------------------------------


def test_a_gps_purpose_is_kept_in_the_access_log_row(api_client, gp, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_lookup(api_client, gp, reason="  Borgeren ringede om åndenød ")
    row = AccessLog.objects.get(action=AccessAction.LOOKUP)
    assert (row.user, row.patient, row.outcome, row.purpose) == (
        gp,
        discharge.patient,
        AccessOutcome.HIT,
        "Borgeren ringede om åndenød",
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_gps_look_up_without_a_purpose_is_400_and_not_logged(api_client, gp, reason) -> None:  # type: ignore[no-untyped-def]
    extra = {} if reason is None else {"reason": reason}
    response = api_lookup(api_client, gp, **extra)
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    "reason",
    ["Opslag på 0101451234", "borger 010145-1234", "cpr 010145 1234", "０１０１４５１２３４"],
)
def test_a_purpose_holding_a_cpr_number_is_refused(api_client, gp, reason) -> None:  # type: ignore[no-untyped-def]
    response = api_lookup(api_client, gp, reason=reason)
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["Skriv ikke CPR-nummeret i formålet."]
    assert not AccessLog.objects.exists()


def test_the_acute_line_needs_no_purpose(api_client, acute_line) -> None:  # type: ignore[no-untyped-def]
    assert api_lookup(api_client, acute_line).status_code == 200


def test_the_gps_page_asks_for_the_purpose(client, gp) -> None:  # type: ignore[no-untyped-def]
    client.force_login(gp)
    page = client.get(reverse("handover:lookup")).content.decode()
    assert "Formål med opslaget" in page
    answer = page_lookup(client, gp, "020245-1234").content.decode()
    assert "Dette felt er påkrævet" in answer
    assert "tjek nummeret" not in answer
    assert not AccessLog.objects.exists()


def test_the_gps_page_refuses_a_purpose_holding_the_cpr(client, gp) -> None:  # type: ignore[no-untyped-def]
    page = page_lookup(client, gp, "020245-1234", reason="020245-1234 har ondt").content.decode()
    assert "Skriv ikke CPR-nummeret i formålet." in page
    assert not AccessLog.objects.exists()


# -- the limit, the page, the board -----------------------------------------------------------


@pytest.mark.parametrize("role", ["gp", "acute_line"])
def test_callers_have_the_look_up_limit(api_client, role, request, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 2
    user = request.getfixturevalue(role)
    codes = [api_lookup(api_client, user, **purpose_for(user)).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    refused = AccessLog.objects.get(outcome=AccessOutcome.DENIED)
    assert refused.count == 2


def test_the_acute_lines_answer_shows_ward_and_number_but_logs_no_call(
    client, acute_line, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, municipality_code="101")
    page = page_lookup(client, acute_line).content.decode()
    assert f"{herlev_ward.name}, Herlev Hospital" in page
    assert 'class="call-now" href="tel:+45' in page
    assert "Registrér opkald" not in page


def test_the_acute_lines_board_lists_its_regions_open_periods_without_call_logging(
    client, acute_line, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, municipality_code="101", name="Ole Hansen")
    record_discharge(
        ward=herlev_ward, cpr="0202451234", municipality_code="751", name="Fremmed Borger"
    )
    client.force_login(acute_line)
    page = client.get(reverse("handover:board")).content.decode()
    assert "Ole Hansen" in page
    assert "Fremmed Borger" not in page
    assert "Registrér opkald" not in page
    assert reverse("handover:board_csv") not in page  # the downtime list stays municipal


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("gp", ["handover:lookup"]),
        ("acute_line", ["handover:lookup", "handover:board"]),
    ],
)
def test_callers_navigation_holds_their_pages_only(client, role, pages, request) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(role))
    navigation = client.get(reverse("handover:lookup")).context["navigation"]
    names = {item["name"] for item in navigation}
    assert names & {"handover:lookup", "handover:board", "handover:worklist"} == set(pages)


def test_the_access_report_shows_a_gps_purpose_and_a_refusal_count(
    client, api_client, gp, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 1
    for _ in range(4):
        api_lookup(api_client, gp, reason="Opkald fra borgeren")
    manager = UserFactory(role=Role.RISK_MANAGER, region_id=1084)
    client.force_login(manager)
    csv = client.post(
        reverse("handover:access_report"), {"username": gp.username, "format": "csv"}
    ).content.decode("utf-8-sig")
    rows = [line.split(";") for line in csv.strip().splitlines()[1:]]
    assert sorted((row[3], row[4], row[5]) for row in rows) == [
        ("Afvist", "3", "Opkald fra borgeren"),
        ("Ikke fundet", "1", "Opkald fra borgeren"),
    ]


@pytest.mark.parametrize("reason", [0, 12, True, ["Kontrol"], {"text": "Kontrol"}])
def test_a_purpose_that_is_not_text_is_400(api_client, acute_line, reason) -> None:  # type: ignore[no-untyped-def]
    response = api_lookup(api_client, acute_line, reason=reason)
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("membership", "sees"), [({"region_id": 1084}, True), ({"municipality_id": "163"}, False)]
)
def test_a_gps_look_ups_are_in_the_regions_access_report_not_the_municipalitys(
    client, api_client, gp, membership, sees
) -> None:  # type: ignore[no-untyped-def]
    api_lookup(api_client, gp, reason="Opkald fra borgeren")
    client.force_login(UserFactory(role=Role.RISK_MANAGER, **membership))
    page = client.post(reverse("handover:access_report"), {"username": gp.username})
    assert ("Opkald fra borgeren" in page.content.decode()) is sees


@pytest.mark.parametrize("role", ["gp", "acute_line"])
def test_a_caller_cannot_name_a_period_by_id_in_the_report_form(
    client, role, herlev_ward, request
) -> None:  # type: ignore[no-untyped-def]
    """The report form would say which ward an id's open period is at: a caller gets the same
    403 for a period of her region, one outside it and an id nobody has."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    visible = record_discharge(ward=herlev_ward)
    assert Discharge.objects.visible_to(user).filter(pk=visible.pk).exists()
    answers = [
        client.get(reverse("incidents:report_new"), {"discharge": pk})
        for pk in (visible.pk, visible.pk + 1000)
    ]
    assert [answer.status_code for answer in answers] == [403, 403]
    assert answers[0].content == answers[1].content
    assert herlev_ward.name not in answers[0].content.decode()
    posted = client.post(reverse("incidents:report_new"), {"discharge": visible.pk})
    assert posted.status_code == 403
