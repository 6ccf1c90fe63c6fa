from django.db import migrations


def grant(apps, schema_editor):
    """Programme managers see the outbox in the Wagtail admin (read only)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="academy", model="outboxemail")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_outboxemail",
        defaults={"name": "Can view outbox email"},
    )
    group, _ = Group.objects.get_or_create(name="Programme managers")
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0003_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
