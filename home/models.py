"""The home page, standard pages (accessibility statement, privacy notice, contact) and the
site-wide settings editors can change."""

from django.db import models

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from modelcluster.fields import ParentalKey

from .blocks import StandardStreamBlock, govuk_rich_text


class HomePage(Page):
    """The front door: what the academy is, why it exists, and a selection of featured
    courses and case studies."""

    hero_heading = models.CharField(max_length=120)
    hero_text = models.CharField(max_length=300)
    hero_cta_text = models.CharField("call to action text", max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="call to action page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = RichTextField(features=["bold", "italic", "link", "ul", "ol"])
    why_heading = models.CharField(max_length=120, default="Why the academy exists")
    why_text = RichTextField(features=["bold", "italic", "link", "ul", "ol"], blank=True)
    featured_heading = models.CharField(max_length=120, default="Start here")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_text"),
                FieldPanel("hero_cta_page"),
            ],
            heading="Hero",
        ),
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("why_heading"), FieldPanel("why_text")], heading="Why"),
        MultiFieldPanel(
            [FieldPanel("featured_heading"), InlinePanel("featured_items", label="Item")],
            heading="Featured",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("introduction"),
        index.SearchField("why_text"),
    ]

    def introduction_html(self):
        """The introduction as GOV.UK lead paragraphs."""
        return govuk_rich_text(self.introduction, paragraph_class="govuk-body-l")

    def why_html(self):
        return govuk_rich_text(self.why_text)

    def featured(self) -> list:
        """Live featured pages, specific and in editor order."""
        items = self.featured_items.select_related("page").all()
        return [item for item in items if item.page and item.page.live]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1


class HomePageFeaturedItem(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_items")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(
        max_length=250, blank=True, help_text="Leave blank to use the page's search description."
    )

    panels = [FieldPanel("page"), FieldPanel("summary")]


class StandardPage(Page):
    """A page of prose: the accessibility statement, privacy notice, contact details."""

    introduction = models.CharField(max_length=400, blank=True)
    body = StreamField(StandardStreamBlock(), blank=True)
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]


@register_setting(icon="site")
class AcademySettings(BaseSiteSetting):
    """Contact details shown in the footer and on the contact page."""

    contact_email = models.EmailField(default="academy@example.org")
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_phone_hours = models.CharField(
        "phone opening hours",
        max_length=120,
        blank=True,
        help_text="For example, Monday to Friday, 9am to 5pm (except bank holidays).",
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_phone_hours"),
    ]

    class Meta:
        verbose_name = "academy settings"

    @classmethod
    def for_context(cls, context) -> "AcademySettings":
        """The settings for the site serving the request in a template context; outside a
        request (a block preview, a test rendering a block alone) those of the default site,
        or unsaved defaults when there is no site at all."""
        request = (context or {}).get("request")
        if request is not None:
            try:
                return cls.for_request(request)
            except (cls.DoesNotExist, Site.DoesNotExist):
                pass
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()
