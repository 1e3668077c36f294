from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere og adgangslog")

    def ready(self) -> None:
        from rest_framework.authtoken.models import Token

        from accounts.backends import CREDENTIALS, only_last_login
        from accounts.models import User
        from contacts.models import Hospital, Municipality, Region, Ward

        followed = (User, Token, Ward, Hospital, Municipality, Region)
        CREDENTIALS.follow(*followed, unless=only_last_login)
