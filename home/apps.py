from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home, standard pages and search"
    default_auto_field = "django.db.models.BigAutoField"
