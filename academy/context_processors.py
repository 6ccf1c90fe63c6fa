from django.urls import NoReverseMatch, reverse

from .mfa import PENDING, SETUP_URL_NAME
from .roles import is_facilitator, is_programme_manager


def academy(request):
    """The service navigation, with the current section marked, and whether the person is
    signed in (``academy_signed_in``: the header offers to sign out)."""

    def item(label: str, url: str) -> dict:
        active = request.path == url if url == "/" else request.path.startswith(url)
        return {"label": label, "url": url, "active": active}

    def optional(label: str, url_name: str) -> list[dict]:
        """A section that appears once its app provides the URL (My learning, Facilitate)."""
        try:
            return [item(label, reverse(url_name))]
        except NoReverseMatch:
            return []

    user = request.user
    items = [item("Courses", "/courses/"), item("Case studies", "/case-studies/")]
    if getattr(request, PENDING, False):
        # Staff who must set up a second factor first (academy/mfa.py): the public pages, the
        # set-up and signing out, whichever page they are on.
        items.append(item("Set up two-factor authentication", reverse(SETUP_URL_NAME)))
        return {"academy_navigation": items, "academy_signed_in": True}
    if user.is_authenticated:
        items += optional("My learning", "my_learning")
        if is_facilitator(user) or is_programme_manager(user):
            items += optional("Facilitate", "facilitate")
        items.append(item("Your profile", reverse("profile")))
    else:
        items.append(item("Sign in", reverse("account_login")))
    return {"academy_navigation": items, "academy_signed_in": user.is_authenticated}
