from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = _("Behandlingsansvar")

    def ready(self) -> None:
        from contacts import directory
        from handover.models import ResponsibilityRule

        directory.follow(ResponsibilityRule)
