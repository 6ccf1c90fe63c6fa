"""The site's URLconf with academy views added the two ways that once hid them from the access
matrix (``test_matrix.py`` walks it):

- under ``admin/`` as a ``register_admin_urls`` hook adds them: Wagtail appends the hook's
  patterns to its own admin URLconf and wraps each view in its admin check, so the route is
  declared in ``wagtail.admin.urls`` and its view is wrapped by Wagtail;
- under ``accounts/`` in an inline ``include([...])``, beside allauth's pages: the list has no
  module, and the views are Django's generic ones or wrapped without ``functools.wraps``.

Each is the academy's by the view it calls (a snippet's viewset, a ``ModelAdmin``, a view over an
academy model, an academy function), though neither its URLconf nor its outermost view says so.
"""

from functools import partial

from django.contrib import admin
from django.urls import include, path
from django.views.generic import ListView

from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from academy import views
from academy.models import Organisation, Sector
from academy.urls import urlpatterns as site_urlpatterns
from courses.models import Theme


def register_admin_urls():
    """A ``register_admin_urls`` hook: two reports in Wagtail's Reports menu, one served by the
    themes' snippet viewset, one by the Django admin's list of sectors."""
    return [
        path("reports/themes/", Theme.snippet_viewset.index_view, name="themes_report"),
        path(
            "reports/sectors/",
            admin.site.get_model_admin(Sector).changelist_view,
            name="sectors_report",
        ),
    ]


def without_wraps(view):
    """A decorator that does not use ``functools.wraps``: the view it returns names only the
    decorator's module."""

    def answer(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return answer


# As ``wagtail.admin.urls`` mounts a hook's patterns: behind Wagtail's admin check.
hooked_admin_urls = decorate_urlpatterns(register_admin_urls(), require_admin_access)

account_urls = [
    path("organisations/", ListView.as_view(model=Organisation), name="organisations"),
    path("data/", without_wraps(views.your_data), name="account_data"),
    path("data/download/", partial(views.your_data_download), name="account_data_download"),
]

urlpatterns = [
    path("admin/", include(hooked_admin_urls)),
    path("accounts/", include(account_urls)),
    *site_urlpatterns,
]

handler400 = "academy.views.bad_request"
handler403 = "academy.views.permission_denied"
handler404 = "academy.views.page_not_found"
handler500 = "academy.views.server_error"
