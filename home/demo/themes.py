"""The themes that run through the demo courses and case studies."""

from . import CREATED, UNCHANGED, UPDATED

THEMES = [
    ("systems-leadership", "Systems leadership", "Leading where no one is in charge of the whole."),
    ("place-based-working", "Place-based working", "Organising services around a place."),
    (
        "citizen-centred-services",
        "Citizen-centred services",
        "Designing services around people, not organisations.",
    ),
    ("pooled-budgets", "Pooled budgets", "Sharing money, risk and accountability."),
    ("data-and-evidence", "Data and evidence", "Counting and mapping what a place spends."),
]


def load_themes(summary) -> dict:
    """Create or update the demo themes; returns them by slug."""
    from courses.models import Theme

    themes = {}
    for slug, name, description in THEMES:
        theme, created = Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        if created:
            outcome = CREATED
        elif (theme.name, theme.description) != (name, description):
            theme.name, theme.description = name, description
            theme.save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        summary.record("themes", outcome, name)
        themes[slug] = theme
    return themes
