"""Editors and moderators manage the Theme snippet (courses and case studies are tagged with
themes). Wagtail's own migrations already give both groups page permissions on the root page
(editors add and change, moderators also publish) and image and document permissions on the
root collection."""

from django.db import migrations

THEME_PERMISSIONS = {
    "Editors": ["add_theme", "change_theme", "view_theme"],
    "Moderators": ["add_theme", "change_theme", "delete_theme", "view_theme"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="theme")
    for group_name, codenames in THEME_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            action = codename.split("_")[0]
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {action} theme"},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=THEME_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="courses",
                codename__in=THEME_PERMISSIONS[group.name],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
