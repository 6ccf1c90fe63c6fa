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
    return group_name in _group_names(user)


def is_staff_member(user) -> bool:
    """Staff are the people who hold any role besides learner: members of any group (a group
    made later in the Wagtail admin grants powers too), ``is_staff`` and superusers. Staff must
    use two-factor authentication (academy/mfa.py)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool(_group_names(user))


def _group_names(user) -> set[str]:
    """The user's group names, read once per request and shared by every role check."""
    cache = getattr(user, "_academy_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._academy_group_names = cache
    return cache


def is_facilitator(user) -> bool:
    return has_role(user, FACILITATORS)


def is_programme_manager(user) -> bool:
    return has_role(user, PROGRAMME_MANAGERS)
