"""``manage.py load_demo``: a believable demo academy for development and browser tests.

Safe to run again: a second run changes nothing (no duplicates, no new page revisions). What
differs from the demo data (the TOML files in ``home/demo/data/``) is brought back in line with
it.
"""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import transaction

from academy import outbox, roles
from courses.models import CaseStudyIndexPage, CourseIndexPage
from home.demo import Summary
from home.demo.case_studies import load_case_studies
from home.demo.cohorts import COHORT_LEARNERS, load_cohorts
from home.demo.courses import load_courses
from home.demo.editorial import load_editorial
from home.demo.featured import load_featured
from home.demo.pages import load_pages
from home.demo.people import USERS, load_organisations, load_places, load_users
from home.demo.themes import load_themes

# Development only: every demo account signs in with this password (the README lists it).
DEMO_PASSWORD = "academy-demo-2026"  # noqa: S105


class Command(BaseCommand):
    help = (
        "Load the demo academy: home page and standard pages, courses and case studies, places, "
        f"organisations and a user for every role (password {DEMO_PASSWORD}). "
        "Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-learning-content",
            action="store_true",
            help="Leave out the courses, case studies and editorial workflow (faster; for tests "
            "that need only the pages and the people).",
        )

    def handle(self, *args, **options):
        summary = Summary()
        verbosity = options["verbosity"]
        # The demo's past happened: what it would have emailed is recorded as sent, not sent.
        with _quiet_logs(verbosity < 2), transaction.atomic(), outbox.history():
            home = load_pages(summary)
            places = load_places(summary)
            organisations = load_organisations(summary)
            load_users(summary, DEMO_PASSWORD, organisations, places)
            if not options["without_learning_content"]:
                load_learning_content(summary, home, places)
                load_cohorts(summary, DEMO_PASSWORD, organisations, places)

        if verbosity >= 1:
            self.stdout.write(
                "Demo academy loaded." if summary.changed else "Demo academy already up to date."
            )
            for line in summary.lines():
                self.stdout.write(f"  {line}")
            if verbosity >= 2:
                for line in summary.details:
                    self.stdout.write(f"    {line}")
            self.stdout.write(f"Demo accounts, all with the password {DEMO_PASSWORD}:")
            for email, role in demo_accounts():
                self.stdout.write(f"  {email:<34} {role}")
            if not options["without_learning_content"]:
                self.stdout.write(
                    f"  and {len(COHORT_LEARNERS)} learners on the demo cohorts "
                    "(home/demo/data/cohorts/)."
                )
            for warning in summary.warnings:
                self.stderr.write(self.style.WARNING(warning))


def load_learning_content(summary, home, places) -> None:
    """Themes, case studies, courses, the home page's featured selection and the editorial
    workflow on the two libraries."""
    themes = load_themes(summary)
    case_studies = load_case_studies(summary, home, themes, places)
    courses = load_courses(summary, home, themes, places)
    load_featured(summary, home, courses, case_studies)
    load_editorial(
        summary,
        CourseIndexPage.objects.child_of(home).get(),
        CaseStudyIndexPage.objects.child_of(home).get(),
    )


ROLE_NAMES = {
    roles.FACILITATORS: "Facilitator",
    roles.PROGRAMME_MANAGERS: "Programme manager",
    roles.EDITORS: "Editor",
    roles.MODERATORS: "Moderator",
}


def demo_accounts() -> list[tuple[str, str]]:
    """(email, role) for every demo user."""
    accounts = []
    for email, (name, job_title, organisation, _place, groups, flags) in USERS.items():
        if flags.get("is_superuser"):
            role = "Administrator (superuser)"
        elif groups:
            role = ", ".join(ROLE_NAMES.get(group, group) for group in groups)
        else:
            role = "Learner"
        accounts.append((email, f"{role}: {name}, {job_title}, {organisation}"))
    return accounts


@contextmanager
def _quiet_logs(quiet: bool):
    """Publishing pages logs a line per page and per background task: keep the command's own
    output readable unless asked for detail (-v 2). Warnings and errors still show."""
    if not quiet:
        yield
        return
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)
