"""The page tree of the demo academy: the home page at the site root, in place of Wagtail's
welcome page, and the standard pages beneath it. Their words are in ``data/pages/_index.toml``
(the home page) and ``data/pages/<slug>.toml`` (each standard page)."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError

from wagtail.models import Page, Site
from wagtail.search import index

from home.models import AcademySettings, HomePage, StandardPage

from . import CREATED, UNCHANGED, UPDATED, Summary
from .loader import INDEX, PAGES, RichText, children, read

# The home page sits at the root of the page tree under this slug, where Wagtail's welcome
# page starts out.
HOME_SLUG = "home"


@dataclass(frozen=True)
class ContactDetails:
    """Filled in on the site's academy settings while they are still blank."""

    phone: str
    phone_hours: str


@dataclass(frozen=True)
class HomeData:
    """``data/pages/_index.toml``: the home page, the order of the standard pages and the
    demo contact details."""

    title: str
    search_description: str
    hero_heading: str
    hero_text: str
    introduction: RichText
    why_heading: str
    why_text: RichText
    featured_heading: str
    standard_pages: list[str]
    contact: ContactDetails
    seo_title: str = ""
    hero_cta_text: str = ""


# The blocks of a standard page's body (see ``home.blocks.StandardStreamBlock``).
@dataclass(frozen=True)
class Heading:
    heading: str

    def block(self) -> tuple:
        return ("heading", self.heading)


@dataclass(frozen=True)
class Text:
    text: RichText

    def block(self) -> tuple:
        return ("paragraph", self.text)


@dataclass(frozen=True)
class Inset:
    inset: RichText

    def block(self) -> tuple:
        return ("inset", {"text": self.inset})


@dataclass(frozen=True)
class ContactDetailsBlock:
    """``contact_details = true``: the academy's email address and phone number, from its
    settings."""

    contact_details: bool

    def block(self) -> tuple:
        return ("contact_details", None)


@dataclass(frozen=True)
class StandardPageData:
    """``data/pages/<slug>.toml``: a standard page (accessibility statement, privacy notice,
    contact)."""

    title: str
    search_description: str
    introduction: str
    last_reviewed: date
    body: list[Heading | Text | Inset | ContactDetailsBlock]


def load_pages(summary: Summary) -> HomePage:
    """The home page, the default site pointing at it, the academy settings and the standard
    pages. Returns the home page, for later parts to add their own pages under it."""
    spec = read(PAGES / INDEX, HomeData)
    root = Page.get_first_root_node()
    if root is None:
        raise CommandError("There is no Wagtail root page: run `manage.py migrate` first.")
    welcome = _free_home_slug(root)
    home = _home_page(root, spec, summary)
    site = _default_site(home, summary)
    if welcome is not None:
        Site.objects.filter(root_page=welcome).update(root_page=home)
        welcome.delete()
        summary.details.append("pages: deleted Wagtail's welcome page")
    _academy_settings(site, spec.contact, summary)
    for slug, path in children(PAGES, spec.standard_pages, folders=False):
        _standard_page(home, slug, read(path, StandardPageData), summary)
    return home


def _free_home_slug(root: Page) -> Page | None:
    """Wagtail's "Welcome to your new Wagtail site!" page sits at the root with the slug we
    want. Move it aside (it is deleted once the site points at our home page)."""
    page = root.get_children().filter(slug=HOME_SLUG).first()
    if page is None or page.specific_class is HomePage:
        return None
    if page.specific_class is not Page or page.get_children_count():
        raise CommandError(
            f"A {page.specific_class.__name__} page “{page.title}” already uses the slug "
            f"“{HOME_SLUG}” at the root of the page tree: move or delete it first."
        )
    page.slug = "wagtail-welcome-page"
    page.save(clean=False)
    return page


