"""Courses, modules, lessons and case studies for tests: each helper adds a published page under
its parent with believable defaults that a test overrides by keyword."""

from decimal import Decimal

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site

import factory

from academy.models import Place, Sector
from courses.models import (
    AssessmentPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    Rubric,
    Theme,
)
from home.models import HomePage


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda theme: theme.name.lower().replace(" ", "-"))


def publish(parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` and publish it as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page() -> HomePage:
    """The academy's home page, served at / by the default site."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = publish(
            root,
            HomePage(
                title="Collaborative Leadership Academy",
                slug="academy",
                hero_heading="Lead together",
                hero_text="Courses and peer groups for public-sector managers.",
                introduction="<p>Learn with managers from across your place.</p>",
            ),
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
    return home


def course_index(**fields) -> CourseIndexPage:
    return publish(
        home_page(),
        CourseIndexPage(
            **{"title": "Courses", "slug": "courses", "introduction": "Learn together.", **fields}
        ),
    )


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


def sectors(*slugs: str) -> list[Sector]:
    return list(Sector.objects.filter(slug__in=slugs))


def themes(*slugs: str) -> list[Theme]:
    return [ThemeFactory(slug=slug, name=slug.replace("-", " ").capitalize()) for slug in slugs]


def course_fields(title: str = "Leading across boundaries", **fields) -> dict:
    """Everything a course needs, for tests that add one themselves (a draft, say)."""
    return {
        "title": title,
        "summary": f"{title}: a course for managers who share a place.",
        "description": "<p>Why partners in one place spend apart, and how to change it.</p>",
        "learning_outcomes": [
            ("outcome", "Map what every partner spends in your place"),
            ("outcome", "Agree one shared outcome with two other organisations"),
        ],
        "who_it_is_for": "<p>Managers in councils, the NHS, police and charities.</p>",
        "effort_hours": 12,
        "length_weeks": 6,
        "level": CoursePage.Level.FOUNDATION,
        "format": CoursePage.Format.ONLINE,
        **fields,
    }


def course(
    index: CourseIndexPage,
    title: str = "Leading across boundaries",
    *,
    sector_slugs: tuple[str, ...] = ("local-government",),
    theme_slugs: tuple[str, ...] = (),
    **fields,
) -> CoursePage:
    page = CoursePage(**course_fields(title, **fields))
    page.sectors = sectors(*sector_slugs)
    page.themes = themes(*theme_slugs)
    return publish(index, page)


def module(course_page: CoursePage, title: str = "Seeing the whole place", **fields) -> ModulePage:
    return publish(
        course_page,
        ModulePage(**{"title": title, "introduction": "<p>Count it all first.</p>", **fields}),
    )


def lesson(module_page: ModulePage, title: str = "Counting the money", **fields) -> LessonPage:
    body = [("paragraph", "<p>One pilot found fifty different benefits.</p>")]
    return publish(
        module_page,
        LessonPage(**{"title": title, "body": body, "estimated_minutes": 25, **fields}),
    )


def case_study_index(**fields) -> CaseStudyIndexPage:
    return publish(
        home_page(),
        CaseStudyIndexPage(
            **{
                "title": "Case studies",
                "slug": "case-studies",
                "introduction": "What partners in real places did together.",
                **fields,
            }
        ),
    )


def place(name: str = "Birmingham", kind: str = Place.Kind.LOCAL_AUTHORITY) -> Place:
    return Place.objects.get_or_create(name=name, kind=kind)[0]


def case_study(
    index: CaseStudyIndexPage,
    title: str = "Counting the cost in one city",
    *,
    where: Place | None = None,
    sector_slugs: tuple[str, ...] = ("local-government", "nhs-and-health"),
    theme_slugs: tuple[str, ...] = (),
    figures: tuple[tuple[str, str, str], ...] = (
        ("Cost to deliver £176m of projects", "135", "£m"),
    ),
    **fields,
) -> CaseStudyPage:
    page = CaseStudyPage(
        **{
            "title": title,
            "place": where or place(),
            "year": 2009,
            "summary": f"{title}: partners counted every pound spent in their area.",
            "illustrative": True,
            "challenge": "<p>Each agency ran its own economic development programme.</p>",
            "what_partners_did": "<p>They pooled the budgets under one board.</p>",
            "outcomes": [
                ("figure", {"label": label, "value": Decimal(value), "unit": unit})
                for label, value, unit in figures
            ],
            "lessons_for_leaders": "<p>Start with the money, not the structures.</p>",
            **fields,
        }
    )
    page.partner_sectors = sectors(*sector_slugs)
    page.themes = themes(*theme_slugs)
    return publish(index, page)


def image(title: str = "Partners around a map") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file("map.png"))


def document(title: str = "Total Place final report") -> Document:
    return Document.objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 " + b"x" * 2048, name="total-place.pdf")
    )


# --- quizzes ---
def quiz_question(
    text: str = "Who should own a shared budget?",
    *,
    multiple: bool = False,
    options: tuple[tuple[str, bool], ...] = (
        ("One board for all the partners", True),
        ("The biggest partner", False),
        ("Each partner its own share", False),
    ),
) -> tuple[str, dict]:
    """A question block for ``AssessmentPage.questions``: each option is (text, right?), and
    its feedback says which it is."""
    return (
        "question",
        {
            "question": text,
            "multiple": multiple,
            "options": [
                {
                    "text": option,
                    "correct": correct,
                    "feedback": f"{'Right' if correct else 'Not quite'}: {option.lower()}.",
                }
                for option, correct in options
            ],
        },
    )


def quiz(
    module_page: ModulePage,
    title: str = "Check your understanding",
    *,
    questions: int = 3,
    multiple: tuple[int, ...] = (),
    **fields,
) -> Page:
    """A published quiz of ``questions`` questions under ``module_page``: each has one right
    option of three, except the questions numbered in ``multiple`` (from 1), which have two
    right options of four. Pass mark 70%, three attempts."""
    from courses.models import AssessmentPage  # here, so that this block merges on its own

    blocks = []
    for number in range(1, questions + 1):
        if number in multiple:
            options = (
                ("Pool the budget", True),
                ("Share the data", True),
                ("Wait for the next review", False),
                ("Leave it to one partner", False),
            )
            blocks.append(
                quiz_question(f"Question {number}: what helps?", multiple=True, options=options)
            )
        else:
            blocks.append(quiz_question(f"Question {number}: who should own a shared budget?"))
    return publish(
        module_page,
        AssessmentPage(
            **{
                "title": title,
                "kind": AssessmentPage.Kind.QUIZ,
                "instructions": "<p>Answer each question; the best of your attempts counts.</p>",
                "questions": blocks,
                "pass_mark": 70,
                "max_attempts": 3,
                "due_offset_days": 14,
                **fields,
            }
        ),
    )


# --- peer reviews ---


def review_rubric(
    name: str = "Feedback on a partnership plan",
    *,
    criteria: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
        ("Shared outcome", (("Not named", 0), ("Named", 2), ("Named and measured", 4))),
        ("Partners", (("One organisation", 0), ("Two or more organisations", 2))),
    ),
    pass_points: int = 4,
) -> Rubric:
    """A rubric of ``criteria``: (name, ((descriptor, points), …)), weakest level first."""
    return Rubric.objects.create(
        name=name,
        criteria=[
            (
                "criterion",
                {
                    "name": criterion,
                    "guidance": f"How well the plan covers: {criterion.lower()}.",
                    "levels": [
                        {"descriptor": descriptor, "points": points}
                        for descriptor, points in levels
                    ],
                },
            )
            for criterion, levels in criteria
        ],
        pass_points=pass_points,
    )


def peer_review_assessment(
    course_page: CoursePage,
    title: str = "Review a colleague's partnership plan",
    **fields,
) -> AssessmentPage:
    """A published peer review in the course's first module: two reviews each, anonymous,
    marked against ``review_rubric`` unless ``rubric`` is given."""
    first_module = ModulePage.objects.child_of(course_page).order_by("path").first()
    rubric = fields.pop("rubric", None)
    if rubric is None:
        rubric = Rubric.objects.filter(name="Feedback on a partnership plan").first()
    return publish(
        first_module,
        AssessmentPage(
            **{
                "title": title,
                "kind": AssessmentPage.Kind.PEER_REVIEW,
                "instructions": "<p>Write a one-page plan for a shared outcome in your place.</p>",
                "min_words": 1,
                "max_words": 500,
                "rubric": rubric or review_rubric(),
                **fields,
            }
        ),
    )


# --- marking ---


def rubric(
    name: str = "Reflective practice",
    *,
    criteria: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
        (
            "Reflection on practice",
            (("Describes what happened", 0), ("Explains why", 2), ("Draws lessons", 4)),
        ),
        (
            "Use of evidence",
            (("No evidence", 0), ("Some evidence", 2), ("Evidence weighed", 4)),
        ),
        (
            "Working with partners",
            (("Partners not named", 0), ("Partners named", 2), ("Partners' view taken", 4)),
        ),
    ),
    pass_points: int = 6,
    **fields,
):
    """A rubric of ``criteria`` (name, ((descriptor, points), …)), by default three criteria of
    three levels (0, 2 and 4 points): 12 points at most, 6 to pass."""
    import uuid

    from courses.models import Rubric

    return Rubric.objects.create(
        name=name,
        criteria=[
            {
                "type": "criterion",
                "id": str(uuid.uuid4()),
                "value": {
                    "name": criterion,
                    "guidance": "",
                    "levels": [
                        {
                            "type": "item",
                            "id": str(uuid.uuid4()),
                            "value": {"descriptor": text, "points": points},
                        }
                        for text, points in levels
                    ],
                },
            }
            for criterion, levels in criteria
        ],
        pass_points=pass_points,
        **fields,
    )


def assessment(module_page: ModulePage, title: str = "Reflect on a partnership", **fields):
    """A live reflective assignment in ``module_page``, marked against ``rubric`` (a new one
    unless given); any field of ``AssessmentPage`` by keyword (``kind``, ``anonymous_marking``,
    ``required_for_completion``…). Added live without revisions, as the cohorts tests' lessons."""
    from courses.models import AssessmentPage

    if fields.get("kind", AssessmentPage.Kind.REFLECTIVE) != AssessmentPage.Kind.QUIZ:
        fields.setdefault("rubric", fields.get("rubric") or rubric(f"Rubric for {title}"))
    page = AssessmentPage(
        **{
            "title": title,
            "instructions": "<p>Write about one partnership you lead.</p>",
            "min_words": 0,
            "max_words": 1000,
            **fields,
        }
    )
    module_page.add_child(instance=page)
    return page


# --- written work ---


def practice_rubric(name: str = "Reflective practice", *, pass_points: int = 4, **fields):
    """A rubric of two criteria, each with three levels worth 1, 2 and 3 points."""
    from courses.models import Rubric

    criteria = [
        (
            "criterion",
            {
                "name": criterion,
                "guidance": guidance,
                "levels": [
                    {"descriptor": f"{criterion}: {descriptor}", "points": points}
                    for descriptor, points in (("not yet", 1), ("sound", 2), ("strong", 3))
                ],
            },
        )
        for criterion, guidance in (
            ("Use of evidence", "Draws on what partners in the place spend and achieve."),
            ("Reflection on practice", "Says what the writer would do differently."),
        )
    ]
    return Rubric.objects.create(
        **{"name": name, "criteria": criteria, "pass_points": pass_points, **fields}
    )


def reflective_assessment(module_page: ModulePage, title: str = "Reflect on your place", **fields):
    """A live reflective assignment under ``module_page``, marked against a new rubric unless
    one is given: 10 to 200 words, due 14 days after a cohort starts, late work accepted."""
    from courses.models import AssessmentPage, Rubric

    if "rubric" not in fields:
        fields["rubric"] = practice_rubric(f"{title}: rubric {Rubric.objects.count() + 1}")
    page = AssessmentPage(
        **{
            "title": title,
            "instructions": "<p>Write about one partnership in your place.</p>",
            "min_words": 10,
            "max_words": 200,
            "due_offset_days": 14,
            **fields,
        }
    )
    return module_page.add_child(instance=page)


# --- lists ---


def two_criteria_rubric(name: str = "Reflecting on practice", pass_points: int = 4) -> Rubric:
    """A rubric of two criteria, each with three levels worth 0, 2 and 3 points: 6 at most."""
    levels = [
        {"descriptor": "Not yet shown", "points": 0},
        {"descriptor": "Shown in part", "points": 2},
        {"descriptor": "Shown throughout", "points": 3},
    ]
    criteria = [
        ("criterion", {"name": title, "guidance": "", "levels": levels})
        for title in ("Sees the whole place", "Learns from partners")
    ]
    return Rubric.objects.create(name=name, criteria=criteria, pass_points=pass_points)


def one_question(question: str = "Who spends in your place?") -> tuple[str, dict]:
    """One single-answer question of a quiz's ``questions`` stream, its second option right."""
    return (
        "question",
        {
            "question": question,
            "multiple": False,
            "options": [
                {"text": "Only the council", "correct": False, "feedback": "Others do too."},
                {"text": "Every public body", "correct": True, "feedback": "Yes, all of them."},
            ],
        },
    )


def assessment_in(
    module_page: ModulePage,
    title: str = "Reflect on your place",
    *,
    kind: str = AssessmentPage.Kind.REFLECTIVE,
    **fields,
) -> AssessmentPage:
    """A live assessment at the end of ``module_page`` (added without a revision, as the
    cohorts tests add lessons): a reflective assignment or peer review marked against a
    rubric, or a quiz of one question; required for completion unless told otherwise."""
    defaults = {
        "title": title,
        "kind": kind,
        "instructions": "<p>Write about one partnership in your place.</p>",
    }
    if kind == AssessmentPage.Kind.QUIZ:
        defaults["questions"] = [one_question()]
    elif "rubric" not in fields:
        defaults["rubric"] = Rubric.objects.first() or two_criteria_rubric()
    return module_page.add_child(instance=AssessmentPage(**{**defaults, **fields}))


# --- wagtail ---


def rubric_criterion(name: str, *points: int, guidance: str = "") -> tuple[str, dict]:
    """A criterion with a level for each of ``points``, weakest first."""
    descriptors = ["Not yet shown", "Shown in part", "Shown clearly", "Shown with insight"]
    levels = [
        {"descriptor": f"{descriptors[n % len(descriptors)]} ({name.lower()})", "points": p}
        for n, p in enumerate(points)
    ]
    return ("criterion", {"name": name, "guidance": guidance, "levels": levels})


def editor_rubric(
    name: str = "Reflective practice", *, pass_points: int = 4, criteria=None
) -> Rubric:
    """A rubric of two criteria, 0 to 4 and 0 to 2 points (6 in all); passes at 4."""
    return Rubric.objects.create(
        name=name,
        description="How we mark written reflections.",
        criteria=criteria
        or [
            rubric_criterion("Uses evidence", 0, 2, 4, guidance="Figures from their own place."),
            rubric_criterion("Reflects on practice", 0, 1, 2),
        ],
        pass_points=pass_points,
    )


def editor_quiz_question(
    question: str = "Who spends most on the residents of a place?",
    options: tuple[tuple[str, bool, str], ...] = (
        ("Every partner together", True, "Yes: Total Place counted them all."),
        ("The council alone", False, "Councils spend a fraction of the total."),
    ),
    *,
    multiple: bool = False,
) -> tuple[str, dict]:
    """A question; ``options`` are (text, right, feedback)."""
    return (
        "question",
        {
            "question": question,
            "multiple": multiple,
            "options": [
                {"text": text, "correct": correct, "feedback": feedback}
                for text, correct, feedback in options
            ],
        },
    )


def editor_assessment(
    module_page: ModulePage,
    title: str = "Reflecting on your place",
    kind: str = AssessmentPage.Kind.REFLECTIVE,
    **fields,
) -> AssessmentPage:
    """A published assessment of ``kind``: written work (a reflective assignment or a peer
    review) marked against a new rubric unless one is given, or a quiz of two questions."""
    if kind != AssessmentPage.Kind.QUIZ and "rubric" not in fields:
        fields["rubric"] = (
            Rubric.objects.filter(name="Reflective practice").first() or editor_rubric()
        )
    if kind == AssessmentPage.Kind.QUIZ and "questions" not in fields:
        fields["questions"] = [
            editor_quiz_question(),
            editor_quiz_question(
                "Which of these did Total Place pilots do?",
                (
                    ("Count all public spending in an area", True, "Right."),
                    ("Map the services a family uses", True, "Right."),
                    ("Merge the councils", False, "No council merged."),
                ),
                multiple=True,
            ),
        ]
    return publish(
        module_page,
        AssessmentPage(
            **{
                "title": title,
                "kind": kind,
                "instructions": "<p>Write about one budget that partners in your place share.</p>",
                "min_words": 100,
                "max_words": 800,
                **fields,
            }
        ),
    )


def list_block(items: list) -> dict:
    """A ListBlock's admin form data (the ListBlock counterpart of Wagtail's ``streamfield``),
    for use inside ``nested_form_data``."""
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def checkbox(ticked: bool) -> str:
    """A checkbox as a browser posts it: "on" when ticked, nothing when not."""
    return "on" if ticked else ""


def rubric_criterion_form(name: str, *points: int) -> tuple[str, dict]:
    """A rubric criterion as the admin form posts it, a level for each of ``points``."""
    levels = [{"descriptor": f"Level worth {p}", "points": str(p)} for p in points]
    return ("criterion", {"name": name, "guidance": "", "levels": list_block(levels)})


def quiz_question_form(
    question: str, options: list[tuple[str, bool, str]], *, multiple: bool = False
) -> tuple[str, dict]:
    """A quiz question as the admin form posts it; ``options`` are (text, right, feedback)."""
    return (
        "question",
        {
            "question": question,
            "multiple": checkbox(multiple),
            "options": list_block(
                [
                    {"text": text, "correct": checkbox(right), "feedback": feedback}
                    for text, right, feedback in options
                ]
            ),
        },
    )
