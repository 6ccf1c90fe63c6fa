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


# --- wagtail ---


def rubric_criterion(name: str, *points: int, guidance: str = "") -> tuple[str, dict]:
    """A criterion with a level for each of ``points``, weakest first."""
    descriptors = ["Not yet shown", "Shown in part", "Shown clearly", "Shown with insight"]
    levels = [
        {"descriptor": f"{descriptors[n % len(descriptors)]} ({name.lower()})", "points": p}
        for n, p in enumerate(points)
    ]
    return ("criterion", {"name": name, "guidance": guidance, "levels": levels})


def rubric(name: str = "Reflective practice", *, pass_points: int = 4, criteria=None) -> Rubric:
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


def quiz_question(
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


def assessment(
    module_page: ModulePage,
    title: str = "Reflecting on your place",
    kind: str = AssessmentPage.Kind.REFLECTIVE,
    **fields,
) -> AssessmentPage:
    """A published assessment of ``kind``: written work (a reflective assignment or a peer
    review) marked against a new rubric unless one is given, or a quiz of two questions."""
    if kind != AssessmentPage.Kind.QUIZ and "rubric" not in fields:
        fields["rubric"] = Rubric.objects.filter(name="Reflective practice").first() or rubric()
    if kind == AssessmentPage.Kind.QUIZ and "questions" not in fields:
        fields["questions"] = [
            quiz_question(),
            quiz_question(
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
