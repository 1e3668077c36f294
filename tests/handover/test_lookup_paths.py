"""The look-up's two paths: a token request answered without DRF, anything else by DRF.

Both must give the same answer, byte for byte, and every request the short path would refuse
must reach DRF before anything is logged, so that its error is DRF's own.
"""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import AccessAction, AccessLog, AccessOutcome, Role
from handover import api_municipal
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

URL = "/api/v1/lookup/"


@pytest.fixture
def nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


@pytest.fixture
def token(nurse) -> str:  # type: ignore[no-untyped-def]
    return str(Token.objects.create(user=nurse).key)


@pytest.fixture
def by_drf(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The requests passed on to the DRF view, by method and path."""
    passed: list[str] = []
    view = api_municipal.lookup_by_drf

    def counted(request):  # type: ignore[no-untyped-def]
        passed.append(f"{request.method} {request.path}")
        return view(request)

    monkeypatch.setattr(api_municipal, "lookup_by_drf", counted)
    return passed


def _post(client, body, **headers):  # type: ignore[no-untyped-def]
    return client.post(URL, body, content_type="application/json", headers=headers)


def _same(fast, drf) -> None:  # type: ignore[no-untyped-def]
    assert (fast.status_code, fast.content) == (drf.status_code, drf.content)
    for header in ("Content-Type", "Allow", "Vary"):
        assert fast.get(header) == drf.get(header), header


@pytest.mark.parametrize("municipality", ["163", "101"])  # her own citizen, another's
@pytest.mark.parametrize("cpr", ["010145-1234", "0202451234"])  # known, unknown
def test_a_token_look_up_is_answered_as_drf_answers_it(
    herlev_ward, nurse, token, by_drf, municipality, cpr
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, municipality_code=municipality)
    fast = _post(Client(), {"cpr": cpr}, Authorization=f"Token {token}")
    assert by_drf == []
    session = Client()
    session.force_login(nurse)
    drf = _post(session, {"cpr": cpr})
    assert by_drf == [f"POST {URL}"]
    _same(fast, drf)
    first, second = AccessLog.objects.filter(action=AccessAction.LOOKUP).order_by("id")
    assert (first.user, first.outcome, first.object_id) == (nurse, second.outcome, second.object_id)


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ('{"cpr": "3102451234"}', {}, 400),  # an impossible date
        ('{"cpr": 101451234}', {}, 400),  # not a text
        ('{"cpr": "0101451234"', {}, 400),  # not JSON
        ('{"cpr": NaN}', {}, 400),  # not strict JSON
        ('["0101451234"]', {}, 400),  # not an object
        ('{"cpr": "0101451234"}', {"Authorization": "Token nonsense"}, 401),
        ('{"cpr": "0101451234"}', {"Authorization": "Token"}, 401),
        ('{"cpr": "0101451234"}', {"Accept": "text/html"}, 406),
    ],
)
def test_what_the_short_path_would_refuse_is_refused_by_drf(
    token, by_drf, body, headers, status
) -> None:  # type: ignore[no-untyped-def]
    response = _post(Client(), body, **{"Authorization": f"Token {token}", **headers})
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"}
    assert by_drf == [f"POST {URL}"]
    assert AccessLog.objects.count() == 0


def test_an_inactive_users_token_is_refused(nurse, token, by_drf) -> None:  # type: ignore[no-untyped-def]
    nurse.is_active = False
    nurse.save()
    response = _post(Client(), {"cpr": "0101451234"}, Authorization=f"Token {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert AccessLog.objects.count() == 0


def test_a_session_look_up_still_needs_its_csrf_token(nurse, by_drf) -> None:  # type: ignore[no-untyped-def]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(nurse)
    assert _post(browser, {"cpr": "0101451234"}).status_code == 403
    assert by_drf == [f"POST {URL}"]
    assert AccessLog.objects.count() == 0


def test_past_the_limit_both_paths_give_the_same_429(nurse, token, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 1
    client = Client()
    assert _post(client, {"cpr": "0101451234"}, Authorization=f"Token {token}").status_code == 200
    fast = _post(client, {"cpr": "0101451234"}, Authorization=f"Token {token}")
    session = Client()
    session.force_login(nurse)
    drf = _post(session, {"cpr": "0101451234"})
    assert fast.status_code == 429
    _same(fast, drf)
    outcomes = list(AccessLog.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [AccessOutcome.MISS, AccessOutcome.DENIED, AccessOutcome.DENIED]
