"""The one way to write the access log."""

import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from accounts.models import AccessLog, AccessOutcome, User

if TYPE_CHECKING:
    from handover.models import Patient


def criterion_hash(value: str) -> str:
    """A keyed hash of a search criterion (a CPR number), so the log never holds it in clear.

    The same CPR always gives the same hash under the same key, so the citizen's own access report
    can find the misses as well as the hits.
    """
    key = settings.CPR_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    *,
    user: User | None,
    action: str,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    patient: "Patient | None" = None,
    criterion: str = "",
    outcome: str = AccessOutcome.OK,
) -> AccessLog:
    """Append one row to the access log. ``criterion`` is hashed before it is stored."""
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        patient=patient,
        criterion=criterion_hash(criterion) if criterion else "",
        client_address=client_address(request),
        outcome=outcome,
    )
