from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from .models import NotificationPreference, Organisation, OutboxEmail, Place, Sector, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, which looks up the chosen value again when the form is
    shown with its errors: a value that is not an id is left out of that look-up, so the form
    is shown again with the field's error instead of failing with a server error."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [item for item in value if _is_a(target, item)], attr)


def _is_a(field, value) -> bool:
    if value in (None, ""):
        return True
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "sector", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "sector"]
    search_fields = ["email", "display_name", "organisation__name"]
    list_select_related = ["organisation", "sector"]
    autocomplete_fields = ["organisation", "place"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "job_title", "organisation", "sector", "place"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ons_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ons_code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Every email the academy has written: sent, waiting, failed (with the reason) or not sent
    (and why). Read only: the outbox itself decides what is sent."""

    list_display = ["created_at", "kind", "user", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "kind", "delivery"]
    search_fields = ["key", "user__email", "to_email", "subject"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxEmail._meta.fields] + ["message_id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "delivery", "updated_at"]
    list_filter = ["kind", "enabled", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
