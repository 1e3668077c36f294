from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The composition of the apps (config/): its management commands seed the demo."""

    name = "config"
    verbose_name = "Behandlingsansvar"
