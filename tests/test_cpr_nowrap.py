"""A CPR number (010145-****) is one word on every page: it never breaks at its hyphen."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import record_discharge

ROOT = Path(__file__).resolve().parent.parent
CPR_IN_TEMPLATE = re.compile(r"(<[a-z]+[^>]*>)\{\{ [\w.]+\.cpr_(?:masked|display) \}\}")


def test_every_cpr_a_template_shows_is_in_an_element_that_does_not_wrap() -> None:
    shown = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        count = len(re.findall(r"\.cpr_(?:masked|display) \}\}", text))
        marked = [
            tag for tag in CPR_IN_TEMPLATE.findall(text) if re.search(r'class="[^"]*\bcpr\b', tag)
        ]
        shown.append((template.name, count, len(marked)))
    assert sum(count for _name, count, _marked in shown) >= 7
    assert [(name, count) for name, count, marked in shown if marked != count] == []


def test_the_cpr_class_does_not_wrap() -> None:
    css = (ROOT / "static" / "css" / "app.css").read_text()
    rule = re.search(r"(^|\n)([^{}\n]*\.cpr\b[^{}]*)\{([^}]*)\}", css)
    assert rule is not None
    assert "white-space: nowrap" in rule.group(3)


@pytest.mark.django_db
def test_the_citizen_board_marks_the_masked_cpr(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    page = client.get(reverse("handover:board")).content.decode()
    assert '<span class="hint cpr">010145-****</span>' in page
