"""Wagtail's own page-type checks for the home page and standard pages: where each may live,
that each renders, and that an editor can create each from the admin form."""

from django.core.management import call_command

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from tests.factories import UserFactory


class HomePageTypeTests(WagtailPageTestCase):
    """Against a fresh database: Wagtail's welcome page, no home page yet."""

    def setUp(self):
        super().setUp()
        self.client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def test_home_page_lives_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_pages_go_under_the_home_page_but_a_second_home_page_does_not(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_editor_can_create_a_home_page_with_featured_items(self):
        root = Page.get_first_root_node()
        welcome = root.get_children().get(slug="home")
        data = nested_form_data(
            {
                "title": "Collaborative Leadership Academy",
                "slug": "new-home",
                "hero_heading": "Lead together",
                "hero_text": "Courses and peer groups for public-sector managers.",
                "hero_cta_text": "",
                "hero_cta_page": "",
                "introduction": rich_text("<p>Learn with managers from across your place.</p>"),
                "why_heading": "Why the academy exists",
                "why_text": rich_text("<p>Public money in one place is spent apart.</p>"),
                "featured_heading": "Start here",
                "featured_items": inline_formset(
                    [{"page": str(welcome.pk), "summary": "Where to begin."}]
                ),
                "comments": inline_formset([]),
            }
        )
        self.assertCanCreate(root, HomePage, data)

        home = HomePage.objects.get(slug="new-home")
        self.assertTrue(home.live)
        self.assertEqual([item.page_id for item in home.featured_items.all()], [welcome.pk])


class StandardPageTypeTests(WagtailPageTestCase):
    """Against the demo academy."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--without-learning-content", verbosity=0)
        cls.home = HomePage.objects.get()
        cls.admin = UserFactory(is_staff=True, is_superuser=True)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_standard_pages_live_under_the_home_page_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_demo_pages_render(self):
        self.client.logout()
        self.assertPageIsRenderable(self.home)
        for page in StandardPage.objects.child_of(self.home):
            with self.subTest(page=page.title):
                self.assertPageIsRenderable(page)

    def test_editor_can_create_a_standard_page_with_every_block(self):
        features = ["bold", "italic", "link", "ol", "ul", "h3"]
        data = nested_form_data(
            {
                "title": "Cookies",
                "slug": "cookies",
                "introduction": "The cookies this website puts on your device.",
                "last_reviewed": "2026-11-25",
                "body": streamfield(
                    [
                        ("heading", "Essential cookies"),
                        (
                            "paragraph",
                            rich_text(
                                "<p>We use a session cookie.</p><ul><li>sessionid</li></ul>",
                                features=features,
                            ),
                        ),
                        ("inset", {"text": rich_text("<p>We do not use analytics.</p>")}),
                        ("contact_details", ""),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)

        response = self.client.get("/cookies/")
        self.assertContains(response, '<h2 class="govuk-heading-m">Essential cookies</h2>')
        self.assertContains(response, '<ul class="govuk-list govuk-list--bullet">')
        self.assertContains(response, "We do not use analytics.")
        self.assertContains(response, "mailto:academy@example.org")
