"""The one way to write the access log (sundhedsloven § 42 a)."""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from accounts.models import User
from handover.models import AccessAction, AccessLog, AccessOutcome, Patient


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
    model: type[models.Model] | None = None,
    patient: Patient | None = None,
    criterion: str = "",
    outcome: str = AccessOutcome.OK,
    purpose: str = "",
) -> AccessLog:
    """Append one row to the access log. ``criterion`` is hashed before it is stored.

    ``obj`` names the object read; ``model`` names the kind of a list read (no single object).
    """
    kind = obj if obj is not None else model
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=kind._meta.label_lower if kind is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        patient=patient,
        criterion=criterion_hash(criterion) if criterion else "",
        client_address=client_address(request),
        outcome=outcome,
        purpose=purpose,
    )


def log_refused_lookup(
    *,
    user: User,
    at: datetime,
    request: HttpRequest | None = None,
    criterion: str = "",
    purpose: str = "",
) -> None:
    """Log a look-up refused past the limit: one more on the user's refusal row of ``at``'s
    clock minute, or that row begun (with this attempt's criterion and purpose).

    The caller holds the user's row lock (``handover.lookup.look_up``), so two refusals at once
    cannot both begin a row; a client refused thousands of times a minute writes one row.
    """
    minute = at.replace(second=0, microsecond=0)
    counted = AccessLog.objects.filter(
        user=user, at__gte=minute, at__lt=minute + timedelta(minutes=1)
    ).count_one_more()
    if not counted:
        log_access(
            user=user,
            action=AccessAction.LOOKUP,
            request=request,
            criterion=criterion,
            outcome=AccessOutcome.DENIED,
            purpose=purpose,
        )
