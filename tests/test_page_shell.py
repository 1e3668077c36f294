"""Every page has the one shell (config.jinja): a page the Django engine renders (the phone list)
and one Jinja2 renders (the worklist) carry the same head, header and footer."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

PAGES = [("handover:worklist", "Udskrivelser"), ("contacts:ward_list", "Telefonliste")]


@pytest.fixture
def nurse(client: Client, herlev_ward, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward, first_name="Grete"))
    return client


def shell_of(page: str) -> str:
    """The page without its content and with its CSRF tokens (masked anew on each page) blanked."""
    top, rest = page.split('<main id="main">')
    bottom = rest[rest.index("</main>") :]
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", top + bottom).rstrip()


@pytest.mark.parametrize(("name", "title"), PAGES)
def test_the_shell_names_the_page_the_user_and_her_navigation(nurse, name, title) -> None:  # type: ignore[no-untyped-def]
    url = reverse(name)
    page = nurse.get(url).content.decode()
    assert f"<title>{title} · Udvidet behandlingsansvar</title>" in page
    assert f'<a href="{url}" aria-current="page">{title}' in page
    assert "Grete" in page
    assert '<input type="hidden" name="csrfmiddlewaretoken"' in page
    assert f'<input type="hidden" name="next" value="{url}">' in page
    assert "Ved akut livsfare: ring 112." in page


def test_both_engines_give_the_same_shell_but_for_title_and_current_page(nurse) -> None:  # type: ignore[no-untyped-def]
    def shell_as_if_elsewhere(name: str, title: str) -> str:
        url = reverse(name)
        return (
            shell_of(nurse.get(url).content.decode())
            .replace(f"<title>{title} ·", "<title>·")
            .replace(f'<a href="{url}" aria-current="page">', f'<a href="{url}">')
            .replace(f'name="next" value="{url}"', 'name="next" value=""')
        )

    jinja, django = (shell_as_if_elsewhere(name, title) for name, title in PAGES)
    assert jinja == django


def test_the_shell_and_the_worklist_speak_english_when_asked(nurse) -> None:  # type: ignore[no-untyped-def]
    nurse.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = nurse.get(reverse("handover:worklist")).content.decode()
    assert 'lang="en"' in page
    assert "Discharges with treatment responsibility" in page
    assert "In acute danger to life: call 112." in page
    assert "Log out" in page


def test_messages_are_shown_once_by_the_jinja_shell(nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    response = nurse.post(
        reverse("handover:discharge_extend", args=[discharge.pk]),
        {"hours": 12, "reason": "Ustabil"},
    )
    page = nurse.get(reverse("handover:worklist"))
    assert page.content.decode().count('<li class="message ') == 1
    assert response.status_code == 302
    again = nurse.get(reverse("handover:worklist")).content.decode()
    assert '<li class="message ' not in again  # shown once, not left for the next page
