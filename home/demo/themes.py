"""The themes that run through the demo courses and case studies, from ``data/themes.toml``."""

from dataclasses import dataclass

from . import CREATED, UNCHANGED, UPDATED
from .loader import DATA, read


@dataclass(frozen=True)
class ThemeData:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Themes:
    """``data/themes.toml``: a ``[[themes]]`` table for each theme."""

    themes: list[ThemeData]


def load_themes(summary) -> dict:
    """Create or update the demo themes; returns them by slug."""
    from courses.models import Theme

    themes = {}
    for spec in read(DATA / "themes.toml", Themes).themes:
        wanted = {"name": spec.name, "description": spec.description}
        theme, created = Theme.objects.get_or_create(slug=spec.slug, defaults=wanted)
        if created:
            outcome = CREATED
        elif (theme.name, theme.description) != (spec.name, spec.description):
            theme.name, theme.description = spec.name, spec.description
            theme.save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        summary.record("themes", outcome, spec.name)
        themes[spec.slug] = theme
    return themes
