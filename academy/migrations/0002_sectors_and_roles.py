from django.db import migrations

SECTORS = [
    ("local-government", "Local government"),
    ("nhs-and-health", "NHS and health"),
    ("police-and-justice", "Police and justice"),
    ("fire-and-rescue", "Fire and rescue"),
    ("central-government", "Central government"),
    ("education", "Education"),
    ("housing", "Housing"),
    ("voluntary-and-community", "Voluntary and community"),
    ("other", "Other"),
]

ROLE_GROUPS = {
    # Facilitators work in /facilitate/, not in the CMS.
    "Facilitators": [],
    # Programme managers manage cohorts in the Wagtail admin.
    "Programme managers": [("wagtailadmin", "admin", "access_admin")],
}


def create(apps, schema_editor):
    Sector = apps.get_model("academy", "Sector")
    for order, (slug, name) in enumerate(SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, permissions in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, codename in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": "Can access Wagtail admin"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
