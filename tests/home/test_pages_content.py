# ruff: noqa: RUF001 (the site uses typographic quotes, as GOV.UK does)
"""The home page and standard pages as a visitor reads them, and the blocks they are made of."""

import re

import pytest

from academy.rich_text import govuk_rich_text
from home.blocks import ContactDetailsBlock, StandardStreamBlock
from home.models import AcademySettings, HomePageFeaturedItem, StandardPage


def main_text(response) -> str:
    """The visible text of <main>, tags stripped and spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_home_page_explains_what_the_academy_is_and_why_it_exists(client, demo):
    response = client.get("/")

    assert response.status_code == 200
    assert "<title>Collaborative Leadership Academy" in response.content.decode()
    text = main_text(response)
    assert "Lead together, for the places you serve" in text
    assert "cross-sector peer groups" in text
    assert "Why the academy exists" in text
    assert "Total Place" in text
    assert "as many as 50 different benefits, each with its own form" in text
    assert "£135 million to spend £176 million on economic development" in text
    assert "Public Service Boards" in text
    assert "mapping public assets" in text
    assert "Collaborative Leadership Academy to develop leadership across the public sector" in text
    assert "Welcome to your new Wagtail site" not in response.content.decode()


def test_home_page_lists_only_live_featured_pages(client, demo):
    contact = StandardPage.objects.get(slug="contact")
    privacy = StandardPage.objects.get(slug="privacy")
    HomePageFeaturedItem.objects.create(
        home_page=demo, page=contact, summary="Talk to the academy team.", sort_order=0
    )
    HomePageFeaturedItem.objects.create(home_page=demo, page=privacy, sort_order=1)
    privacy.unpublish()

    text = main_text(client.get("/"))

    assert "Start here" in text
    assert "Contact Talk to the academy team." in text
    assert "Privacy notice" not in text


def test_no_featured_heading_without_featured_pages(client, demo):
    assert "Start here" not in main_text(client.get("/"))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/accessibility/",
            [
                "Accessibility statement",
                "How accessible this website is",
                "Web Content Accessibility Guidelines version 2.2 AA standard",
                "partially compliant",
                "content-management admin",
                "videos from other websites",
                "axe-core",
                "real Chromium browser",
                "using only a keyboard",
                "with JavaScript turned off",
                "Reporting accessibility problems with this website",
                "Equality and Human Rights Commission (EHRC)",
                "Equality Commission for Northern Ireland (ECNI)",
                "This statement was prepared on 25 November 2026",
            ],
        ),
        (
            "/privacy/",
            [
                "Privacy notice",
                "Who we are",
                "data controller",
                "Your account",
                "Your profile",
                "your organisation, the part of the public sector it belongs to",
                "Your learning records",
                "lawful basis",
                "Article 6(1)(e)",
                "Facilitators of your cohorts",
                "Members of your peer group",
                "How long we keep your data",
                "Your rights",
                "Download your data or delete your account",
                "Information Commissioner’s Office",
                "0303 123 1113",
            ],
        ),
        (
            "/contact/",
            [
                "Contact",
                "Email or phone the academy team",
                "Telephone: 020 7946 0000",
                "Monday to Friday, 9am to 5pm",
                "within 5 working days",
                "Bring a cohort to your area",
            ],
        ),
    ],
)
def test_standard_pages_say_what_they_should(client, demo, path, expected):
    response = client.get(path)

    assert response.status_code == 200
    text = main_text(response)
    for phrase in expected:
        assert phrase in text


def test_privacy_notice_links_to_your_data_and_the_ico(client, demo):
    html = client.get("/privacy/").content.decode()

    assert '<a class="govuk-link" href="/profile/data/">' in html
    assert 'href="https://ico.org.uk/make-a-complaint/"' in html


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/contact/"])
def test_every_page_has_a_meta_description(client, demo, path):
    page = demo if path == "/" else StandardPage.objects.get(url_path=f"/home{path}")

    html = client.get(path).content.decode()

    assert page.search_description
    assert f'<meta name="description" content="{page.search_description}">' in html


@pytest.mark.parametrize("path", ["/contact/", "/accessibility/", "/privacy/"])
def test_contact_details_come_from_the_academy_settings(client, demo, default_site, path):
    settings = AcademySettings.for_site(default_site)
    settings.contact_email = "team@academy.test"
    settings.contact_phone = ""
    settings.save()

    html = client.get(path).content.decode()

    assert '<a class="govuk-link" href="mailto:team@academy.test">team@academy.test</a>' in html
    assert "Telephone:" not in html


def test_standard_page_shows_when_it_was_last_reviewed(client, demo):
    assert "Last reviewed 25 November 2026." in main_text(client.get("/privacy/"))


def test_home_page_introduction_is_a_lead_paragraph(client, demo):
    assert '<p class="govuk-body-l">The Collaborative Leadership Academy is for' in (
        client.get("/").content.decode()
    )


# --- Blocks ------------------------------------------------------------------------------------


def test_stream_blocks_render_with_govuk_markup(db):
    block = StandardStreamBlock()
    value = block.to_python(
        [
            {"type": "heading", "value": "Who we are"},
            {
                "type": "paragraph",
                "value": '<p>See <a href="/contact/">contact</a>.</p><ul><li>One</li></ul>'
                "<ol><li>First</li></ol><h3>Detail</h3>",
            },
            {"type": "inset", "value": {"text": "<p>We reply within 5 working days.</p>"}},
        ]
    )

    html = "".join(child.render() for child in value)

    assert '<h2 class="govuk-heading-m">Who we are</h2>' in html
    assert (
        '<p class="govuk-body">See <a class="govuk-link" href="/contact/">contact</a>.</p>' in html
    )
    assert '<ul class="govuk-list govuk-list--bullet"><li>One</li></ul>' in html
    assert '<ol class="govuk-list govuk-list--number"><li>First</li></ol>' in html
    assert '<h3 class="govuk-heading-s">Detail</h3>' in html
    assert (
        '<div class="govuk-inset-text"><p class="govuk-body">We reply within 5 working days.</p>'
        in html
    )


def test_contact_details_block_renders_outside_a_request(demo):
    html = ContactDetailsBlock().render(None, context={})

    assert 'href="mailto:academy@example.org"' in html


def test_rich_text_links_to_pages_are_expanded_and_existing_classes_kept(demo):
    contact = StandardPage.objects.get(slug="contact")
    source = (
        f'<p>Ask <a linktype="page" id="{contact.pk}">the team</a>.</p>'
        '<p class="govuk-body-s">Small print.</p>'
    )

    html = govuk_rich_text(source)

    assert '<a class="govuk-link" href="/contact/">the team</a>' in html
    assert '<p class="govuk-body-s">Small print.</p>' in html
    assert govuk_rich_text(None) == ""
