from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy: people and places"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import privacy_rules  # noqa: F401  (registers this app's personal data)
        from .choosers import tolerate_bad_ids
        from .converters import register_id_converter
        from .lookups import register_lookups
        from .outbox.digest import digest
        from .outbox.kinds import register_kind

        register_id_converter()  # <id:…> in every app's URLs, before any URLconf is loaded
        register_lookups()  # id__in=[…] with a number no row can have finds nothing
        register_kind(digest)  # the outbox's own kind of email; the apps register theirs
        tolerate_bad_ids()  # Wagtail's choosers redraw a posted non-id as "nothing chosen"
