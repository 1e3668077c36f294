from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere")

    def ready(self) -> None:
        from accounts import signals
        from accounts.models import User

        pre_save.connect(
            signals.revoke_tokens_on_new_credentials,
            sender=User,
            dispatch_uid="revoke-tokens-on-new-credentials",
        )
