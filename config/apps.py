from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's own machinery (config/): connected when the apps are ready."""

    name = "config"
    verbose_name = "Behandlingsansvar"

    def ready(self) -> None:
        from config import db  # noqa: F401  (connects the timestamp loader)
