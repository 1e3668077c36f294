"""The session store: Django's database sessions, read by a prepared query."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back() -> None:
    session = SessionStore()
    session["nurse"] = "Susanne"
    session.create()
    again = SessionStore(session.session_key)
    assert again["nurse"] == "Susanne"
    assert again.session_key == session.session_key


def test_an_expired_session_reads_empty_and_loses_its_key() -> None:
    session = SessionStore()
    session["nurse"] = "Susanne"
    session.set_expiry(60)
    session.create()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        again = SessionStore(session.session_key)
        assert again.get("nurse") is None
        assert again.session_key is None


def test_an_unknown_key_reads_empty() -> None:
    again = SessionStore("x" * 32)
    assert again.get("nurse") is None
    assert again.session_key is None