def _home_page(root: Page, spec: HomeData, summary: Summary) -> HomePage:
    home = HomePage.objects.first()
    fields = {
        "title": spec.title,
        "slug": HOME_SLUG,
        "seo_title": spec.seo_title,
        "search_description": spec.search_description,
        "hero_heading": spec.hero_heading,
        "hero_text": spec.hero_text,
        "hero_cta_text": spec.hero_cta_text,
        "introduction": spec.introduction,
        "why_heading": spec.why_heading,
        "why_text": spec.why_text,
        "featured_heading": spec.featured_heading,
    }
    if home is None:
        home = root.add_child(instance=HomePage(**fields))
        _publish(home)
        summary.record("pages", CREATED, f"{home.title} (/)")
        return home
    if _update_fields(home, fields):
        _publish(home)
        # Publishing saves a copy made from the revision: reload, so that pages added under
        # the home page next get its new URL path if the slug changed.
        home.refresh_from_db()
        summary.record("pages", UPDATED, f"{home.title} (/)")
    else:
        summary.record("pages", UNCHANGED, f"{home.title} (/)")
    return home


def _default_site(home: HomePage, summary: Summary) -> Site:
    """The default site serves the home page, at the host and port of ``SITE_URL``. It stays
    the default site so that any other host (the test server, pytest-django's live server)
    is served too."""
    url = urlsplit(settings.SITE_URL)
    hostname = url.hostname or "localhost"
    port = url.port or (443 if url.scheme == "https" else 80)
    site = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.filter(hostname=hostname, port=port).first()
        or Site.objects.filter(root_page=home).first()
    )
    wanted = {
        "hostname": hostname,
        "port": port,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "root_page_id": home.pk,
        "is_default_site": True,
    }
    if site is None:
        site = Site.objects.create(**wanted)
        summary.record("sites", CREATED, f"{hostname}:{port}")
        return site
    clash = Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists()
    if clash:
        summary.warn(f"Another site already answers at {hostname}:{port}; left its host alone.")
        wanted.update(hostname=site.hostname, port=site.port)
    if _update_fields(site, wanted):
        site.save()
        summary.record("sites", UPDATED, f"{site.hostname}:{site.port}")
    else:
        summary.record("sites", UNCHANGED, f"{site.hostname}:{site.port}")
    return site


def _academy_settings(site: Site, contact: ContactDetails, summary: Summary) -> None:
    """Give the demo a phone number when none is set; the email address keeps whatever the
    site already has (by default academy@example.org)."""
    academy = AcademySettings.for_site(site)
    if not academy.contact_phone and not academy.contact_phone_hours:
        academy.contact_phone = contact.phone
        academy.contact_phone_hours = contact.phone_hours
        academy.save()
        summary.record("settings", UPDATED, "academy contact details")
    else:
        summary.record("settings", UNCHANGED, "academy contact details")


def _standard_page(
    home: HomePage, slug: str, spec: StandardPageData, summary: Summary
) -> StandardPage | None:
    fields = {
        "title": spec.title,
        "slug": slug,
        "search_description": spec.search_description,
        "introduction": spec.introduction,
        "last_reviewed": spec.last_reviewed,
    }
    body = [block.block() for block in spec.body]
    label = f"{fields['title']} (/{fields['slug']}/)"
    existing = home.get_children().filter(slug=fields["slug"]).first()
    if existing is None:
        page = home.add_child(instance=StandardPage(**fields, body=_raw_stream(body)))
        _publish(page)
        summary.record("pages", CREATED, label)
        return page
    page = existing.specific
    if not isinstance(page, StandardPage):
        summary.warn(f"/{fields['slug']}/ is a {type(page).__name__}, not a standard page: skipped")
        return None
    changed = _update_fields(page, fields)
    if _stream_content(page.body) != list(body):
        page.body = _raw_stream(body)
        changed = True
    if changed:
        _publish(page)
        summary.record("pages", UPDATED, label)
    else:
        summary.record("pages", UNCHANGED, label)
    return page


def _raw_stream(blocks: list[tuple]) -> list[dict]:
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _stream_content(stream) -> list[tuple]:
    """A StreamField's blocks as (type, raw value) pairs, leaving out block ids."""
    return [(block["type"], block["value"]) for block in stream.raw_data]


def _update_fields(instance, fields: dict) -> bool:
    """Set the fields that differ; True when any did."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _publish(page: Page) -> None:
    """Publish a new revision and index the page at once, whatever task backend runs Wagtail's
    own indexing (with the default immediate backend it has already happened)."""
    page.save_revision(log_action=True).publish()
    index.insert_or_update_object(page)
