"""Password login, with the signed-in user's organisation read together with the user."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class OrganisationBackend(ModelBackend):
    """Every page names the user's organisation and scopes its queries by it: reading the ward
    (with its hospital), hospital, municipality and region in the user's own query saves a query
    or two on each request."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related(
                "ward__hospital", "hospital", "municipality", "region"
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
