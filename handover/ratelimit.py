"""A per-user limit on look-ups, so a stolen session cannot sweep the CPR register."""

import logging

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from config.cache import count

logger = logging.getLogger(__name__)


def allow_lookup(user: User) -> bool:
    """Count this look-up in the current minute; False once the limit is passed.

    When the cache is unreachable the look-up is allowed: a nurse with a patient in front of her
    must not be stopped by our infrastructure.
    """
    minute = int(timezone.now().timestamp() // 60)
    key = f"lookup-rate:{user.pk}:{minute}"
    try:
        counted = count(key, timeout=120)
    except Exception:  # the cache backend's own connection errors vary by backend
        logger.warning("look-up rate limit skipped: cache unavailable", exc_info=True)
        return True
    return counted <= settings.LOOKUP_RATE_PER_MINUTE
