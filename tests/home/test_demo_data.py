"""The demo academy's data files (``home/demo/data/``) and the loader that reads them: every file
is read and valid, what one file names another has, and a file that is wrong is refused with a
message naming it."""

import shutil
from dataclasses import dataclass, field
from datetime import time
from typing import Annotated

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from academy.models import Place, Sector
from home.demo import cohorts as demo_cohorts
from home.demo import courses as demo_courses
from home.demo.case_studies import CaseStudyData, LibraryData
from home.demo.certificates import CertificatesData
from home.demo.cohorts import CohortData, CohortIndex, LearnersData
from home.demo.courses import (
    AssessmentData,
    CaseStudyLink,
    CatalogueData,
    CourseData,
    LessonData,
    ModuleData,
)
from home.demo.loader import (
    DATA,
    INDEX,
    PAGES,
    DemoDataError,
    Paragraphs,
    RichText,
    children,
    paragraphs,
    read,
)
from home.demo.loader import rich_text as to_html
from home.demo.pages import HomeData, StandardPageData
from home.demo.peer_groups import PEER_GROUPS, PeerGroupsData, read_peer_groups
from home.demo.people import PeopleData
from home.demo.rubrics import Rubrics
from home.demo.themes import Themes


def read_everything() -> dict:
    """Every data file read as ``load_demo`` reads it, by path."""
    read_files = {}

    def take(path, schema):
        read_files[path] = read(path, schema)
        return read_files[path]

    take(DATA / "people.toml", PeopleData)
    take(DATA / "themes.toml", Themes)
    take(DATA / "rubrics.toml", Rubrics)
    take(DATA / "learners.toml", LearnersData)
    cohorts = take(DATA / "cohorts" / INDEX, CohortIndex)
    for _, path in children(DATA / "cohorts", cohorts.cohorts, folders=False):
        take(path, CohortData)
    for name in read_peer_groups(cohorts.cohorts):
        take(PEER_GROUPS / f"{name}.toml", PeerGroupsData)
    take(DATA / "certificates.toml", CertificatesData)
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
            slugs = module.lessons + module.assessments
            for slug, page_path in children(module_path.parent, slugs, folders=False):
                take(page_path, AssessmentData if slug in module.assessments else LessonData)
    return read_files


def of_kind(read_files: dict, schema: type) -> list:
    return [data for data in read_files.values() if isinstance(data, schema)]


def test_every_data_file_is_read_and_valid():
    read_files = read_everything()

    assert set(read_files) == {path for path in DATA.rglob("*") if path.is_file()}
    assert len(of_kind(read_files, CourseData)) == 4
    assert len(of_kind(read_files, LessonData)) >= 36
    assert len(of_kind(read_files, CaseStudyData)) >= 6
    kinds = {assessment.kind for assessment in of_kind(read_files, AssessmentData)}
    assert kinds == {"reflective", "quiz", "peer_review"}
    assert len(of_kind(read_files, CohortData)) == 4


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


def test_what_the_cohort_files_name_exists():
    read_files = read_everything()
    people = read_files[DATA / "people.toml"]
    learners = read_files[DATA / "learners.toml"]
    places = {(place.name, place.kind) for place in people.places}
    users = {user.email for user in people.users} | {p.email for p in learners.learners}
    rubrics = {rubric.name for rubric in read_files[DATA / "rubrics.toml"].rubrics}
    courses = {
        path.parent.name for path, data in read_files.items() if isinstance(data, CourseData)
    }

    assert {org.name for org in learners.organisations} <= {o.name for o in people.organisations}
    assert {(org.place, org.place_kind) for org in learners.organisations} <= places
    assert {p.organisation for p in learners.learners} <= {o.name for o in learners.organisations}
    for cohort in of_kind(read_files, CohortData):
        assert cohort.course in courses, cohort.name
        assert {learner.email for learner in cohort.learners} <= users, cohort.name
        assert set(cohort.facilitators) <= users, cohort.name
    for assessment in of_kind(read_files, AssessmentData):
        assert assessment.rubric in rubrics | {""}, assessment.title
    for path, groups in read_files.items():
        if isinstance(groups, PeerGroupsData):
            cohort = read_files[DATA / "cohorts" / path.name]
            members = {learner.email for learner in cohort.learners}
            assert {email for s in groups.sets for email in s.members} <= members, path.name
            assert {groups.by} | {s.adviser for s in groups.sets if s.adviser} <= set(
                cohort.facilitators
            )


def test_paragraphs_keep_their_breaks_and_fold_their_lines():
    text = """
        A first paragraph
        over two lines.

        A second.
    """
    assert paragraphs(text) == "A first paragraph over two lines.\n\nA second."


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
    starts: time | None = None
    notes: Paragraphs = ""


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
        (("minutes = 5", "minutes = 5\nstarts = '9am'"), r"starts should be a time of day"),
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


def test_read_takes_a_time_of_day_and_paragraphs_and_an_optional_value_left_out(tmp_path):
    notes = 'notes = """\nOne\ntwo.\n\nThree.\n"""'
    text = VALID.replace("minutes = 5", f"minutes = 5\nstarts = 14:30:00\n{notes}")

    sample = read(write(tmp_path, text), Sample)

    assert sample.starts == time(14, 30)
    assert sample.notes == "One two.\n\nThree."
    assert read(write(tmp_path, VALID), Sample).starts is None


# --- The cohort files, the assessments and the rubrics -----------------------------------------


