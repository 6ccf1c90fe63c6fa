from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .cache import mark_public_page
from .viewsets import RubricViewSet, ThemeViewSet

register_snippet(ThemeViewSet)
register_snippet(RubricViewSet)

# Order 100: inside Wagtail's own view-restriction check (order 0), so a page that a
# restriction stops is never marked as public.
hooks.register("on_serve_page", mark_public_page, order=100)
