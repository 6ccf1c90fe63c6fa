from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from courses.access import register_lesson_rule

        from . import (
            notifications,
            privacy_rules,  # noqa: F401  (registers this app's personal data)
            reminders,
        )
        from .access import lesson_rule
        from .checks import credential_key_check
        from .peer_group_preference import own_set
        from .peer_review import register_preference
        from .progress import register_requirement
        from .public_cache import connect_public_cache
        from .requirements.assessments import required_assessments
        from .requirements.lessons import required_lessons

        register_lesson_rule(lesson_rule)
        register_requirement(required_lessons)
        register_requirement(required_assessments)
        register_preference(own_set)
        notifications.register()
        checks.register(credential_key_check)
        reminders.register()
        connect_public_cache()
