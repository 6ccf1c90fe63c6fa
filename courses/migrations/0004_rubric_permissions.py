"""Editors and moderators keep the rubrics assessments are marked against, as they keep the
themes (0002): editors add and change them, moderators also delete those no assessment uses."""

from django.db import migrations

RUBRIC_PERMISSIONS = {
    "Editors": ["add_rubric", "change_rubric", "view_rubric"],
    "Moderators": ["add_rubric", "change_rubric", "delete_rubric", "view_rubric"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="rubric")
    for group_name, codenames in RUBRIC_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            action = codename.split("_")[0]
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {action} rubric"},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=RUBRIC_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="courses",
                codename__in=RUBRIC_PERMISSIONS[group.name],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_assessments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
