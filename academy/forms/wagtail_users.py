"""Wagtail's user forms, for a user model with a display name and no first or last name."""

from django.contrib.auth import get_user_model

from wagtail.users import forms as wagtail_forms

from .fields import NameField

User = get_user_model()
FIELDS = {"email", "display_name", "job_title", "is_superuser", "groups"}


class UserCreationForm(wagtail_forms.UserCreationForm):
    first_name = None
    last_name = None
    display_name = NameField(label="Name", subject="The name", max_length=150)
    job_title = NameField(
        label="Job title", subject="The job title", max_length=150, required=False
    )

    class Meta(wagtail_forms.UserCreationForm.Meta):
        model = User
        fields = FIELDS


class UserEditForm(wagtail_forms.UserEditForm):
    first_name = None
    last_name = None
    display_name = NameField(label="Name", subject="The name", max_length=150)
    job_title = NameField(
        label="Job title", subject="The job title", max_length=150, required=False
    )

    class Meta(wagtail_forms.UserEditForm.Meta):
        model = User
        fields = FIELDS | {"is_active"}
