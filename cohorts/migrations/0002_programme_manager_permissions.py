from django.db import migrations

COHORT_PERMISSIONS = {
    "add_cohort": "Can add cohort",
    "change_cohort": "Can change cohort",
    "delete_cohort": "Can delete cohort",
    "view_cohort": "Can view cohort",
}


def grant(apps, schema_editor):
    """Programme managers create and edit cohorts in the Wagtail admin."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="cohorts", model="cohort")
    group, _ = Group.objects.get_or_create(name="Programme managers")
    for codename, name in COHORT_PERMISSIONS.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0001_initial"),
        ("academy", "0002_sectors_and_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
