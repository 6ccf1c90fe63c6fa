"""Roles are Django groups. Editors and Moderators are the groups Wagtail creates; the academy
adds Facilitators and Programme managers. Learners are every signed-in user."""

FACILITATORS = "Facilitators"
PROGRAMME_MANAGERS = "Programme managers"
EDITORS = "Editors"
MODERATORS = "Moderators"

ALL_GROUPS = (FACILITATORS, PROGRAMME_MANAGERS, EDITORS, MODERATORS)


def has_role(user, group_name: str) -> bool:
    """True when the user is signed in and in the group (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_academy_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._academy_group_names = cache
    return group_name in cache


def is_facilitator(user) -> bool:
    return has_role(user, FACILITATORS)


def is_programme_manager(user) -> bool:
    return has_role(user, PROGRAMME_MANAGERS)
