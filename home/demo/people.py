"""The people of the demo academy: places, organisations in every sector, and a user for every
role, each able to sign in at once. Who they are is in ``data/people.toml``."""

from dataclasses import dataclass, field
from functools import cache
from typing import Annotated

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from allauth.account.models import EmailAddress

from academy import roles
from academy.models import Organisation, Place, Sector

from . import CREATED, UNCHANGED, UPDATED, Summary
from .loader import DATA, read

K = Place.Kind
PlaceKind = Annotated[str, K]


@dataclass(frozen=True)
class PlaceData:
    name: str
    kind: PlaceKind
    ons_code: str = ""  # only where it is certain


@dataclass(frozen=True)
class OrganisationData:
    name: str
    sector: str  # a sector's slug


@dataclass(frozen=True)
class UserData:
    email: str
    name: str
    job_title: str
    organisation: str
    place: str
    place_kind: PlaceKind
    groups: list[Annotated[str, roles.ALL_GROUPS]] = field(default_factory=list)
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class PeopleData:
    """``data/people.toml``: ``[[places]]``, ``[[organisations]]`` and ``[[users]]``."""

    places: list[PlaceData]
    organisations: list[OrganisationData]
    users: list[UserData]


_PEOPLE = read(DATA / "people.toml", PeopleData)

# (name, kind, ONS code)
PLACES = [(place.name, K(place.kind), place.ons_code) for place in _PEOPLE.places]

# (name, sector slug)
ORGANISATIONS = [(org.name, org.sector) for org in _PEOPLE.organisations]

# email: (display name, job title, organisation, (place name, kind), groups, flags)
USERS = {
    user.email: (
        user.name,
        user.job_title,
        user.organisation,
        (user.place, K(user.place_kind)),
        list(user.groups),
        {flag: True for flag in ("is_staff", "is_superuser") if getattr(user, flag)},
    )
    for user in _PEOPLE.users
}


def load_places(summary: Summary) -> dict[tuple[str, str], Place]:
    places = {}
    for name, kind, ons_code in PLACES:
        place = Place.objects.filter(name=name, kind=kind).first()
        holder = Place.objects.filter(ons_code=ons_code).first() if ons_code else None
        if holder is not None and holder != place:
            summary.warn(
                f"ONS code {ons_code} already belongs to {holder}; {name} left without it."
            )
            ons_code = place.ons_code if place else ""
        label = f"{name} ({K(kind).label})"
        if place is None:
            place = Place.objects.create(name=name, kind=kind, ons_code=ons_code)
            summary.record("places", CREATED, label)
        elif place.ons_code != ons_code:
            place.ons_code = ons_code
            place.save(update_fields=["ons_code"])
            summary.record("places", UPDATED, label)
        else:
            summary.record("places", UNCHANGED, label)
        places[(name, kind)] = place
    return places


def load_organisations(summary: Summary) -> dict[str, Organisation]:
    sectors = _sectors()
    organisations = {}
    for name, sector_slug in ORGANISATIONS:
        sector = sectors[sector_slug]
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=name, sector=sector)
            summary.record("organisations", CREATED, name)
        elif organisation.sector_id != sector.pk:
            organisation.sector = sector
            organisation.save(update_fields=["sector"])
            summary.record("organisations", UPDATED, name)
        else:
            summary.record("organisations", UNCHANGED, name)
        organisations[name] = organisation
    return organisations


def load_users(
    summary: Summary,
    password: str,
    organisations: dict[str, Organisation],
    places: dict[tuple[str, str], Place],
    people: dict[str, tuple] | None = None,
) -> dict[str, object]:
    """A user for every role, each with a verified primary email address and ``password``.
    ``organisations`` and ``places`` are what ``load_organisations`` and ``load_places``
    return. ``people`` (same shape as ``USERS``, which is the default) loads other demo
    people, such as the learners of the demo cohorts."""
    groups = _groups()
    users = {}
    people = USERS if people is None else people
    for email, (name, job_title, org_name, place_key, group_names, flags) in people.items():
        organisation = organisations[org_name]
        wanted = {
            "display_name": name,
            "job_title": job_title,
            "organisation_id": organisation.pk,
            "sector_id": organisation.sector_id,
            "place_id": places[place_key].pk,
            "is_active": True,
            "is_staff": flags.get("is_staff", False),
            "is_superuser": flags.get("is_superuser", False),
        }
        user, outcome = _user(email, wanted, password)
        if _set_groups(user, [groups[g] for g in group_names]):
            outcome = UPDATED if outcome == UNCHANGED else outcome
        if _verify_email(user):
            outcome = UPDATED if outcome == UNCHANGED else outcome
        summary.record("users", outcome, email)
        users[email] = user
    return users


def _user(email: str, wanted: dict, password: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    outcome = UNCHANGED
    if user is None:
        user = User(email=email)
        outcome = CREATED
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            outcome = outcome if outcome == CREATED else UPDATED
    if outcome == CREATED or not _password_matches(password, user.password):
        user.password = _hashed(password)
        outcome = outcome if outcome == CREATED else UPDATED
    if outcome != UNCHANGED:
        user.save()
    return user, outcome


@cache
def _hashed(password: str) -> str:
    """One hash for every demo account: hashing costs about half a second with the production
    hasher, and these development-only accounts share a published password anyway."""
    return make_password(password)


@cache
def _password_matches(password: str, encoded: str) -> bool:
    return bool(encoded) and check_password(password, encoded)


def _set_groups(user, groups: list[Group]) -> bool:
    if set(user.groups.all()) == set(groups):
        return False
    user.groups.set(groups)
    return True


def _verify_email(user) -> bool:
    """A verified, primary allauth address, so the user can sign in without confirming."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return True
    if address.verified and address.primary:
        return False
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    return True


def _sectors() -> dict[str, Sector]:
    sectors = {s.slug: s for s in Sector.objects.all()}
    missing = {slug for _, slug in ORGANISATIONS} - sectors.keys()
    if missing:
        raise CommandError(
            f"Sectors missing ({', '.join(sorted(missing))}): run `manage.py migrate` first."
        )
    return sectors


def _groups() -> dict[str, Group]:
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_GROUPS)}
    missing = set(roles.ALL_GROUPS) - groups.keys()
    if missing:
        raise CommandError(
            f"Groups missing ({', '.join(sorted(missing))}): run `manage.py migrate` first."
        )
    return groups
