"""Signing in by password and session: the user is read with her organisation.

Every page names the user's organisation and scopes its queries by it, so the session's user is
read with her ward (and its hospital), hospital, municipality and region in one query.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User

ORGANISATION = ("ward__hospital", "hospital", "municipality", "region")


class OrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related(*ORGANISATION).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
