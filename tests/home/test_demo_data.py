"""The demo academy's data files (``home/demo/data/``) and the loader that reads them: every file
is read and valid, what one file names another has, and a file that is wrong is refused with a
message naming it."""

import shutil
from dataclasses import dataclass, field
from typing import Annotated

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from academy.models import Place, Sector
from home.demo import courses as demo_courses
from home.demo.case_studies import CaseStudyData, LibraryData
from home.demo.courses import CaseStudyLink, CatalogueData, CourseData, LessonData, ModuleData
from home.demo.loader import DATA, INDEX, PAGES, DemoDataError, RichText, children, read
from home.demo.loader import rich_text as to_html
from home.demo.pages import HomeData, StandardPageData
from home.demo.people import PeopleData
from home.demo.themes import Themes


def read_everything() -> dict:
    """Every data file read as ``load_demo`` reads it, by path."""
    read_files = {}

    def take(path, schema):
        read_files[path] = read(path, schema)
        return read_files[path]

    take(DATA / "people.toml", PeopleData)
    take(DATA / "themes.toml", Themes)
    home = take(PAGES / INDEX, HomeData)
    for _, path in children(PAGES, home.standard_pages, folders=False):
        take(path, StandardPageData)
    library = take(PAGES / "case-studies" / INDEX, LibraryData)
    for _, path in children(PAGES / "case-studies", library.case_studies, folders=False):
        take(path, CaseStudyData)
    catalogue = take(PAGES / "courses" / INDEX, CatalogueData)
    for _, course_path in children(PAGES / "courses", catalogue.courses, folders=True):
        course = take(course_path, CourseData)
        for _, module_path in children(course_path.parent, course.modules, folders=True):
            module = take(module_path, ModuleData)
            for _, lesson_path in children(module_path.parent, module.lessons, folders=False):
                take(lesson_path, LessonData)
    return read_files


def of_kind(read_files: dict, schema: type) -> list:
    return [data for data in read_files.values() if isinstance(data, schema)]


def test_every_data_file_is_read_and_valid():
    read_files = read_everything()

    assert set(read_files) == {path for path in DATA.rglob("*") if path.is_file()}
    assert len(of_kind(read_files, CourseData)) == 4
    assert len(of_kind(read_files, LessonData)) >= 36
    assert len(of_kind(read_files, CaseStudyData)) >= 6


def test_what_the_files_name_exists(db):
    read_files = read_everything()
    people = read_files[DATA / "people.toml"]
    themes = {theme.slug for theme in read_files[DATA / "themes.toml"].themes}
    sectors = set(Sector.objects.values_list("slug", flat=True))
    library = read_files[PAGES / "case-studies" / INDEX]
    places = {(place.name, place.kind) for place in people.places}

    assert {org.sector for org in people.organisations} <= sectors
    assert {user.organisation for user in people.users} <= {o.name for o in people.organisations}
    assert {(user.place, user.place_kind) for user in people.users} <= places
    pages = of_kind(read_files, CourseData) + of_kind(read_files, CaseStudyData)
    for page in pages:
        assert set(page.themes) <= themes, page.title
        assert set(page.sectors) <= sectors, page.title
    assert len({page.hero_image for page in pages}) == len(pages)
    linked = {
        block.case_study
        for lesson in of_kind(read_files, LessonData)
        for block in lesson.body
        if isinstance(block, CaseStudyLink)
    }
    assert linked <= set(library.case_studies)


def test_rich_text_is_paragraphs_lists_and_html():
    text = """
        A paragraph
        wrapped over two lines.

        - a bulleted item
          that goes on
        - another

        1. first
        2. second

        <h3>A heading as HTML</h3>

        <p><a href="/privacy/">A link</a> that starts a paragraph.</p>
    """
    assert to_html(text) == (
        "<p>A paragraph wrapped over two lines.</p>"
        "<ul><li>a bulleted item that goes on</li><li>another</li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
        "<h3>A heading as HTML</h3>"
        '<p><a href="/privacy/">A link</a> that starts a paragraph.</p>'
    )
    assert to_html("") == ""


@dataclass(frozen=True)
class Quote:
    quote: str
    attribution: str = ""


@dataclass(frozen=True)
class Heading:
    heading: str


@dataclass(frozen=True)
class Sample:
    title: str
    body: RichText
    minutes: int
    kind: Annotated[str, Place.Kind]
    blocks: list[Heading | Quote] = field(default_factory=list)


VALID = """
title = '''
A title wrapped
over two lines
'''
body = "One paragraph."
minutes = 5
kind = "region"

[[blocks]]
heading = "A heading"

[[blocks]]
quote = "Words"
attribution = "Someone"
"""


def write(tmp_path, text: str, name: str = "sample.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_read_turns_a_file_into_its_dataclass(tmp_path):
    sample = read(write(tmp_path, VALID), Sample)

    assert sample == Sample(
        title="A title wrapped over two lines",
        body="<p>One paragraph.</p>",
        minutes=5,
        kind="region",
        blocks=[Heading("A heading"), Quote("Words", "Someone")],
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("minutes = 5", "minutes = 5\nsubtitle = 'x'"), r"sample\.toml: unknown key 'subtitle'"),
        (("minutes = 5", ""), r"sample\.toml: missing key 'minutes'"),
        (("minutes = 5", "minutes = '5'"), r"sample\.toml: minutes should be a whole number"),
        (("minutes = 5", "minutes = true"), r"sample\.toml: minutes should be a whole number"),
        (('kind = "region"', 'kind = "county"'), r"sample\.toml: kind should be one of"),
        (("attribution", "said_by"), r"sample\.toml: blocks\[1\]: unknown key 'said_by'"),
        (('heading = "A heading"', 'h2 = "A heading"'), r"blocks\[0\]: a block needs one of"),
        (("minutes = 5", "minutes = "), r"sample\.toml: not valid TOML"),
    ],
)
def test_read_refuses_a_file_that_is_wrong_and_names_it(tmp_path, change, message):
    path = write(tmp_path, VALID.replace(*change, 1))

    with pytest.raises(DemoDataError, match=message):
        read(path, Sample)


def test_read_refuses_a_missing_file(tmp_path):
    with pytest.raises(DemoDataError, match=r"nothing\.toml: no such file"):
        read(tmp_path / "nothing.toml", Sample)


def test_children_must_match_the_files_in_the_folder(tmp_path):
    for name in ("b.toml", "a.toml", INDEX):
        write(tmp_path, VALID, name)

    assert children(tmp_path, ["b", "a"], folders=False) == [
        ("b", tmp_path / "b.toml"),
        ("a", tmp_path / "a.toml"),
    ]
    with pytest.raises(DemoDataError, match=r"_index\.toml: \['a'\] in .* not listed"):
        children(tmp_path, ["b"], folders=False)
    with pytest.raises(DemoDataError, match=r"_index\.toml: no file for \['c'\]"):
        children(tmp_path, ["a", "b", "c"], folders=False)
    with pytest.raises(DemoDataError, match="listed twice"):
        children(tmp_path, ["a", "b", "a"], folders=False)


def test_load_demo_stops_at_a_wrong_file_and_names_it(db, tmp_path, monkeypatch):
    pages = shutil.copytree(PAGES, tmp_path / "pages")
    catalogue = pages / "courses" / INDEX
    catalogue.write_text(catalogue.read_text().replace("title =", "heading =", 1))
    monkeypatch.setattr(demo_courses, "PAGES", pages)

    with pytest.raises(CommandError, match=r"courses/_index\.toml: unknown key 'heading'"):
        call_command("load_demo", verbosity=0)
