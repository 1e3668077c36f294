from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Kontakter")

    def ready(self) -> None:
        from contacts import signals, sor
        from contacts.models import Hospital, Municipality, PhoneOverride, SorUnit, Ward

        for signal in (post_save, post_delete):
            signal.connect(signals.ward_changed, sender=Ward, dispatch_uid=f"ward-{signal}")
            signal.connect(
                signals.hospital_changed, sender=Hospital, dispatch_uid=f"hospital-{signal}"
            )
            signal.connect(
                signals.override_changed, sender=PhoneOverride, dispatch_uid=f"override-{signal}"
            )
            for model in (SorUnit, Ward, Hospital, Municipality):
                signal.connect(
                    sor.directory_changed, sender=model, dispatch_uid=f"sor-{model}-{signal}"
                )
