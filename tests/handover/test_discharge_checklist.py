"""The discharge checklist on the ward's new-discharge page (seed 000: "Udarbejd
hjælpeliste/flowchart til brug ved udskrivelse")."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, make_user, herlev_ward) -> str:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return client.get(reverse("handover:discharge_new")).content.decode()


def test_the_checklist_names_what_the_report_must_say(page) -> None:  # type: ignore[no-untyped-def]
    items = re.findall(r'<li data-check="(\w+)">([^<]+)</li>', page)
    assert [key for key, _text in items] == [
        "responsibility",
        "until",
        "phone",
        "plan",
        "informed",
    ]
    assert "indtil hvornår (dato og klokkeslæt)," in page
    assert "at patient og pårørende er informeret." in page


def test_the_checklist_is_inside_the_form_it_ticks_off(page) -> None:  # type: ignore[no-untyped-def]
    new = reverse("handover:discharge_new")
    form = re.search(rf'<form method="post" action="{new}".*?</form>', page, re.S)
    assert form is not None
    assert '<aside class="card checklist"' in form.group(0)


def test_the_checklist_runs_no_script_and_sets_no_style(page) -> None:  # type: ignore[no-untyped-def]
    checklist = re.search(r'<aside class="card checklist".*?</aside>', page, re.S)
    assert checklist is not None
    assert not re.search(r"<script|\son\w+=|\sstyle=", checklist.group(0))
