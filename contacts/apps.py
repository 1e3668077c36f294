from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Kontakter")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from contacts import directory
        from contacts.models import Hospital, Municipality, Ward

        for model in (Hospital, Ward, Municipality):
            for signal in (post_save, post_delete):
                signal.connect(directory.changed, sender=model, dispatch_uid=f"directory-{model}")
        post_migrate.connect(directory.changed, dispatch_uid="directory-migrate")
