"""The demo course catalogue at /courses/: four courses, each of three modules of three or four
lessons, written for the academy's learners. Figures from NLGN's March 2010 report on Total
Place ("Greater than the sum of its parts") are named as such; everything else is teaching
text.

The words are in ``data/pages/courses/``: a folder per course, in it a folder per module, in
that a file per lesson and per assessment. Lessons link to case studies by slug, so
``load_case_studies`` runs first; assessments name their rubric (``data/rubrics.toml``), which
``load_courses`` loads before the courses."""

from dataclasses import dataclass, field
from typing import Annotated

from academy.models import Sector
from courses.models import (
    AssessmentPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
)

from . import Summary
from .case_studies import Quote, raw_stream, upsert_page
from .images import demo_image
from .loader import INDEX, PAGES, DemoDataError, RichText, children, read, rich_text, shown
from .rubrics import block_id, load_rubrics

# --- What the files hold -----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueData:
    """``data/pages/courses/_index.toml``: the catalogue page and the order of its courses."""

    title: str
    introduction: str
    search_description: str
    courses: list[str]


@dataclass(frozen=True)
class CourseData:
    """``data/pages/courses/<course>/_index.toml``: a course and the order of its modules."""

    title: str
    summary: str
    search_description: str
    description: RichText
    learning_outcomes: list[str]
    who_it_is_for: RichText
    effort_hours: int
    length_weeks: int
    level: Annotated[str, CoursePage.Level]
    format: Annotated[str, CoursePage.Format]
    sectors: list[str]  # sectors' slugs
    themes: list[str]  # themes' slugs (data/themes.toml)
    hero_image: str  # the image's title: drawn once, found again by it
    hero_image_colours: list[str]  # background first
    hero_image_alt: str
    modules: list[str]


@dataclass(frozen=True)
class ModuleData:
    """``data/pages/courses/<course>/<module>/_index.toml``: a module and the order of its
    lessons, then of its assessments. The introduction is one paragraph; it is the module's
    search description too."""

    title: str
    introduction: str
    lessons: list[str]
    assessments: list[str] = field(default_factory=list)


# The blocks of a lesson's body (see ``courses.blocks.LessonStreamBlock``), each a ``[[body]]``
# table named by its first key.


@dataclass(frozen=True)
class H2:
    h2: str

    def block(self) -> tuple:
        return ("heading", {"text": self.h2, "level": "h2"})


@dataclass(frozen=True)
class H3:
    h3: str

    def block(self) -> tuple:
        return ("heading", {"text": self.h3, "level": "h3"})


@dataclass(frozen=True)
class Text:
    text: RichText

    def block(self) -> tuple:
        return ("paragraph", self.text)


@dataclass(frozen=True)
class Note:
    note: RichText

    def block(self) -> tuple:
        return ("callout", {"style": "inset", "text": self.note})


@dataclass(frozen=True)
class WarningText:
    warning: RichText

    def block(self) -> tuple:
        return ("callout", {"style": "warning", "text": self.warning})


@dataclass(frozen=True)
class Reflection:
    reflection: str  # the question
    guidance: str = ""

    def block(self) -> tuple:
        return ("reflection", {"question": self.reflection, "guidance": self.guidance})


@dataclass(frozen=True)
class LessonQuote(Quote):
    def block(self) -> tuple:
        return ("quote", {"quote": self.quote, "attribution": self.attribution})


@dataclass(frozen=True)
class Details:
    details: RichText  # what opens
    summary: str  # the line that opens it

    def block(self) -> tuple:
        return ("details", {"summary": self.summary, "text": self.details})


@dataclass(frozen=True)
class Table:
    table: list[list[str]]  # rows of cells; the first row is the header
    caption: str

    def block(self) -> tuple:
        return (
            "table",
            {
                "caption": self.caption,
                "table": {
                    "data": [list(row) for row in self.table],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                },
            },
        )


@dataclass(frozen=True)
class CaseStudyLink:
    """A case study by its slug; the page id is filled in when loading."""

    case_study: str
    why: str

    def block(self) -> tuple:
        return ("case_study", {"case_study": self.case_study, "why": self.why})


LessonBlock = (
    H2 | H3 | Text | Note | WarningText | Reflection | LessonQuote | Details | Table | CaseStudyLink
)


@dataclass(frozen=True)
class LessonData:
    """``data/pages/courses/<course>/<module>/<lesson>.toml``: a lesson."""

    title: str
    estimated_minutes: int
    search_description: str
    body: list[LessonBlock]
    required_for_completion: bool = True


