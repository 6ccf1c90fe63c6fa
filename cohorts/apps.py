from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.access import register_lesson_rule

        from . import privacy_rules  # noqa: F401  (registers this app's personal data)
        from .selectors import lesson_rule

        register_lesson_rule(lesson_rule)
