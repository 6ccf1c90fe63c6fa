from django.db import migrations, models
from django.db.models import Q


def mark_named_pdfs(apps, schema_editor):
    """PDFs already drawn for holders who have a name now are taken to show it: the best this
    migration can know (a PDF drawn before a name was added shows the email address; the next
    draw records what it shows)."""
    Certificate = apps.get_model("cohorts", "Certificate")
    Certificate.objects.exclude(pdf="").exclude(
        Q(enrolment__user__display_name="") | Q(enrolment__user__display_name__regex=r"^\s+$")
    ).update(pdf_shows_name=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0007_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="pdf_shows_name",
            field=models.BooleanField(
                default=False,
                help_text="The PDF shows the holder's name. It shows their email address instead "
                "when they had no name as it was drawn, and then only they download it.",
            ),
        ),
        migrations.RunPython(mark_named_pdfs, migrations.RunPython.noop),
    ]
