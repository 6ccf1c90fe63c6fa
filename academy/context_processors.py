from django.urls import reverse

from .roles import is_facilitator


def academy(request):
    """The service navigation, with the current section marked."""

    def item(label: str, url: str) -> dict:
        active = request.path == url if url == "/" else request.path.startswith(url)
        return {"label": label, "url": url, "active": active}

    user = request.user
    items = [item("Courses", "/courses/"), item("Case studies", "/case-studies/")]
    if user.is_authenticated:
        items.append(item("My learning", "/learning/"))
        if is_facilitator(user):
            items.append(item("Facilitate", "/facilitate/"))
        items.append(item("Your profile", reverse("profile")))
    else:
        items.append(item("Sign in", reverse("account_login")))
    return {"academy_navigation": items}
