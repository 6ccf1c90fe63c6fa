"""The home page's featured selection: two courses and a case study."""

from . import CREATED, UNCHANGED, UPDATED


def load_featured(summary, home, courses, case_studies) -> None:
    """Feature the first two courses and the first case study, in that order; publish a new
    home page revision only when the selection differs."""
    from home.models import HomePageFeaturedItem

    wanted = [page for page in [*courses[:2], *case_studies[:1]] if page is not None]
    current = [item.page_id for item in home.featured_items.all()]
    if current == [page.pk for page in wanted]:
        summary.record("featured items", UNCHANGED, "home page selection")
        return
    outcome = UPDATED if current else CREATED
    home.featured_items = [
        HomePageFeaturedItem(page=page, sort_order=order) for order, page in enumerate(wanted)
    ]
    home.save_revision().publish()
    summary.record("featured items", outcome, "home page selection")
