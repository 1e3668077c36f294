from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = _("Behandlingsansvar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from contacts import directory
        from handover.models import ResponsibilityRule

        for signal in (post_save, post_delete):
            signal.connect(
                directory.changed, sender=ResponsibilityRule, dispatch_uid="directory-rule"
            )
