"""Wagtail's users admin with the academy's user forms (``academy.forms.wagtail_users``):
Wagtail's own forms ask for first and last names, which the academy's users do not have.
Registered by ``academy.users_admin.WagtailUsersConfig``. Only superusers hold the permissions the
users admin asks for (tests/access/rows.py)."""

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms.wagtail_users import UserCreationForm, UserEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
