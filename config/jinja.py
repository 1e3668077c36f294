"""The Jinja2 environment: the page shell (head, header, footer) that every page shares,
whichever engine renders the page (``config.templatetags.shell``), and the worklist.

The Django engine renders a page shell of a hundred nodes, most of them translations, in about
a fifth of a worklist's time; Jinja2 compiles it to Python. The shell's words are translated
with Django's catalogues (``{{ _("…") }}``, which makemessages finds).
"""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, gettext, ngettext
from django_htmx.jinja import htmx_script
from jinja2 import Environment


def url(name: str, *args: Any) -> str:
    """``reverse``; once per process for a name without arguments, such as the shell's links
    and the navigation's."""
    if args:
        return reverse(name, args=args)
    return _reversed(name, get_script_prefix())


@lru_cache(maxsize=128)
def _reversed(name: str, script_prefix: str) -> str:
    return reverse(name)


@lru_cache(maxsize=128)
def static(path: str) -> str:
    """The static file's URL, found in the storage's manifest once per process."""
    return django_static(path)


@receiver(setting_changed)
def _settings_changed(**_signal: object) -> None:
    """URLs follow the settings (tests change them)."""
    _reversed.cache_clear()
    static.cache_clear()


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on: a template turns it off where it escapes itself
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static=static,
        url=url,
        htmx_script=htmx_script,
        get_language=get_language,
        languages=settings.LANGUAGES,
    )
    return env
