"""The app config that puts Wagtail's users admin (Settings → Users) in INSTALLED_APPS with the
academy's user forms: a name and job title where Wagtail has first and last names. It lives
alone so that Django finds it before any model is loaded; the viewset is in
``academy/viewsets.py``."""

from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "academy.viewsets.UserViewSet"