@pytest.fixture
def cohort_files(tmp_path, monkeypatch):
    """A copy of ``data/cohorts/``, which the demo reads instead."""
    folder = shutil.copytree(DATA / "cohorts", tmp_path / "cohorts")
    monkeypatch.setattr(demo_cohorts, "COHORTS", folder)
    return folder


def change(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "cohort-12.toml",
            'email = "learner@academy.test", joined_days_ago',
            'email = "learner@academy.test", nickname = "Priya", joined_days_ago',
            r"cohort-12\.toml: learners\[0\]: unknown key 'nickname'",
        ),
        (
            "cohort-12.toml",
            "starts_in_days = -35",
            "starts_in_days = 'five weeks ago'",
            r"cohort-12\.toml: starts_in_days should be a whole number",
        ),
        (
            "cohort-12.toml",
            "starts = 10:00:00",
            'starts = "ten"',
            r"cohort-12\.toml: sessions\[0\]: starts should be a time of day",
        ),
        (
            "cohort-12.toml",
            "quiz = ",
            "colour = 'red'\nquiz = ",
            r"cohort-12\.toml: quiz_attempts\[0\]: unknown key 'colour'",
        ),
        (
            "cohort-12.toml",
            'outcome = "pass"',
            'outcome = "distinction"',
            r"cohort-12\.toml: submissions\[0\]: mark: outcome should be one of",
        ),
        (
            "cohort-12.toml",
            "assigned_days_ago = 10",
            "assigned_days_ago = 10\nstars = 5",
            r"cohort-12\.toml: peer_reviews\[0\]: unknown key 'stars'",
        ),
        (
            "cohort-11.toml",
            "submitted_days_after_start = 20",
            "submitted_days_after_start = 20\nbonus = 1",
            r"cohort-11\.toml: everyone_passed\[0\]: unknown key 'bonus'",
        ),
        (
            "cohort-13.toml",
            'enrolment_mode = "application"',
            'enrolment_mode = "invitation"',
            r"cohort-13\.toml: enrolment_mode should be one of",
        ),
        (
            "_index.toml",
            '"counting-cohort-3"]',
            '"counting-cohort-3", "cohort-14"]',
            r"cohorts/_index\.toml: no file for \['cohort-14'\]",
        ),
    ],
)
def test_a_wrong_cohort_file_is_refused_naming_the_file_and_key(
    cohort_files, file, old, new, message
):
    change(cohort_files / file, old, new)

    with pytest.raises(DemoDataError, match=message):
        demo_cohorts.read_cohorts()


def test_load_demo_stops_at_a_wrong_cohort_file_and_names_it(db, cohort_files):
    change(cohort_files / "cohort-12.toml", "capacity = 45", "capacity = 45\nwaitlist = 5")

    with pytest.raises(CommandError, match=r"cohort-12\.toml: unknown key 'waitlist'"):
        call_command("load_demo", verbosity=0)


def assessment_file(name: str):
    return next(PAGES.rglob(f"{name}.toml"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("pass_mark = 70", "pass_mark = 70\nshuffle = true", r"unknown key 'shuffle'"),
        ('kind = "quiz"', 'kind = "essay"', r"kind should be one of"),
        (
            "[[questions.options]]\ntext",
            "[[questions.options]]\nright = true\ntext",
            r"questions\[0\]: options\[0\]: unknown key 'right'",
        ),
    ],
)
def test_a_wrong_assessment_file_is_refused_naming_the_file_and_key(tmp_path, old, new, message):
    path = tmp_path / "quiz-what-total-place-found.toml"
    path.write_text(assessment_file("quiz-what-total-place-found").read_text())
    change(path, old, new)

    with pytest.raises(DemoDataError, match=r"quiz-what-total-place-found\.toml: " + message):
        read(path, AssessmentData)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "quiz-what-total-place-found",
            "pass_mark = 70",
            'pass_mark = 70\nrubric = "Reflective practice"',
            "a quiz has questions and no rubric",
        ),
        (
            "quiz-what-total-place-found",
            "correct = true",
            "correct = false",
            r"questions\[0\] should have one option marked correct",
        ),
        (
            "peer-review-your-collaboration-plan",
            'rubric = "Collaboration plan"',
            'rubric = "Teamwork"',
            r"rubric should be one of \['Reflective practice', 'Collaboration plan'\]",
        ),
    ],
)
def test_an_assessment_that_the_admin_would_refuse_is_refused_naming_the_file(
    tmp_path, name, old, new, message
):
    path = tmp_path / f"{name}.toml"
    path.write_text(assessment_file(name).read_text())
    change(path, old, new)
    rubrics = {rubric.name: rubric for rubric in read(DATA / "rubrics.toml", Rubrics).rubrics}

    with pytest.raises(DemoDataError, match=rf"{name}\.toml: {message}"):
        read(path, AssessmentData).check(str(path), rubrics)


def test_the_rubrics_file_is_strict(tmp_path):
    text = (DATA / "rubrics.toml").read_text()
    path = write(
        tmp_path, text.replace("pass_points = 7", "pass_points = 7\nstrict = 0", 1), "rubrics.toml"
    )

    with pytest.raises(DemoDataError, match=r"rubrics\.toml: rubrics\[0\]: unknown key 'strict'"):
        read(path, Rubrics)


def test_the_names_tests_look_up_are_those_of_the_cohort_files():
    specs = [spec for spec, _ in demo_cohorts.read_cohorts()]

    assert {spec.course for spec in specs} == {demo_cohorts.LEADING, demo_cohorts.COUNTING}
    assert all(spec.facilitators == [demo_cohorts.FACILITATOR] for spec in specs)