@dataclass(frozen=True)
class OptionData:
    text: str
    correct: bool = False
    feedback: str = ""  # shown to a learner who chose it


@dataclass(frozen=True)
class QuestionData:
    question: str
    options: list[OptionData]
    multiple: bool = False  # more than one option is right (checkboxes)


@dataclass(frozen=True)
class AssessmentData:
    """``data/pages/courses/<course>/<module>/<assessment>.toml``: an assessment, listed in its
    module's ``assessments``. A reflective assignment or a peer review names its ``rubric``
    and the words and files it takes; a quiz has ``[[questions]]``, each with
    ``[[questions.options]]``."""

    title: str
    kind: Annotated[str, AssessmentPage.Kind]
    instructions: RichText
    due_offset_days: int  # days after the cohort starts
    search_description: str = ""
    estimated_minutes: int = 30
    required_for_completion: bool = True
    late_work: Annotated[str, AssessmentPage.Late] = AssessmentPage.Late.ACCEPT
    # Reflective assignments and peer reviews
    rubric: str = ""  # the rubric's name (data/rubrics.toml)
    min_words: int = 0
    max_words: int = 1000
    max_files: int = 0
    anonymous_marking: bool = False
    # Quizzes
    questions: list[QuestionData] = field(default_factory=list)
    pass_mark: int = 70  # percent
    max_attempts: int = 3
    # Peer reviews
    reviews_required: int = 2
    anonymous_reviews: bool = True

    def check(self, where: str, rubrics: dict) -> None:
        """Refuse what the admin would refuse, naming the file: a rubric for written work
        (and only for it), questions for a quiz (and only for it), the right options marked."""
        marked = self.kind != AssessmentPage.Kind.QUIZ
        if marked and self.rubric not in rubrics:
            raise DemoDataError(f"{where}: rubric should be one of {list(rubrics)}")
        if marked and self.questions:
            raise DemoDataError(f"{where}: questions are for quizzes only")
        if not marked and (self.rubric or not self.questions):
            raise DemoDataError(f"{where}: a quiz has questions and no rubric")
        for n, question in enumerate(self.questions, start=1):
            right = sum(option.correct for option in question.options)
            if right == 0 or (right > 1 and not question.multiple):
                raise DemoDataError(
                    f"{where}: questions[{n - 1}] should have "
                    f"{'at least one option' if question.multiple else 'one option'} "
                    "marked correct"
                )


def question_ids(course_slug: str, slug: str, n: int, option_count: int) -> tuple[str, list]:
    """The fixed block ids of a quiz's ``n``th question (from 0) and of its options: quiz
    attempts in the demo data refer to them."""
    return block_id("quiz", course_slug, slug, n), [
        block_id("quiz", course_slug, slug, n, m) for m in range(option_count)
    ]


def questions_stream(course_slug: str, slug: str, questions: list[QuestionData]) -> list[dict]:
    stream = []
    for n, question in enumerate(questions):
        question_id, option_ids = question_ids(course_slug, slug, n, len(question.options))
        options = [
            {
                "type": "item",
                "id": option_id,
                "value": {"text": o.text, "correct": o.correct, "feedback": o.feedback},
            }
            for option_id, o in zip(option_ids, question.options, strict=True)
        ]
        stream.append(
            {
                "type": "question",
                "id": question_id,
                "value": {
                    "question": question.question,
                    "multiple": question.multiple,
                    "options": options,
                },
            }
        )
    return stream


# --- Loading -----------------------------------------------------------------------------------


