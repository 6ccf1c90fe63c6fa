"""Course, module, lesson and case-study pages: where each may live, that each renders with what
a reader needs, that an editor can create each from the admin form, and the meta and Open
Graph tags every page carries."""

import re

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import (
    AssessmentPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
)
from home.models import HomePage
from tests.factories import UserFactory

from . import factories


def meta(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match.group(1) if match else None


class PageTreeTests(WagtailPageTestCase):
    def test_catalogue_and_library_live_under_the_home_page_once(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CaseStudyIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CaseStudyIndexPage, {CaseStudyPage})

    def test_courses_hold_modules_and_modules_hold_lessons(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, AssessmentPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(AssessmentPage, {ModulePage})
        self.assertAllowedSubpageTypes(AssessmentPage, set())

    def test_case_studies_live_only_in_the_library(self):
        self.assertAllowedParentPageTypes(CaseStudyPage, {CaseStudyIndexPage})
        self.assertAllowedSubpageTypes(CaseStudyPage, set())
        self.assertCanNotCreateAt(CourseIndexPage, CaseStudyPage)


class CoursePagesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(is_staff=True, is_superuser=True)
        cls.index = factories.course_index()
        cls.hero = factories.image()
        cls.course = factories.course(
            cls.index,
            "Leading across boundaries",
            sector_slugs=("nhs-and-health", "police-and-justice"),
            theme_slugs=("pooled-budgets",),
            hero_image=cls.hero,
            hero_image_alt="Council and NHS managers around a map of the city",
            level=CoursePage.Level.INTERMEDIATE,
            format=CoursePage.Format.BLENDED,
            effort_hours=18,
            length_weeks=8,
            search_description="Learn to lead with partners who do not report to you.",
        )
        cls.module_one = factories.module(cls.course, "Seeing the whole place")
        cls.module_two = factories.module(cls.course, "Acting together")
        cls.first = factories.lesson(cls.module_one, "Counting the money", estimated_minutes=25)
        cls.second = factories.lesson(cls.module_one, "Fifty benefits, fifty forms")
        cls.third = factories.lesson(cls.module_two, "Pooling a budget")

    def test_public_pages_render_for_anyone(self):
        for page in [self.index, self.course, self.module_one]:
            with self.subTest(page=page.title):
                self.assertPageIsRenderable(page)

    def test_a_lesson_renders_for_staff_and_asks_anyone_else_to_sign_in(self):
        self.assertPageIsRenderable(self.first, user=self.admin)
        self.assertPageIsRenderable(self.first, accept_redirect=True)
        response = self.client.get(self.first.url)
        self.assertRedirects(response, f"/accounts/login/?next={self.first.url}")

    def test_course_overview_shows_what_a_newcomer_needs_to_decide(self):
        response = self.client.get("/courses/leading-across-boundaries/")
        html = response.content.decode()

        self.assertContains(response, '<h1 class="govuk-heading-xl">Leading across boundaries</h1>')
        self.assertContains(response, "<li>Map what every partner spends in your place</li>")
        self.assertContains(response, "Why partners in one place spend apart")
        self.assertContains(response, '<p class="govuk-body">Managers in councils')
        for key, value in [
            ("Effort", "18 hours in total"),
            ("Length", "8 weeks"),
            ("Level", "Intermediate"),
            ("Format", "Blended (online and in person)"),
        ]:
            self.assertRegex(
                html,
                rf'<dt class="govuk-summary-list__key">{key}</dt>\s*'
                rf'<dd class="govuk-summary-list__value">{re.escape(value)}</dd>',
            )
        self.assertContains(response, "NHS and health</strong>")
        self.assertContains(response, "Pooled budgets</strong>")
        self.assertRegex(html, r'<img [^>]*alt="Council and NHS managers around a map of the city"')
        self.assertContains(response, "Module 1: Seeing the whole place")
        self.assertContains(response, "Module 2: Acting together")
        self.assertContains(response, "<li>Fifty benefits, fifty forms</li>")
        # Lessons are listed, never linked: they are not public.
        self.assertNotContains(response, f'href="{self.first.url}"')

    def test_module_page_lists_its_lessons_and_leads_back_to_the_course(self):
        response = self.client.get(self.module_one.url)
        self.assertContains(response, '<h1 class="govuk-heading-xl">Seeing the whole place</h1>')
        self.assertContains(response, "Count it all first.")
        self.assertContains(response, "Counting the money")
        self.assertNotContains(response, "Pooling a budget")
        self.assertContains(
            response, f'<a class="govuk-breadcrumbs__link" href="{self.course.url}">'
        )

    def test_lesson_has_breadcrumbs_time_body_and_neighbours_across_modules(self):
        self.client.force_login(self.admin)
        response = self.client.get(self.second.url)
        html = response.content.decode()

        crumbs = re.findall(r'class="govuk-breadcrumbs__link" href="([^"]+)">([^<]+)<', html)
        self.assertEqual(
            crumbs,
            [
                ("/", "Home"),
                ("/courses/", "Courses"),
                (self.course.url, "Leading across boundaries"),
                (self.module_one.url, "Seeing the whole place"),
            ],
        )
        self.assertContains(response, "Estimated time: 25 minutes")
        self.assertContains(response, "One pilot found fifty different benefits.")
        self.assertRegex(html, rf'href="{self.first.url}" rel="prev">.*Counting the money')
        # The next lesson is in the next module.
        self.assertRegex(html, rf'href="{self.third.url}" rel="next">.*Pooling a budget')

        first = self.client.get(self.first.url).content.decode()
        self.assertNotIn('rel="prev"', first)
        last = self.client.get(self.third.url).content.decode()
        self.assertNotIn('rel="next"', last)
        self.assertIn('rel="prev"', last)

    def test_meta_description_and_open_graph_tags(self):
        html = self.client.get(self.course.url).content.decode()
        description = "Learn to lead with partners who do not report to you."
        self.assertEqual(meta(html, "description"), description)
        self.assertEqual(meta(html, "og:description"), description)
        self.assertEqual(meta(html, "og:title"), "Leading across boundaries")
        self.assertEqual(meta(html, "og:type"), "website")
        self.assertEqual(
            meta(html, "og:url"), "http://testserver/courses/leading-across-boundaries/"
        )
        og_image = meta(html, "og:image")
        self.assertRegex(og_image, r"^http://testserver/.+\.png$")
        rendition = self.hero.get_rendition("fill-1200x630")
        self.assertEqual(og_image, f"http://testserver{rendition.url}")

    def test_meta_description_falls_back_to_the_summary(self):
        html = self.client.get(self.module_one.url).content.decode()
        self.assertEqual(meta(html, "description"), "Count it all first.")
        self.assertIsNone(meta(html, "og:image"))
        html = self.client.get("/courses/").content.decode()
        self.assertEqual(meta(html, "description"), "Learn together.")
        self.assertEqual(meta(html, "og:url"), "http://testserver/courses/")

    def test_a_course_without_a_description_for_search_uses_its_summary(self):
        plain = factories.course(self.index, "Systems leadership")
        html = self.client.get(plain.url).content.decode()
        summary = "Systems leadership: a course for managers who share a place."
        self.assertEqual(meta(html, "description"), summary)
        self.assertIsNone(meta(html, "og:image"))


class CaseStudyPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = factories.case_study_index()
        cls.place = factories.place("Birmingham")
        cls.study = factories.case_study(
            cls.index,
            "Counting the cost in one city",
            where=cls.place,
            year=2009,
            sector_slugs=("local-government", "nhs-and-health"),
            theme_slugs=("pooled-budgets",),
            figures=(
                ("Spent to deliver £176m of economic development", "135", "£m"),
                ("Fewer forms for residents", "40.50", "%"),
                ("Residents reached", "1200", "people"),
            ),
            quotes=[
                (
                    "quote",
                    {"quote": "We stopped asking whose budget it was.", "attribution": "A chief"},
                )
            ],
            downloads=[
                ("document", {"document": factories.document(), "description": "The report"})
            ],
        )

    def test_library_and_case_study_render_for_anyone(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.study)

    def test_case_study_shows_place_year_partners_and_outcome_figures(self):
        response = self.client.get("/case-studies/counting-the-cost-in-one-city/")
        html = response.content.decode()
        self.assertRegex(
            html,
            r'<dt class="govuk-summary-list__key">Place</dt>\s*'
            r'<dd class="govuk-summary-list__value">Birmingham</dd>',
        )
        self.assertRegex(
            html,
            r'<dt class="govuk-summary-list__key">Year</dt>\s*'
            r'<dd class="govuk-summary-list__value">2009</dd>',
        )
        self.assertContains(response, "NHS and health</strong>")
        self.assertContains(response, "Pooled budgets</strong>")
        self.assertContains(response, '<span class="academy-figure">£135m</span>')
        self.assertContains(response, '<span class="academy-figure">40.5%</span>')
        self.assertContains(response, '<span class="academy-figure">1,200 people</span>')
        self.assertContains(response, "Spent to deliver £176m of economic development")
        self.assertContains(response, "We stopped asking whose budget it was.")
        self.assertContains(response, "Start with the money, not the structures.")
        self.assertContains(response, "Total Place final report")
        self.assertEqual(meta(html, "og:type"), "article")

    def test_illustrative_example_is_labelled_and_explained(self):
        response = self.client.get(self.study.url)
        self.assertContains(
            response, '<strong class="govuk-tag govuk-tag--yellow">Illustrative example</strong>'
        )
        self.assertContains(response, '<div class="govuk-inset-text">This is an illustrative')

    def test_real_case_shows_its_source_instead(self):
        real = factories.case_study(
            self.index,
            "A real pilot",
            illustrative=False,
            source="Total Place final report, HM Treasury, 2010",
        )
        response = self.client.get(real.url)
        self.assertNotContains(response, "Illustrative example")
        self.assertContains(response, "Total Place final report, HM Treasury, 2010")


class CreateFromAdminTests(WagtailPageTestCase):
    """Editors build every page type from the admin form."""

    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.admin = UserFactory(is_staff=True, is_superuser=True)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_editor_creates_the_catalogue_and_the_library(self):
        for model, slug in [(CourseIndexPage, "courses"), (CaseStudyIndexPage, "case-studies")]:
            with self.subTest(model=model.__name__):
                data = nested_form_data(
                    {
                        "title": slug.replace("-", " ").capitalize(),
                        "slug": slug,
                        "introduction": "Learn together.",
                        "comments": inline_formset([]),
                    }
                )
                self.assertCanCreate(self.home, model, data)
        self.assertEqual(self.client.get("/courses/").status_code, 200)
        self.assertEqual(self.client.get("/case-studies/").status_code, 200)

    def test_editor_creates_a_course(self):
        index = factories.course_index()
        theme = factories.ThemeFactory(name="Pooled budgets", slug="pooled-budgets")
        nhs = factories.sector("nhs-and-health")
        data = nested_form_data(
            {
                "title": "Leading across boundaries",
                "slug": "leading-across-boundaries",
                "summary": "Lead with partners who do not report to you.",
                "description": rich_text("<p>Why partners spend apart.</p>"),
                "learning_outcomes": streamfield([("outcome", "Map what partners spend")]),
                "who_it_is_for": rich_text("<p>Managers in every public service.</p>"),
                "effort_hours": "12",
                "length_weeks": "6",
                "level": "foundation",
                "format": "online",
                "hero_image": "",
                "hero_image_alt": "",
                "comments": inline_formset([]),
            }
        )
        data["sectors"] = [str(nhs.pk)]
        data["themes"] = [str(theme.pk)]
        self.assertCanCreate(index, CoursePage, data)

        course = CoursePage.objects.get(slug="leading-across-boundaries")
        self.assertEqual(list(course.sectors.all()), [nhs])
        response = self.client.get(course.url)
        self.assertContains(response, "<li>Map what partners spend</li>")

    def test_editor_creates_a_module_and_a_lesson_with_blocks(self):
        course = factories.course(factories.course_index())
        data = nested_form_data(
            {
                "title": "Seeing the whole place",
                "slug": "seeing-the-whole-place",
                "introduction": rich_text("<p>Count it all first.</p>"),
                "comments": inline_formset([]),
            }
        )
        self.assertCanCreate(course, ModulePage, data)
        module = ModulePage.objects.get(slug="seeing-the-whole-place")

        data = nested_form_data(
            {
                "title": "Counting the money",
                "slug": "counting-the-money",
                "estimated_minutes": "30",
                "required_for_completion": "on",
                "body": streamfield(
                    [
                        ("heading", {"text": "Why count", "level": "h2"}),
                        ("paragraph", rich_text("<p>Fifty benefits, fifty forms.</p>")),
                        (
                            "reflection",
                            {"question": "Who spends most in your place?", "guidance": ""},
                        ),
                        (
                            "details",
                            {
                                "summary": "What is Total Place?",
                                "text": rich_text("<p>Counting all public spending.</p>"),
                            },
                        ),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )
        self.assertCanCreate(module, LessonPage, data)
        lesson = LessonPage.objects.get(slug="counting-the-money")
        self.assertEqual(lesson.estimated_minutes, 30)
        response = self.client.get(lesson.url)
        self.assertContains(response, '<h2 class="govuk-heading-m">Why count</h2>')
        self.assertContains(response, "Who spends most in your place?")

    def test_editor_creates_a_case_study_with_outcome_figures(self):
        index = factories.case_study_index()
        where = factories.place("Wigan")
        data = nested_form_data(
            {
                "title": "One budget for Wigan",
                "slug": "one-budget-for-wigan",
                "summary": "Partners pooled their budgets.",
                "place": str(where.pk),
                "year": "2010",
                "illustrative": "on",
                "source": "",
                "challenge": rich_text("<p>Everyone ran their own programme.</p>"),
                "what_partners_did": rich_text("<p>They formed one board.</p>"),
                "outcomes": streamfield(
                    [("figure", {"label": "Saved", "value": "135", "unit": "£m"})]
                ),
                "lessons_for_leaders": rich_text("<p>Start with the money.</p>"),
                "quotes": streamfield([]),
                "downloads": streamfield([]),
                "hero_image": "",
                "hero_image_alt": "",
                "comments": inline_formset([]),
            }
        )
        data["partner_sectors"] = [str(factories.sector("local-government").pk)]
        self.assertCanCreate(index, CaseStudyPage, data)

        study = CaseStudyPage.objects.get(slug="one-budget-for-wigan")
        self.assertContains(self.client.get(study.url), '<span class="academy-figure">£135m</span>')


def test_root_has_only_the_home_page_for_these_pages(db):
    """The catalogue cannot be created anywhere but under the home page."""
    root = Page.get_first_root_node()
    assert not CourseIndexPage.can_create_at(root)
    assert not CaseStudyIndexPage.can_create_at(root)
