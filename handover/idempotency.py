"""Creating requests answered once: the same key from the same user returns the first answer
again and writes nothing more (API.md, "Interoperability").

Two doors, one store (``IdempotencyKey``):

- the API's ``Idempotency-Key`` header: ``@idempotent`` under ``@api_view`` on every creating
  POST (discharges, extensions, ends, calls, incidents);
- the one-time token that ``{% form_token %}`` renders into each HTML form that creates
  something: ``answer_form_once`` around the view's POST branch, so a double click creates once.

A request with a key inserts the key's row before it changes anything, in the transaction of the
change, and fills in its answer before that transaction commits. A repeat sent while the first
still runs inserts the same (user, key) and waits on the unique constraint until the first
transaction ends (PostgreSQL makes the second INSERT wait; on SQLite every transaction takes the
write lock when it begins); it then finds the committed row and answers with it, or, when the
first rolled back, runs itself. Only answers that mean "done" are kept (2xx from the API, a
redirect from a form): after a refusal nothing of the request stays and the key may be used again.

The same key with another path or data is refused: 422 from the API (as the IETF draft on the
header); a form goes to the first answer with a message that the new data was not saved.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import AuthedRequest, api_user
from accounts.models import User
from api.schema import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN
from handover.models import IdempotencyKey

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
# Fields that differ between two sends of one form without changing what it asks for.
_NOT_ASKED = frozenset({"csrfmiddlewaretoken", FORM_TOKEN_FIELD})

Answered = TypeVar("Answered", bound=HttpResponse)


@dataclass(frozen=True)
class Ask:
    """What a request asks for: a repeat must ask for the same to get the first answer."""

    method: str
    path: str
    data_hash: str

    @classmethod
    def of(cls, method: str, path: str, data: Any) -> "Ask":
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
        return cls(method, path, hashlib.sha256(canonical.encode()).hexdigest())

    def matches(self, stored: IdempotencyKey) -> bool:
        return (self.method, self.path, self.data_hash) == (
            stored.method,
            stored.path,
            stored.request_hash,
        )


class KeyReused(Exception):
    """The key answered another request (another path or data) before."""

    def __init__(self, stored: IdempotencyKey) -> None:
        super().__init__(stored.path)
        self.stored = stored


class KeyInUse(Exception):
    """The key was held by another request, yet no answer is found for it afterwards: only when
    the row expired in between. Answered 409, "try again"."""


def valid_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None


def _stored(user: User, key: str, now: datetime) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(
        user=user, key=key, created_at__gt=now - settings.IDEMPOTENCY_KEY_LIFETIME
    ).first()


def _claim(user: User, key: str, ask: Ask, now: datetime) -> IdempotencyKey | None:
    """Insert the key's row, or None when another request holds the key.

    While another transaction holds an uncommitted row for the key, the INSERT waits for it.
    """
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user,
                key=key,
                method=ask.method,
                path=ask.path,
                request_hash=ask.data_hash,
                created_at=now,
            )
    except IntegrityError:
        return None


def answer_once(
    *,
    user: User,
    key: str,
    ask: Ask,
    run: Callable[[], Answered],
    keep: Callable[[Answered], tuple[int, Any] | None],
    replay: Callable[[IdempotencyKey], Answered],
) -> Answered:
    """``run()`` once per user and key; a repeat gets ``replay`` of what ``keep`` stored.

    ``keep`` gives the status and JSON to store, or None for an answer not to keep (a refusal):
    then the request's writes are rolled back with its key. Raises ``KeyReused`` when the key
    answered another request, ``KeyInUse`` in the rare case described there.
    """
    now = timezone.now()
    stored = _stored(user, key, now)
    if stored is None:
        with transaction.atomic():
            # An expired row not yet swept away would hold the unique constraint.
            IdempotencyKey.objects.filter(
                user=user, key=key, created_at__lte=now - settings.IDEMPOTENCY_KEY_LIFETIME
            ).delete()
            claimed = _claim(user, key, ask, now)
            if claimed is not None:
                answer = run()
                kept = keep(answer)
                if kept is None:
                    transaction.set_rollback(True)
                else:
                    claimed.keep_answer(*kept)
                return answer
        # Another request held the key and has committed its answer by now.
        stored = _stored(user, key, now)
        if stored is None:
            raise KeyInUse
    if not ask.matches(stored):
        raise KeyReused(stored)
    return replay(stored)


def forget_expired(*, now: datetime) -> int:
    """Delete the keys older than ``IDEMPOTENCY_KEY_LIFETIME`` (the hourly beat task)."""
    deleted, _kinds = IdempotencyKey.objects.filter(
        created_at__lte=now - settings.IDEMPOTENCY_KEY_LIFETIME
    ).delete()
    return deleted


# The API's door.


class KeyReusedError(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "Idempotency-Key er allerede brugt til en anden forespørgsel. "
        "Brug en ny nøgle til en ny forespørgsel."
    )
    default_code = "idempotency_key_reused"


class KeyInUseError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "En forespørgsel med samme Idempotency-Key er i gang. Prøv igen om lidt."
    )
    default_code = "idempotency_key_in_use"


def _request_data(request: Request) -> Any:
    data = request.data
    if isinstance(data, QueryDict):
        return {name: data.getlist(name) for name in data}
    return data


def _kept_api_answer(response: Response) -> tuple[int, Any] | None:
    if status.is_success(response.status_code):
        return response.status_code, response.data
    return None


def _replayed_api_answer(stored: IdempotencyKey) -> Response:
    return Response(
        stored.answer_body(), status=stored.status_code, headers={REPLAYED_HEADER: "true"}
    )


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """A creating API view (under ``@api_view``): a POST with an ``Idempotency-Key`` header is
    answered once per user and key. Without the header the view runs as before."""

    @wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if request.method != "POST" or key is None:
            return view(request, *args, **kwargs)
        if not valid_key(key):
            message = _("Nøglen skal være 1-%(max)d synlige ASCII-tegn.") % {
                "max": IDEMPOTENCY_KEY_MAX_LENGTH
            }
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: [message]})
        try:
            return answer_once(
                user=api_user(request),
                key=key,
                ask=Ask.of(request.method, request.path, _request_data(request)),
                run=lambda: view(request, *args, **kwargs),
                keep=_kept_api_answer,
                replay=_replayed_api_answer,
            )
        except KeyReused as error:
            raise KeyReusedError from error
        except KeyInUse as error:
            raise KeyInUseError from error

    return wrapper


# The forms' door.


def _kept_redirect(response: HttpResponse) -> tuple[int, Any] | None:
    if isinstance(response, HttpResponseRedirect):
        return response.status_code, {"location": response["Location"]}
    return None


def answer_form_once(request: AuthedRequest, run: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer a form's POST once per its one-time token (``{% form_token %}``).

    ``run`` handles the POST: a redirect (done) is kept and a second send of the same form gets
    it again with a note; a page (the form with its errors) is not, and the form, rendered with a
    new token, may be sent again. A POST without a token (a script, not the page) just runs.
    """
    token = request.POST.get(FORM_TOKEN_FIELD)
    if token is None:
        return run()
    if not valid_key(token):
        raise SuspiciousOperation("malformed form token")
    asked = {name: request.POST.getlist(name) for name in request.POST if name not in _NOT_ASKED}
    files = {
        name: [(upload.name, upload.size) for upload in request.FILES.getlist(name)]
        for name in request.FILES
    }

    def replay(stored: IdempotencyKey) -> HttpResponse:
        messages.info(
            request, _("Formularen blev sendt mere end én gang; kun første gang blev behandlet.")
        )
        return HttpResponseRedirect(stored.answer_body()["location"])

    try:
        return answer_once(
            user=request.user,
            key=token,
            ask=Ask.of("POST", request.path, {"fields": asked, "files": files}),
            run=run,
            keep=_kept_redirect,
            replay=replay,
        )
    except KeyReused as error:
        messages.error(
            request,
            _(
                "Formularen var allerede sendt, så de nye oplysninger er ikke gemt. "
                "Åbn formularen igen for at registrere noget nyt."
            ),
        )
        return HttpResponseRedirect(error.stored.answer_body()["location"])
    except KeyInUse:
        return HttpResponse(
            _("Formularen er ved at blive gemt. Prøv igen om lidt."),
            status=status.HTTP_409_CONFLICT,
            content_type="text/plain; charset=utf-8",
        )
