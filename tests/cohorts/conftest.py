"""The fixtures the cohorts tests share.

``course_page`` is a published course of two modules of three required lessons each, called
Leading across boundaries. ``cohort`` is Autumn 2026, running on it now, and ``enrolment`` and
``learner`` are a place on it and the person who holds it. ``runner`` facilitates cohorts and
``runner_client`` is signed in as them; the modules about the pages for the people who run
cohorts define their own ``cohort``, run by ``runner``. ``send_on_commit`` runs a service and
then the emails it queued on commit."""

import pytest

from .factories import CohortFactory, EnrolmentFactory, course_with_lessons, facilitator


@pytest.fixture
def course_page():
    return course_with_lessons("Leading across boundaries")


@pytest.fixture
def cohort(course_page):
    return CohortFactory(course=course_page, name="Autumn 2026")


@pytest.fixture
def enrolment(cohort):
    return EnrolmentFactory(cohort=cohort)


@pytest.fixture
def learner(enrolment):
    return enrolment.user


@pytest.fixture
def runner():
    return facilitator(display_name="Fran Facilitator")


@pytest.fixture
def runner_client(client, runner):
    client.force_login(runner)
    return client


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued on commit (Celery is eager in tests)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
