from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy: people and places"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import privacy_rules  # noqa: F401  (registers this app's personal data)
