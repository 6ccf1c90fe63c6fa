"""A course's overview, cached for anonymous visitors (``courses/cache.py``), lists the course's
upcoming cohorts with the places left (``panels.course_cohorts_panel``); no other public page
shows anything of cohorts. This module purges that one overview, and only when what it lists
changes:

* a place is taken or given up on a cohort it lists (an enrolment comes to hold a place or
  stops holding one, ``Enrolment.is_member``, or is deleted while it holds one): joining, a
  decision on an application, the waiting list moving up, withdrawing, an account erased;
* a cohort it lists, or listed before, is added, saved or deleted (the programme managers'
  editor: dates, capacity, cancelled, name, enrolment mode, course).

A lesson marked complete, an enrolment completed, an application or a place on the waiting
list, and any change to a running or finished cohort, purge nothing: the public pages stay
cached while learners learn.

Listening to the models' signals, rather than to each service, catches every way these rows
change, the admin's and an erasure's cascade included, and adds no query to a lesson marked
complete: the status an enrolment was loaded with is kept on the instance (``post_init``),
and only a change of place looks its cohort up, once committed. Saving a cohort (the admin,
the demo) reads whether it was listed before, one query. The purge waits for the commit: a page
rendered before it shows the old figure but read its page's generation before the purge, so
it is stored under the old generation and never served; a page that reads the new one reads
the committed rows. Writes that send no signals (``QuerySet.update``, ``bulk_create``) purge
nothing: whoever uses them on places purges (the demo loader purges every page). A cohort that
starts today leaves the list with no write at all; the cache's ``TIMEOUT`` bounds that."""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from courses.cache import purge_public_page

from .models import Cohort, Enrolment

# The cohort an enrolment held a place on when it was loaded or last saved (None for no place,
# UNKNOWN when its status was not loaded).
HELD = "_public_cache_place"
UNKNOWN = object()


def _loaded(instance, *fields: str):
    values = tuple(instance.__dict__.get(field, UNKNOWN) for field in fields)
    return UNKNOWN if UNKNOWN in values else values


def _purge_after_commit(course_ids) -> None:
    """Purge these courses' overviews once the transaction commits."""
    for course_id in set(course_ids):
        transaction.on_commit(lambda pk=course_id: purge_public_page(pk), robust=True)


# --- Places taken and given up ---------------------------------------------------------------


def _place(enrolment: Enrolment):
    """The cohort on which ``enrolment`` takes a place, or None."""
    held = _loaded(enrolment, "status", "cohort_id")
    if held is UNKNOWN:
        return UNKNOWN
    _, cohort_id = held
    return cohort_id if enrolment.is_member else None


def _remember_place(sender, instance: Enrolment, **kwargs) -> None:
    setattr(instance, HELD, _place(instance))


def _places_changed(*cohort_ids) -> None:
    """After the commit, purge the overviews that list any of these cohorts (one query)."""
    cohort_ids = {pk for pk in cohort_ids if pk not in (None, UNKNOWN)}
    if not cohort_ids:
        return

    def purge() -> None:
        listed = Cohort.objects.upcoming().filter(pk__in=cohort_ids)
        for course_id in set(listed.values_list("course_id", flat=True)):
            purge_public_page(course_id)

    # Whether the cohort is listed is read once the change is committed, as pages will read it.
    transaction.on_commit(purge, robust=True)


def _enrolment_saved(sender, instance: Enrolment, created: bool, update_fields=None, **kwargs):
    if update_fields is not None and not {"status", "cohort"} & set(update_fields):
        return
    before = None if created else getattr(instance, HELD, UNKNOWN)
    after = _place(instance)
    setattr(instance, HELD, after)
    if before != after:
        # A place given up whose cohort was not loaded: the cohort it is on now.
        _places_changed(before, after, instance.__dict__.get("cohort_id"))


def _enrolment_deleted(sender, instance: Enrolment, **kwargs) -> None:
    _places_changed(_place(instance))


# --- Cohorts added, changed or deleted -------------------------------------------------------

LISTED_BEFORE = "_public_cache_listed_before"


def _remember_listing(sender, instance: Cohort, **kwargs) -> None:
    """The course whose overview lists the cohort as it is in the database (one query, on a
    save of a cohort, which only the admin and the demo make)."""
    listed = []
    if instance.pk is not None:
        listed = list(
            Cohort.objects.upcoming().filter(pk=instance.pk).values_list("course_id", flat=True)
        )
    setattr(instance, LISTED_BEFORE, listed)


def _cohort_saved(sender, instance: Cohort, **kwargs) -> None:
    courses = getattr(instance, LISTED_BEFORE, [])
    if instance.status == Cohort.Status.UPCOMING:
        courses = [*courses, instance.course_id]
    _purge_after_commit(courses)


def _cohort_deleted(sender, instance: Cohort, **kwargs) -> None:
    if instance.status == Cohort.Status.UPCOMING:
        _purge_after_commit([instance.course_id])


def connect_public_cache() -> None:
    """Connected in ``CohortsConfig.ready``."""
    for signal, sender, receiver, name in [
        (post_init, Enrolment, _remember_place, "enrolment-loaded"),
        (post_save, Enrolment, _enrolment_saved, "enrolment-saved"),
        (post_delete, Enrolment, _enrolment_deleted, "enrolment-deleted"),
        (pre_save, Cohort, _remember_listing, "cohort-saving"),
        (post_save, Cohort, _cohort_saved, "cohort-saved"),
        (post_delete, Cohort, _cohort_deleted, "cohort-deleted"),
    ]:
        signal.connect(receiver, sender=sender, dispatch_uid=f"public-cache-{name}")
