"""A password change or a deactivation revokes all of the user's API tokens.

A signal, because a password is changed on several paths (the admin's form, ``set_password``
and ``save`` in a shell or a command) and an account deactivated on as many; sessions end by
themselves (Django's session hash, ``OrganisationBackend``), tokens would not.
"""

from collections.abc import Iterable
from typing import Any

from accounts import tokens
from accounts.models import User

CREDENTIALS = frozenset({"password", "is_active"})


def revoke_tokens_on_new_credentials(
    sender: type[User],
    instance: User,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **_signal: Any,
) -> None:
    """Before a user is saved: revoke her tokens when her password changes or she is made
    inactive. A save that names its fields and leaves these out (``last_login`` at every sign-in)
    reads nothing."""
    if raw or instance._state.adding:
        return
    if update_fields is not None and not CREDENTIALS.intersection(update_fields):
        return
    stored = User._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["password"] != instance.password or (stored["is_active"] and not instance.is_active):
        tokens.revoke_all(user=instance)
