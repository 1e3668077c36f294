from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Kontakter")

    def ready(self) -> None:
        from contacts import directory
        from contacts.models import Hospital, Municipality, Ward

        directory.follow(Hospital, Ward, Municipality)
