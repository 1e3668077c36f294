"""The session's lifetime: an idle timeout renewed at most once a minute, and an absolute one."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

SESSION_STARTED_KEY = "auth_started_at"
SESSION_RENEWED_KEY = "renewed_at"
RENEW_AFTER_SECONDS = 60


class SessionLifetimeMiddleware:
    """Log a user out when her session is older than SESSION_ABSOLUTE_SECONDS, active or not.

    Activity renews the idle timeout (SESSION_COOKIE_AGE), but at most once a minute: a renewal
    writes the session, and saving it on every request would cost every page a write. An idle
    session so ends up to a minute before SESSION_COOKIE_AGE has passed since the last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = timezone.now().timestamp()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
            renewed = float(request.session.get(SESSION_RENEWED_KEY, 0))
            if request.user.is_authenticated and now - renewed >= RENEW_AFTER_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


class DanishFirstLocaleMiddleware:
    """Danish unless the user picked another language in the UI (the language cookie).

    Staff browsers are often set to English; the product's language is Danish all the same. The
    API still honours Accept-Language, so an integration can ask for Danish or English errors.

    Otherwise as Django's ``LocaleMiddleware`` for URLs without language prefixes, which are all
    the product's (it has no ``i18n_patterns``): that middleware looks for a language in the
    path twice a request, and a path such as ``/api/v1/lookup/`` costs it a ``LookupError``
    each time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/") or chosen in dict(settings.LANGUAGES):
            translation.activate(translation.get_language_from_request(request))
        else:
            translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
