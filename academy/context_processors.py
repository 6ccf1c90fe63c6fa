from django.urls import NoReverseMatch, reverse

from .roles import is_facilitator, is_programme_manager


def academy(request):
    """The service navigation, with the current section marked."""

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
    if user.is_authenticated:
        items += optional("My learning", "my_learning")
        if is_facilitator(user) or is_programme_manager(user):
            items += optional("Facilitate", "facilitate")
        items.append(item("Your profile", reverse("profile")))
    else:
        items.append(item("Sign in", reverse("account_login")))
    return {"academy_navigation": items}
