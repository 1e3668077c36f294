from django.conf import settings
from django.test import Client


def test_pages_are_danish_even_for_an_english_browser(client: Client) -> None:
    page = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="da"' in page


def test_the_language_switch_chooses_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/konto/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Password" in page


def test_api_errors_follow_accept_language(client: Client) -> None:
    danish = client.get("/api/v1/wards/", HTTP_ACCEPT_LANGUAGE="da").json()["detail"]
    english = client.get("/api/v1/wards/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert danish != english
    assert english == "Authentication credentials were not provided."


def test_responses_name_their_language_and_vary_by_accept_language(client: Client) -> None:
    api = client.get("/api/v1/wards/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert (api["Content-Language"], page["Content-Language"]) == ("en", "da")
    for response in (api, page):
        assert "Accept-Language" in response["Vary"]
