"""What purges the public page cache (``courses/cache.py``): a page published, unpublished,
moved, deleted or saved while live, and a save or delete of any model in
``PUBLIC_PAGE_CACHE["PURGE_ON_SAVE"]`` (themes, images, documents, sites, the academy settings).
(Data another app shows on one page purges that page alone: ``cache.purge_public_page``.)
And what purges the cached outline of a course (``courses/outline.py``): any page of the course,
the course itself or a page above it published, unpublished, moved (from its old place and in
its new one), deleted or saved. Connected in ``CoursesConfig.ready``.

Both caches are purged at once and again when the transaction commits: a request that rendered
the old content between the two cannot have stored it under the new generation."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from .cache import cache_settings, purge_public_pages
from .outline import purge_course_outlines


def purge(**kwargs) -> None:
    purge_public_pages()
    transaction.on_commit(purge_public_pages)


def purge_on_page_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        purge()


def purge_on_live_page_save(sender, instance, **kwargs) -> None:
    """A live page saved outside the publishing flow (``add_child``, a data migration, a
    fixture) changes what visitors see without a ``page_published`` signal. Saving a draft of
    a live page purges too: a few extra misses, never a stale page."""
    if isinstance(instance, Page) and instance.live:
        purge()


def purge_outlines(sender, instance=None, parent_page_before=None, **kwargs) -> None:
    """The outlines that show the page, and for a move those that showed it before."""
    if not isinstance(instance, Page):
        return
    pages = (instance, parent_page_before)
    purge_course_outlines(*pages)
    transaction.on_commit(lambda: purge_course_outlines(*pages))


def connect() -> None:
    page_signals = {
        "page-published": page_published,
        "page-unpublished": page_unpublished,
        "page-moved": post_page_move,
        "published": published,
        "unpublished": unpublished,
    }
    for name, signal in page_signals.items():
        signal.connect(purge, dispatch_uid=f"public-pages-purge-{name}")
    for name, signal in {
        "page-published": page_published,
        "page-unpublished": page_unpublished,
        "page-moved": post_page_move,
        "page-saved": post_save,
        "page-deleted": post_delete,
    }.items():
        signal.connect(purge_outlines, dispatch_uid=f"course-outlines-purge-{name}")
    post_delete.connect(purge_on_page_delete, dispatch_uid="public-pages-purge-page-deleted")
    post_save.connect(purge_on_live_page_save, dispatch_uid="public-pages-purge-page-saved")
    for label in cache_settings()["PURGE_ON_SAVE"]:
        model = apps.get_model(label)
        post_save.connect(purge, sender=model, dispatch_uid=f"public-pages-purge-{label}-saved")
        post_delete.connect(purge, sender=model, dispatch_uid=f"public-pages-purge-{label}-deleted")
