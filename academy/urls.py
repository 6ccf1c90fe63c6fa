from django.conf import settings
from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from allauth import urls as allauth_urls

from home import views as home_views

from . import views
from .auth_views import admin_login_redirect, refused_forms_answer_400
from .outbox import views as outbox_views

handler400 = "academy.views.bad_request"
handler403 = "academy.views.permission_denied"
handler404 = "academy.views.page_not_found"
handler500 = "academy.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Both admin logins hand over to the one throttled, MFA-aware allauth sign-in.
    path("admin/login/", admin_login_redirect, name="wagtailadmin_login_redirect"),
    path("django-admin/login/", admin_login_redirect, name="djangoadmin_login_redirect"),
    # So does Wagtail's sign-in for private pages, which would take passwords unthrottled and
    # without a second factor (WAGTAIL_FRONTEND_LOGIN_URL already sends people to allauth's).
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login"),
        name="wagtailcore_login_redirect",
    ),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # allauth's pages, each answering 400 when it shows its form again with errors.
    path("accounts/", include(refused_forms_answer_400(allauth_urls.urlpatterns))),
    path("profile/", views.profile, name="profile"),
    path(
        "profile/notifications/",
        outbox_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "profile/notifications/unsubscribe/<str:token>/",
        outbox_views.notifications_unsubscribe,
        name="notifications_unsubscribe",
    ),
    path("profile/data/", views.your_data, name="your_data"),
    path("profile/data/download/", views.your_data_download, name="your_data_download"),
    path("profile/data/delete/", views.delete_account, name="delete_account"),
    path("search/", home_views.search, name="search"),
    path("", include("cohorts.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path(
        "accounts/profile/",
        RedirectView.as_view(url=reverse_lazy("profile"), permanent=False),
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
