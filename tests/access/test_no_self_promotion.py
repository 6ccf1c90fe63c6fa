"""Nobody but a superuser gives anyone more power, by any route: the Wagtail users admin (its
form has *Administrator* and the groups), its bulk "assign role" action, the groups admin,
Wagtail's own account settings, the profile form and the Django admin. Each attempt is a real
POST with the fields a superuser would send; what counts is the database afterwards."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client

import pytest

from academy.roles import ALL_GROUPS

from .forms import post_form_for
from .world import Rollback, as_role, request

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_EMAIL = "new.superuser@example.org"


def _groups(exclude=None) -> list[int]:
    groups = Group.objects.filter(name__in=ALL_GROUPS).order_by("name")
    if exclude is not None:
        groups = groups.exclude(user=exclude)
    return [group.pk for group in groups]


def _powerful_permissions() -> list[int]:
    return list(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=("add_user", "change_user", "add_group")
        ).values_list("pk", flat=True)
    )


def _promotion(world, user) -> dict:
    """The fields that would make ``user`` a superuser and staff, in every group, with power
    over people."""
    return {
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": _groups(),
        "user_permissions": _powerful_permissions(),
    }


def _new_person(world, user) -> dict:
    return {
        **_promotion(world, user),
        "email": NEW_EMAIL,
        "display_name": "New superuser",
        "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1",
        "usable_password": "true",
    }


def _power_over_people(world, user) -> dict:
    return {"permissions": _powerful_permissions()}


def _everywhere(world, user) -> dict:
    """The promotion, also under the prefix of Wagtail's account panels."""
    promotion = _promotion(world, user)
    return {**promotion, **{f"name_email-{name}": value for name, value in promotion.items()}}


# Each attempt: the URL (a function of the world and the person promoted) and the fields laid
# over what the page's own form sends.
ATTEMPTS = {
    "edit themselves in the Wagtail users admin": (
        lambda w, u: f"/admin/users/edit/{u.pk}/",
        _promotion,
    ),
    "add a superuser in the Wagtail users admin": (lambda w, u: "/admin/users/new/", _new_person),
    "copy themselves into a new superuser in the Wagtail users admin": (
        lambda w, u: f"/admin/users/copy/{u.pk}/",
        _new_person,
    ),
    "give themselves a role in bulk in the Wagtail users admin": (
        lambda w, u: f"/admin/bulk/academy/user/assign_role/?id={u.pk}",
        lambda w, u: {"role": _groups(exclude=u)[:1]},
    ),
    "give the Editors group power over people in the Wagtail groups admin": (
        lambda w, u: f"/admin/groups/edit/{w.editors.pk}/",
        _power_over_people,
    ),
    "add a group with power over people in the Wagtail groups admin": (
        lambda w, u: "/admin/groups/new/",
        lambda w, u: {**_power_over_people(w, u), "name": "Owners"},
    ),
    "send the promotion with Wagtail's account settings": (
        lambda w, u: "/admin/account/",
        _everywhere,
    ),
    "send the promotion with the profile form": (lambda w, u: "/profile/", _promotion),
    "edit themselves in the Django admin": (
        lambda w, u: f"/django-admin/academy/user/{u.pk}/change/",
        _promotion,
    ),
    "add a person in the Django admin": (
        lambda w, u: "/django-admin/academy/user/add/",
        _new_person,
    ),
    "give the Editors group power over people in the Django admin": (
        lambda w, u: f"/django-admin/auth/group/{w.editors.pk}/change/",
        _power_over_people,
    ),
}
# The forms that never carry these fields: they are accepted and must ignore them.
IGNORED = {
    "send the promotion with Wagtail's account settings",
    "send the promotion with the profile form",
}


def powers() -> dict:
    """Everything that grants power, for everyone: flags, groups, direct permissions, the
    groups' permissions, and who and which groups exist."""
    return {
        "people": sorted(
            (
                user.email,
                user.is_superuser,
                user.is_staff,
                user.is_active,
                tuple(sorted(user.groups.values_list("name", flat=True))),
                tuple(sorted(user.user_permissions.values_list("codename", flat=True))),
            )
            for user in User.objects.all()
        ),
        "groups": sorted(
            (group.name, tuple(sorted(group.permissions.values_list("codename", flat=True))))
            for group in Group.objects.all()
        ),
    }


def body(client, world, role, url, overrides) -> dict:
    """What the page's own form sends (read as ``role`` if they may open it, else as a
    superuser would see it), with ``overrides`` laid over it."""
    values: dict = {}
    for reader in (role, "superuser"):
        response = request(client, world, reader, "get", url)
        if response.status_code == 200:
            form = post_form_for(response.content.decode(), urlsplit(url).path, url)
            if form is not None:
                values = form.values()
                break
    for name, value in overrides.items():
        values[name] = value if isinstance(value, list) else [value]
    return values


def attempt_as(world, role, attempt, target):
    """POST the attempt as ``role`` for ``target``; the answer and the powers afterwards."""
    url, overrides = ATTEMPTS[attempt]
    address = url(world, target)
    client = Client()
    data = body(client, world, role, address, overrides(world, target))
    as_role(client, world, role)
    try:
        with transaction.atomic():
            response = client.post(address, data)
            after = powers()
            raise Rollback
    except Rollback:
        pass
    return response, after


@pytest.mark.parametrize(
    "role",
    ["editor", "programme_manager", "moderator", "facilitator_of_cohort", "learner_in_cohort"],
)
@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_nobody_but_a_superuser_gives_power(world, role, attempt):
    before = powers()

    response, after = attempt_as(world, role, attempt, world.users[role])

    assert response.status_code != 500
    assert after == before, f"{role}: {attempt} changed who holds power"


@pytest.mark.parametrize("attempt", sorted(set(ATTEMPTS) - IGNORED))
def test_each_attempt_works_for_a_superuser(world, attempt):
    """The same post from a superuser does give power: the refusals above are refusals, not a
    mistake in the post."""
    before = powers()

    response, after = attempt_as(world, "superuser", attempt, world.users["editor"])

    assert response.status_code == 302
    assert after != before


@pytest.mark.parametrize("attempt", sorted(IGNORED))
def test_forms_for_ones_own_account_ignore_the_fields_of_power(world, attempt):
    before = powers()

    response, after = attempt_as(world, "superuser", attempt, world.users["editor"])

    assert response.status_code in (200, 302)
    assert after == before
