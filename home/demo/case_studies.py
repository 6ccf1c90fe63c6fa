"""The demo case-study library at /case-studies/: place-based teaching examples, one file each
in ``data/pages/case-studies/``.

Every case is illustrative: the places are real but the stories, people and results are written
for teaching. Two cases start from findings published by NLGN in "Greater than the sum of its
parts" (March 2010); those cases name it as their source and say which facts come from it.

The helpers at the top (``upsert_page`` and friends) are shared with ``home.demo.courses``."""

import json
from dataclasses import asdict, dataclass
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder

from wagtail.models import Page
from wagtail.search import index

from academy.models import Place
from courses.models import CaseStudyIndexPage, CaseStudyPage

from . import CREATED, UNCHANGED, UPDATED, Summary
from .images import demo_image
from .loader import INDEX, PAGES, RichText, children, read

# --- Shared page helpers -----------------------------------------------------------------------


def upsert_page(
    summary: Summary,
    parent: Page,
    model: type[Page],
    fields: dict,
    *,
    streams: dict | None = None,
    relations: dict | None = None,
    kind: str = "pages",
) -> Page | None:
    """Create the ``model`` page with ``fields["slug"]`` under ``parent``, or bring an existing
    one back in line: plain ``fields``, StreamField ``streams`` (raw ``[{"type", "value"}]``
    lists) and many-to-many ``relations`` (lists of objects). A new revision is published only
    when something differs, so a second run adds no revisions."""
    streams = streams or {}
    relations = relations or {}
    label = f"{fields['title']} ({parent.url_path[len('/home') :]}{fields['slug']}/)"
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is None:
        page = model(**fields, **streams)
        for name, objects in relations.items():
            getattr(page, name).set(objects)
        parent.add_child(instance=page)
        publish(page)
        summary.record(kind, CREATED, label)
        return page

    page = existing.specific
    if not isinstance(page, model):
        summary.warn(f"{label} is a {type(page).__name__}, not a {model.__name__}: skipped")
        return None
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    for name, raw in streams.items():
        if stream_content(getattr(page, name)) != wanted_stream_content(page, name, raw):
            setattr(page, name, raw)
            changed = True
    for name, objects in relations.items():
        manager = getattr(page, name)
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in objects}:
            manager.set(objects)
            changed = True
    if changed or not page.live:
        publish(page)
        summary.record(kind, UPDATED, label)
    else:
        summary.record(kind, UNCHANGED, label)
    return page


def publish(page: Page) -> None:
    """Publish a new revision and index the page at once, as ``home.demo.pages`` does."""
    page.save_revision(log_action=True).publish()
    index.insert_or_update_object(page)


def stream_content(stream) -> list[tuple]:
    """A StreamField value as (block type, JSON-ready value) pairs, without block ids, in the
    form Wagtail stores it, so that stored and wanted content compare equal."""
    return [
        (child.block_type, _jsonish(child.block.get_prep_value(child.value))) for child in stream
    ]


def wanted_stream_content(page: Page, field_name: str, raw: list[dict]) -> list[tuple]:
    stream_block = page._meta.get_field(field_name).stream_block
    return stream_content(stream_block.to_python(raw))


def raw_stream(blocks: list[tuple]) -> list[dict]:
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _jsonish(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# --- The library -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryData:
    """``data/pages/case-studies/_index.toml``: the library page and the order of its cases."""

    title: str
    introduction: str
    search_description: str
    case_studies: list[str]


@dataclass(frozen=True)
class Figure:
    """An outcome in figures: ``value`` is a number, written as text ("2140", "-21", "1.2")."""

    label: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class Quote:
    quote: str
    attribution: str


@dataclass(frozen=True)
class CaseStudyData:
    """``data/pages/case-studies/<slug>.toml``: one case study."""

    title: str
    place: str
    place_kind: Annotated[str, Place.Kind]
    sectors: list[str]  # partner sectors' slugs
    themes: list[str]  # themes' slugs (data/themes.toml)
    year: int
    hero_image: str  # the image's title: drawn once, found again by it
    hero_image_colours: list[str]  # background first
    hero_image_alt: str
    summary: str
    search_description: str
    challenge: RichText
    what_partners_did: RichText
    outcomes: list[Figure]
    lessons_for_leaders: RichText
    quotes: list[Quote]
    source: str = ""  # where borrowed facts come from


def load_case_studies(summary: Summary, home_page, themes: dict, places: dict) -> list:
    """The case-study library at /case-studies/ and every demo case study, in a fixed order.
    ``themes`` is what ``load_themes`` returns; ``places`` what ``load_places`` returns."""
    from academy.models import Sector

    folder = PAGES / "case-studies"
    library = read(folder / INDEX, LibraryData)
    index_page = upsert_page(
        summary,
        home_page,
        CaseStudyIndexPage,
        {
            "title": library.title,
            "slug": folder.name,
            "introduction": library.introduction,
            "search_description": library.search_description,
        },
    )
    if index_page is None:
        return []
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    case_studies = []
    for slug, path in children(folder, library.case_studies, folders=False):
        spec = read(path, CaseStudyData)
        place = (
            places.get((spec.place, spec.place_kind))
            or Place.objects.get_or_create(name=spec.place, kind=spec.place_kind)[0]
        )
        fields = {
            "title": spec.title,
            "slug": slug,
            "search_description": spec.search_description,
            "summary": spec.summary,
            "place_id": place.pk,
            "year": spec.year,
            "illustrative": True,
            "source": spec.source,
            "challenge": spec.challenge,
            "what_partners_did": spec.what_partners_did,
            "lessons_for_leaders": spec.lessons_for_leaders,
            "hero_image_id": demo_image(
                spec.hero_image, *spec.hero_image_colours, summary=summary
            ).pk,
            "hero_image_alt": spec.hero_image_alt,
        }
        page = upsert_page(
            summary,
            index_page,
            CaseStudyPage,
            fields,
            streams={
                "outcomes": raw_stream([("figure", asdict(figure)) for figure in spec.outcomes]),
                "quotes": raw_stream([("quote", asdict(quote)) for quote in spec.quotes]),
            },
            relations={
                "partner_sectors": [sectors[sector] for sector in spec.sectors],
                "themes": [themes[theme] for theme in spec.themes],
            },
            kind="case studies",
        )
        if page is not None:
            case_studies.append(page)
    return case_studies
