"""The themes' pages in Wagtail's admin (Snippets → Themes), registered by ``wagtail_hooks``.

Wagtail mounts a *create* address under every snippet chooser, even one with no Create tab; a
POST to it then fails with a server error. The theme chooser has no Create tab (themes are
added from Snippets → Themes), so its create address answers 404."""

from django.http import Http404

from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


class ThemeChooserCreateView(SnippetCreateView):
    def dispatch(self, request, *args, **kwargs):
        raise Http404("The theme chooser creates no themes.")


class ThemeChooserViewSet(SnippetChooserViewSet):
    create_view_class = ThemeChooserCreateView


class ThemeViewSet(SnippetViewSet):
    model = Theme
    chooser_viewset_class = ThemeChooserViewSet