def load_courses(summary: Summary, home_page, themes: dict, places: dict) -> list[CoursePage]:
    """The catalogue at /courses/ and every demo course with its modules and lessons, in a
    fixed order. ``themes`` is what ``load_themes`` returns. ``places`` (from ``load_places``)
    is accepted for symmetry with ``load_case_studies``; courses are not tied to a place. The
    rubrics come first (``load_rubrics``): assessments are marked against them."""
    rubrics = load_rubrics(summary)
    folder = PAGES / "courses"
    catalogue = read(folder / INDEX, CatalogueData)
    index_page = upsert_page(
        summary,
        home_page,
        CourseIndexPage,
        {
            "title": catalogue.title,
            "slug": folder.name,
            "introduction": catalogue.introduction,
            "search_description": catalogue.search_description,
        },
    )
    if index_page is None:
        return []
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    case_ids = dict(CaseStudyPage.objects.values_list("slug", "pk"))
    courses = []
    for slug, path in children(folder, catalogue.courses, folders=True):
        spec = read(path, CourseData)
        fields = {
            "title": spec.title,
            "slug": slug,
            "search_description": spec.search_description,
            "summary": spec.summary,
            "description": spec.description,
            "who_it_is_for": spec.who_it_is_for,
            "effort_hours": spec.effort_hours,
            "length_weeks": spec.length_weeks,
            "level": spec.level,
            "format": spec.format,
            "hero_image_id": demo_image(
                spec.hero_image, *spec.hero_image_colours, summary=summary
            ).pk,
            "hero_image_alt": spec.hero_image_alt,
        }
        course = upsert_page(
            summary,
            index_page,
            CoursePage,
            fields,
            streams={
                "learning_outcomes": raw_stream(
                    [("outcome", text) for text in spec.learning_outcomes]
                )
            },
            relations={
                "sectors": [sectors[sector] for sector in spec.sectors],
                "themes": [themes[theme] for theme in spec.themes],
            },
            kind="courses",
        )
        if course is None:
            continue
        courses.append(course)
        for module_slug, module_path in children(path.parent, spec.modules, folders=True):
            _load_module(summary, course, module_slug, module_path, case_ids, rubrics)
    return courses


def _load_module(
    summary: Summary, course: CoursePage, slug: str, path, case_ids: dict, rubrics: dict
) -> None:
    spec = read(path, ModuleData)
    fields = {
        "title": spec.title,
        "slug": slug,
        "introduction": rich_text(spec.introduction),
        "search_description": spec.introduction,
    }
    module_page = upsert_page(summary, course, ModulePage, fields, kind="modules")
    if module_page is None:
        return
    # Lessons, then assessments: a new page goes after its module's existing children.
    pages = children(path.parent, spec.lessons + spec.assessments, folders=False)
    for lesson_slug, lesson_path in pages[: len(spec.lessons)]:
        lesson = read(lesson_path, LessonData)
        fields = {
            "title": lesson.title,
            "slug": lesson_slug,
            "search_description": lesson.search_description,
            "estimated_minutes": lesson.estimated_minutes,
            "required_for_completion": lesson.required_for_completion,
        }
        body = _link_case_studies(summary, [block.block() for block in lesson.body], case_ids)
        upsert_page(
            summary,
            module_page,
            LessonPage,
            fields,
            streams={"body": raw_stream(body)},
            kind="lessons",
        )
    for assessment_slug, assessment_path in pages[len(spec.lessons) :]:
        _load_assessment(summary, course, module_page, assessment_slug, assessment_path, rubrics)


def _load_assessment(
    summary: Summary, course: CoursePage, module_page, slug: str, path, rubrics: dict
) -> None:
    spec = read(path, AssessmentData)
    spec.check(shown(path), rubrics)
    fields = {
        "title": spec.title,
        "slug": slug,
        "search_description": spec.search_description,
        "kind": spec.kind,
        "instructions": spec.instructions,
        "required_for_completion": spec.required_for_completion,
        "estimated_minutes": spec.estimated_minutes,
        "due_offset_days": spec.due_offset_days,
        "late_work": spec.late_work,
        "rubric_id": rubrics[spec.rubric].pk if spec.rubric else None,
        "min_words": spec.min_words,
        "max_words": spec.max_words,
        "max_files": spec.max_files,
        "anonymous_marking": spec.anonymous_marking,
        "pass_mark": spec.pass_mark,
        "max_attempts": spec.max_attempts,
        "reviews_required": spec.reviews_required,
        "anonymous_reviews": spec.anonymous_reviews,
    }
    upsert_page(
        summary,
        module_page,
        AssessmentPage,
        fields,
        streams={"questions": questions_stream(course.slug, slug, spec.questions)},
        kind="assessments",
    )


def _link_case_studies(summary: Summary, body: list[tuple], case_ids: dict) -> list[tuple]:
    """Swap case-study slugs for page ids; leave out (with a warning) any link to a case study
    that is not there."""
    linked = []
    for block_type, value in body:
        if block_type == "case_study":
            page_id = case_ids.get(value["case_study"])
            if page_id is None:
                summary.warn(
                    f"No case study “{value['case_study']}”: load case studies before courses."
                )
                continue
            value = {**value, "case_study": page_id}
        linked.append((block_type, value))
    return linked
