"""API tokens beyond knox's views: revoking all of a user's, deleting the expired ones."""

from datetime import datetime

from knox.models import AuthToken

from accounts.models import User


def revoke_all(*, user: User) -> int:
    """Every device of ``user`` must sign in again."""
    count, _by_model = AuthToken.objects.filter(user=user).delete()
    return count


def delete_expired(*, at: datetime) -> int:
    """Tokens past their expiry are refused already (``accounts.auth``); their rows go here."""
    count, _by_model = AuthToken.objects.filter(expiry__lt=at).delete()
    return count
