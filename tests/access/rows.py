"""The access matrix: for every route of the site, a row for GET and a row for POST saying
what every role gets (``world.ROLES``). ``test_matrix.py`` fails when a route has no row.

What a person may not see answers 404, so ids leak nothing. Anonymous visitors are sent to sign
in (``SIGN_IN``), except where a page is public or a calendar feed opens with its token.
Wagtail turns signed-in people without the permission back to the admin's dashboard
(``TURNED_AWAY``). An allowed POST without the data it needs answers 400, its form shown again
with the errors.

To add a row: name it, give a function of the world that builds the URL, the method, and the
answer for every role; a POST row may give the ``data`` to send and, for the fuzz test, where
its form is shown (``form_at``; ``NO_FORM`` when the URL takes no fields)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from wagtail.fields import StreamField

from academy.outbox.preferences import unsubscribe_token
from cohorts.forms.peer_sets import PRESENT
from cohorts.models import Enrolment
from cohorts.notifications import ANNOUNCEMENT

from ..academy.unsubscribe_links import token_made_days_ago
from ..factories import PASSWORD
from .world import ROLES, RUNNERS, World

# Sent to a sign-in page (/accounts/login/, or an admin sign-in that hands over to it) that
# brings the person back to the URL they asked for (``next``).
SIGN_IN = "302 to sign in"
TURNED_AWAY = "302 to the admin dashboard"  # Wagtail's "you do not have permission"
NO_FORM = "no form"
SAME_URL = "the same URL"


@dataclass(frozen=True)
class Redirect:
    """A redirect to a given page: ``to`` is its path and query (``next`` and other values
    unencoded), and may name the world's objects, as in ``/admin/cohorts/edit/{w.cohort.pk}/``."""

    to: str
    status: int = 302

    def at(self, world: World) -> "Redirect":
        return Redirect(self.to.format(w=world), self.status)

    def __str__(self) -> str:
        return f"{self.status} to {self.to}"


@dataclass(frozen=True)
class Either:
    """One answer or another, both letting the person through (each redirect asserted by its
    target)."""

    answers: tuple

    def at(self, world: World) -> "Either":
        return Either(tuple(a.at(world) if isinstance(a, Redirect) else a for a in self.answers))

    def __eq__(self, other) -> bool:
        return other in self.answers if not isinstance(other, Either) else other is self

    def __hash__(self) -> int:
        return hash(self.answers)

    def __str__(self) -> str:
        return " or ".join(map(str, self.answers))


@dataclass(frozen=True)
class AsShown:
    """A row's data: the form as the page shows it, with ``scripted`` (a function of the world)
    laid over it: what the page's scripts would add."""

    scripted: Callable[[World], dict] | None = None


# The academy's sign-in with nowhere to go next, and with the admin's dashboard next.
ACADEMY_SIGN_IN = Redirect("/accounts/login/")
SIGN_IN_TO_THE_ADMIN = Redirect("/accounts/login/?next=/admin/")

FACILITATE = ("facilitator_of_cohort", "facilitator_of_other_cohort", "programme_manager")
MANAGERS = ("programme_manager", "superuser")
# Learners with a place on the running cohort: one in its peer group set 1, one in set 2.
LEARNERS = ("learner_in_cohort", "member_of_other_set")
CONTENT_STAFF = ("editor", "moderator")
ADMIN_STAFF = ("editor", "moderator", "programme_manager")  # Wagtail admin, no superuser
HUGE_ID = 99999999999999999999999


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable[[World], str]
    method: str
    expected: dict
    data: dict | Callable[[World], dict] | None = None
    form_at: Callable[[World], str] | str = SAME_URL
    form_posts_to: Callable[[World], str] | None = None  # when the form's action is elsewhere
    # Why a POST without the CSRF token is answered as with it (the view is exempt), if it is.
    without_csrf: str = ""

    def __post_init__(self):
        assert set(self.expected) == set(ROLES), f"row {self.name!r} must say what every role gets"
        assert not set(self.expected.values()) & {301, 302, 303, 307, 308}, (
            f"row {self.name!r}: say where a redirect goes (SIGN_IN, TURNED_AWAY or Redirect)"
        )

    def body(self, world: World) -> dict | None:
        """The data the row sends (with ``AsShown``, what it lays over the form)."""
        if isinstance(self.data, AsShown):
            return self.data.scripted(world) if self.data.scripted else None
        return self.data(world) if callable(self.data) else self.data

    def expects(self, world: World, role: str):
        """What ``role`` gets, with a redirect's target filled in from the world."""
        answer = self.expected[role]
        return answer.at(world) if isinstance(answer, Redirect | Either) else answer


def expect(default, *, anonymous=SIGN_IN, **by_role) -> dict:
    """``default`` for every signed-in role, ``anonymous`` for visitors, then ``by_role``."""
    codes = dict.fromkeys(ROLES, default)
    codes["anonymous"] = anonymous
    codes.update(by_role)
    return codes


def each(roles, code) -> dict:
    return dict.fromkeys(roles, code)


def everyone(code) -> dict:
    return dict.fromkeys(ROLES, code)


def get(name, url, expected, **options) -> Row:
    return Row(name, url, "get", expected, **options)


def post(name, url, expected, **options) -> Row:
    return Row(name, url, "post", expected, **options)


def _page(attribute):
    return lambda w: getattr(w, attribute).url


# --- Pages served by Wagtail ------------------------------------------------------------------

# Every page type the academy defines has its rows (``test_every_page_type_has_its_rows``): its
# page, GET and POST, and its editor and preview in the admin (below).
PUBLIC_PAGE_TYPES = {
    "home": "home",
    "course catalogue": "catalogue",
    "course overview": "course",
    "module": "module",
    "case-study library": "case_study_index",
    "case study": "case_study",
    "standard page": "standard_page",
}

TAKE_IT = "/cohorts/{w.cohort.pk}/assessments/{w.assessment.pk}/"
TAKE_IT_LATER = "/cohorts/{w.upcoming_cohort.pk}/assessments/{w.assessment.pk}/"

PAGES = [
    *[
        row
        for label, attribute in PUBLIC_PAGE_TYPES.items()
        for row in (
            get(label, _page(attribute), everyone(200)),
            post(f"{label} (POST)", _page(attribute), everyone(200), form_at=NO_FORM),
        )
    ],
    get("draft page", lambda w: w.home.url + "privacy/", everyone(404)),
    get("no such page", lambda w: "/no-such-page/", everyone(404)),
    # Lessons: the people who run a cohort of the course read them whatever the cohort's
    # status; learners only with a place on a running cohort; editors and moderators all.
    get(
        "lesson",
        _page("lesson"),
        expect(
            404,
            **each(LEARNERS, 200),
            **each(RUNNERS, 200),
            **each(CONTENT_STAFF, 200),
        ),
    ),
    post(
        "lesson (POST)",
        _page("lesson"),
        expect(404, **each(LEARNERS, 200), **each(RUNNERS, 200), **each(CONTENT_STAFF, 200)),
        form_at=NO_FORM,
    ),
    get(
        "lesson of a course whose only cohort has not started",
        _page("lesson_of_unstarted_course"),
        expect(404, **each(RUNNERS, 200), **each(CONTENT_STAFF, 200)),
    ),
    get(
        "lesson of a course no cohort runs",
        _page("lesson_of_course_without_cohorts"),
        expect(404, superuser=200, **each(CONTENT_STAFF, 200)),
    ),
    # An assessment is taken inside a cohort: its own address sends a member of a cohort of the
    # course, or someone who runs one, there; editors and moderators read it as written.
    *[
        row(
            name,
            _page("assessment"),
            expect(
                404,
                **each(LEARNERS, Redirect(TAKE_IT)),
                member_of_upcoming_cohort=Redirect(TAKE_IT_LATER),
                facilitator_of_cohort=Redirect(TAKE_IT),
                programme_manager=Redirect(TAKE_IT),
                **each(CONTENT_STAFF, 200),
                superuser=200,
            ),
            **options,
        )
        for row, name, options in (
            (get, "assessment", {}),
            (post, "assessment (POST)", {"form_at": NO_FORM}),
        )
    ],
    get(
        "draft lesson",
        lambda w: w.module.url + w.draft_lesson.slug + "/",
        everyone(404),
    ),
]

# --- Public routes of the academy -------------------------------------------------------------

PUBLIC = [
    get("health", lambda w: "/healthz", everyone(200)),
    post("health (POST)", lambda w: "/healthz", everyone(405)),
    get("search", lambda w: reverse("search") + "?q=place", everyone(200)),
    post("search (POST)", lambda w: reverse("search"), everyone(405)),
    get("sitemap", lambda w: "/sitemap.xml", everyone(200)),
    # Wagtail's sitemap view answers any method with the sitemap.
    post("sitemap (POST)", lambda w: "/sitemap.xml", everyone(200), form_at=NO_FORM),
    get("robots.txt", lambda w: "/robots.txt", everyone(200)),
    post("robots.txt (POST)", lambda w: "/robots.txt", everyone(405)),
    get(
        "a public document",
        lambda w: w.document.url,
        everyone(200),
    ),
    post("a public document (POST)", lambda w: w.document.url, everyone(200), form_at=NO_FORM),
    get("a document that does not exist", lambda w: "/documents/999999/report.pdf", everyone(404)),
    get(
        "a document's password page, for a restriction that does not exist",
        lambda w: "/documents/authenticate_with_password/999999/",
        everyone(404),
    ),
    post(
        "a document's password, for a restriction that does not exist",
        lambda w: "/documents/authenticate_with_password/999999/",
        everyone(404),
    ),
    # Wagtail's own sign-in form for private pages would take passwords without the sign-in
    # throttle or a second factor: it hands over to the academy's sign-in instead.
    get("Wagtail's page sign-in", lambda w: "/_util/login/", everyone(ACADEMY_SIGN_IN)),
    post(
        "Wagtail's page sign-in with a right password",
        lambda w: "/_util/login/",
        everyone(ACADEMY_SIGN_IN),
        data=lambda w: {"username": w.users["learner_in_cohort"].email, "password": PASSWORD},
        form_at=NO_FORM,
    ),
    get(
        "a page's password, for a restriction that does not exist",
        lambda w: f"/_util/authenticate_with_password/999999/{w.home.pk}/",
        everyone(404),
    ),
    post(
        "a page's password, for a restriction that does not exist (POST)",
        lambda w: f"/_util/authenticate_with_password/999999/{w.home.pk}/",
        everyone(404),
    ),
]

# --- Your account -----------------------------------------------------------------------------

ACCOUNT = [
    get("profile", lambda w: reverse("profile"), expect(200)),
    post("save a profile with nothing filled in", lambda w: reverse("profile"), expect(400)),
    get("your data", lambda w: reverse("your_data"), expect(200)),
    post("your data (POST)", lambda w: reverse("your_data"), expect(405)),
    get("download your data", lambda w: reverse("your_data_download"), expect(200)),
    post("download your data (POST)", lambda w: reverse("your_data_download"), expect(405)),
    get("delete your account", lambda w: reverse("delete_account"), expect(200)),
    post(
        "delete your account without the password",
        lambda w: reverse("delete_account"),
        expect(400),
    ),
    post(
        "delete your account with a wrong password",
        lambda w: reverse("delete_account"),
        expect(400),
        data={"password": "not-the-password"},
    ),
    get(
        "the old allauth profile address",
        lambda w: "/accounts/profile/",
        everyone(Redirect("/profile/")),
    ),
    post(
        "the old allauth profile address (POST)",
        lambda w: "/accounts/profile/",
        everyone(Redirect("/profile/")),
        form_at=NO_FORM,
    ),
    get("calendar feed page", lambda w: reverse("calendar_feed"), expect(200)),
    post(
        "calendar token reset",
        lambda w: reverse("calendar_feed"),
        expect(Redirect("/profile/calendar/")),
    ),
]


def _unsubscribe(token):
    """The link in the learner's emails about announcements, carrying what ``token`` makes
    of the learner's id."""

    def url(w):
        user_id = w.users["learner_in_cohort"].pk
        return reverse("notifications_unsubscribe", args=[token(user_id)])

    return url


UNSUBSCRIBE = _unsubscribe(lambda user_id: unsubscribe_token(user_id, ANNOUNCEMENT))
FORGED_UNSUBSCRIBE = _unsubscribe(lambda user_id: unsubscribe_token(user_id, ANNOUNCEMENT)[:-4])
EXPIRED_UNSUBSCRIBE = _unsubscribe(lambda user_id: token_made_days_ago(200, user_id, ANNOUNCEMENT))

ONE_CLICK = "RFC 8058: a mail program's one-click unsubscribe posts with no cookies"
# Which emails a person receives; the link in every email stops one kind without signing in
# (anyone holding it: a mail program's one-click POST carries no cookies).
EMAILS = [
    get("email choices", lambda w: reverse("notification_preferences"), expect(200)),
    post(
        "save email choices with nothing chosen",
        lambda w: reverse("notification_preferences"),
        expect(400),
    ),
    get("the unsubscribe link", UNSUBSCRIBE, everyone(200)),
    get("a forged unsubscribe link", FORGED_UNSUBSCRIBE, everyone(404)),
    get("an expired unsubscribe link", EXPIRED_UNSUBSCRIBE, everyone(410)),
    *[
        post(name, url, everyone(code), form_at=NO_FORM, without_csrf=ONE_CLICK)
        for name, url, code in (
            ("unsubscribe", UNSUBSCRIBE, 200),
            ("unsubscribe with a forged link", FORGED_UNSUBSCRIBE, 404),
            ("unsubscribe with an expired link", EXPIRED_UNSUBSCRIBE, 410),
        )
    ],
]

# --- Learning ---------------------------------------------------------------------------------

MEMBERS = {**each(LEARNERS, 200), **each(RUNNERS, 200)}


def _lesson_complete(w):
    return reverse("lesson_complete", args=[w.lesson.pk])


LEARNING = [
    get("my learning", lambda w: reverse("my_learning"), expect(200)),
    post("my learning (POST)", lambda w: reverse("my_learning"), expect(405)),
    get(
        "personal calendar with a valid token",
        lambda w: f"{reverse('personal_calendar')}?token={w.token}",
        everyone(200),
    ),
    get(
        "personal calendar with a wrong token",
        lambda w: f"{reverse('personal_calendar')}?token=not-the-token",
        everyone(404),
    ),
    get("personal calendar without a token", lambda w: reverse("personal_calendar"), everyone(404)),
    post(
        "personal calendar (POST)",
        lambda w: f"{reverse('personal_calendar')}?token={w.token}",
        everyone(405),
    ),
    # Those who may read the lesson reach the form; only a learner with a place records it.
    post(
        "mark a lesson complete",
        _lesson_complete,
        expect(
            404,
            **each(LEARNERS, Redirect("{w.lesson.url}")),
            **each(RUNNERS, 400),
            **each(CONTENT_STAFF, 400),
        ),
        data={"action": "complete"},
        form_at=_page("lesson"),
    ),
    post(
        "mark a lesson complete with an unknown action",
        _lesson_complete,
        expect(
            404,
            **each(LEARNERS, 400),
            **each(RUNNERS, 400),
            **each(CONTENT_STAFF, 400),
        ),
        data={"action": "delete"},
        form_at=NO_FORM,
    ),
    post(
        "mark a lesson complete with no action",
        _lesson_complete,
        expect(
            404,
            **each(LEARNERS, 400),
            **each(RUNNERS, 400),
            **each(CONTENT_STAFF, 400),
        ),
        form_at=NO_FORM,
    ),
    post(
        "mark a lesson complete that does not exist",
        lambda w: reverse("lesson_complete", args=[999999]),
        expect(404),
        form_at=NO_FORM,
    ),
    post(
        "mark a lesson complete with an id too large for the database",
        lambda w: f"/learning/lessons/{HUGE_ID}/complete/",
        everyone(404),
        form_at=NO_FORM,
    ),
    get("mark a lesson complete by GET", _lesson_complete, expect(405)),
    get(
        "cohort home", lambda w: reverse("cohort_home", args=[w.cohort.pk]), expect(404, **MEMBERS)
    ),
    get(
        "cohort home before the cohort starts",
        lambda w: reverse("cohort_home", args=[w.upcoming_cohort.pk]),
        expect(404, member_of_upcoming_cohort=200, **each(MANAGERS, 200)),
    ),
    post(
        "cohort home (POST)",
        lambda w: reverse("cohort_home", args=[w.cohort.pk]),
        expect(405),
    ),
    get(
        "cohort calendar",
        lambda w: reverse("cohort_calendar", args=[w.cohort.pk]),
        expect(404, **MEMBERS),
    ),
    post(
        "cohort calendar (POST)",
        lambda w: reverse("cohort_calendar", args=[w.cohort.pk]),
        everyone(405),
    ),
    get(
        "join an open cohort",
        lambda w: reverse("cohort_join", args=[w.open_cohort.pk]),
        expect(200),
    ),
    post(
        "take a place on an open cohort",
        lambda w: reverse("cohort_join", args=[w.open_cohort.pk]),
        expect(Redirect("/learning/")),
    ),
    get(
        "join a cohort that does not exist",
        lambda w: reverse("cohort_join", args=[999999]),
        expect(404),
    ),
    post(
        "take a place on a cohort that does not exist",
        lambda w: reverse("cohort_join", args=[999999]),
        expect(404),
        form_at=NO_FORM,
    ),
    get(
        "withdraw",
        lambda w: reverse("cohort_withdraw", args=[w.cohort.pk]),
        expect(404, **each(LEARNERS, 200), waitlisted_learner=200),
    ),
    post(
        "withdraw (confirm)",
        lambda w: reverse("cohort_withdraw", args=[w.cohort.pk]),
        expect(
            404, **each(LEARNERS, Redirect("/learning/")), waitlisted_learner=Redirect("/learning/")
        ),
    ),
]

# --- Certificates ------------------------------------------------------------------------------

# The world's certificate is learner_in_other_cohort's, on other_cohort: the people who run that
# cohort revoke it. Its page, PDF and credential are public by its code; the holder alone
# shows or hides their name.
CERTIFICATE_RUNNERS = ("facilitator_of_other_cohort", "programme_manager", "superuser")
NOT_A_CODE = "a" * 26  # the shape of a code, and no certificate's


def _certificate(name):
    return lambda w: reverse(name, args=[w.certificate.code])


def _revoke(cohort="other_cohort"):
    return lambda w: reverse(
        "facilitate_certificate_revoke", args=[getattr(w, cohort).pk, w.certificate.pk]
    )


CERTIFICATES = [
    *[
        row
        for label, name in (
            ("a certificate's public page", "certificate_verify"),
            ("a certificate's PDF", "certificate_pdf"),
            ("a certificate's credential", "certificate_credential"),
        )
        for row in (
            get(label, _certificate(name), everyone(200)),
            post(f"{label} (POST)", _certificate(name), everyone(405)),
        )
    ],
    get("the certificates' issuer", lambda w: reverse("certificate_issuer"), everyone(200)),
    post("the certificates' issuer (POST)", lambda w: reverse("certificate_issuer"), everyone(405)),
    get(
        "the certificates' revocation list",
        lambda w: reverse("certificate_status_list"),
        everyone(200),
    ),
    post(
        "the certificates' revocation list (POST)",
        lambda w: reverse("certificate_status_list"),
        everyone(405),
    ),
    get(
        "a certificate that does not exist", lambda w: f"/certificates/{NOT_A_CODE}/", everyone(404)
    ),
    get("a certificate's code that cannot be one", lambda w: "/certificates/x/", everyone(404)),
    get(
        "the PDF of a certificate that does not exist",
        lambda w: f"/certificates/{NOT_A_CODE}.pdf",
        everyone(404),
    ),
    get(
        "the credential of a certificate that does not exist",
        lambda w: f"/certificates/{NOT_A_CODE}.json",
        everyone(404),
    ),
    post(
        "hide your name on your certificate",
        lambda w: reverse("certificate_name", args=[w.certificate.pk]),
        expect(404, learner_in_other_cohort=Redirect("/learning/")),
        data={"name": "hide"},
        form_at=lambda w: reverse("my_learning"),
    ),
    post(
        "show or hide your name with nothing chosen",
        lambda w: reverse("certificate_name", args=[w.certificate.pk]),
        expect(404, learner_in_other_cohort=400),
        form_at=NO_FORM,
    ),
    get(
        "hide your name by GET",
        lambda w: reverse("certificate_name", args=[w.certificate.pk]),
        expect(405),
    ),
    get(
        "a cohort's certificates",
        lambda w: reverse("facilitate_certificates", args=[w.cohort.pk]),
        expect(404, **each(RUNNERS, 200)),
    ),
    post(
        "a cohort's certificates (POST)",
        lambda w: reverse("facilitate_certificates", args=[w.cohort.pk]),
        expect(404, **each(RUNNERS, 405)),
        form_at=NO_FORM,
    ),
    get("revoke a certificate", _revoke(), expect(404, **each(CERTIFICATE_RUNNERS, 200))),
    post(
        "revoke a certificate",
        _revoke(),
        expect(
            404,
            **each(
                CERTIFICATE_RUNNERS,
                Redirect("/facilitate/cohorts/{w.other_cohort.pk}/certificates/"),
            ),
        ),
        data={"reason": "Issued in error: the last assessment was marked by mistake."},
    ),
    post(
        "revoke a certificate without a reason",
        _revoke(),
        expect(404, **each(CERTIFICATE_RUNNERS, 400)),
        form_at=NO_FORM,
    ),
    get("revoke a certificate through another cohort", _revoke("cohort"), expect(404)),
]

# --- Facilitating -----------------------------------------------------------------------------


def _cohort_url(name, *extra):
    return lambda w: reverse(name, args=[w.cohort.pk, *[getattr(w, e).pk for e in extra]])


RUN = each(RUNNERS, 200)


def _runners(code):
    return each(RUNNERS, code)


def _assessment_url(name, attribute="assessment", *extra):
    """A URL of one of the cohort's assessments (and of ``extra`` objects of the world)."""
    return lambda w: reverse(
        name,
        args=[w.cohort.pk, getattr(w, attribute).pk, *[getattr(w, e).pk for e in extra]],
    )


def _hand_in(w):
    return {"version": "1", "text": "Partners in our place pooled two budgets this year."}


def _hand_in_again(w):
    return {**_hand_in(w), "version": "2"}


# The people who may see a cohort's assessments: its members and the people who run it. Only a
# member hands work in; the others are answered 400 with the reason.
ASSESSING = [
    get("an assessment", _assessment_url("cohort_assessment"), expect(404, **MEMBERS)),
    post(
        "hand in work while the last version waits to be marked",
        _assessment_url("cohort_assessment"),
        expect(404, **each(LEARNERS, 400), **_runners(400)),
        data=_hand_in_again,
        # No form while the last version waits: the essay's form is the same one.
        form_at=lambda w: reverse("cohort_assessment", args=[w.cohort.pk, w.essay.pk]),
        form_posts_to=lambda w: reverse("cohort_assessment", args=[w.cohort.pk, w.essay.pk]),
    ),
    post(
        "hand in work",
        _assessment_url("cohort_assessment", "essay"),
        expect(
            404,
            **each(LEARNERS, Redirect("/cohorts/{w.cohort.pk}/assessments/{w.essay.pk}/")),
            **_runners(400),
        ),
        data=_hand_in,
        form_at=lambda w: reverse("cohort_assessment", args=[w.cohort.pk, w.essay.pk]),
    ),
    post(
        "hand in nothing",
        _assessment_url("cohort_assessment", "essay"),
        expect(404, **each(LEARNERS, 400), **_runners(400)),
        form_at=NO_FORM,
    ),
    get(
        "an assessment of another course",
        lambda w: reverse("cohort_assessment", args=[w.other_cohort.pk, w.assessment.pk]),
        expect(404),
    ),
    get(
        "an assessment that does not exist",
        lambda w: reverse("cohort_assessment", args=[w.cohort.pk, 999999]),
        expect(404),
    ),
    get(
        "a file handed in",
        _assessment_url("submission_file", "assessment", "submission_file"),
        expect(404, **{**MEMBERS, "member_of_other_set": 404}),
    ),
    post(
        "a file handed in (POST)",
        _assessment_url("submission_file", "assessment", "submission_file"),
        expect(405),
        form_at=NO_FORM,
    ),
    get(
        "a file handed in, through another assessment",
        _assessment_url("submission_file", "essay", "submission_file"),
        expect(404),
    ),
    get("a quiz", _assessment_url("cohort_assessment", "quiz"), expect(404, **MEMBERS)),
    post(
        "a quiz (POST)",
        _assessment_url("cohort_assessment", "quiz"),
        expect(404, **each(LEARNERS, 405), **_runners(405)),
        form_at=NO_FORM,
    ),
    post(
        "answer a quiz with nothing",
        _assessment_url("quiz_submit", "quiz"),
        expect(404, **each(LEARNERS, 400), **_runners(400)),
        data={"number": "2"},
        form_at=lambda w: reverse("cohort_assessment", args=[w.cohort.pk, w.quiz.pk]),
    ),
    get("answer a quiz by GET", _assessment_url("quiz_submit", "quiz"), expect(405)),
    get(
        "a quiz attempt",
        lambda w: reverse("quiz_attempt", args=[w.cohort.pk, w.quiz.pk, 1]),
        expect(404, learner_in_cohort=200),
    ),
    get(
        "a learner's quiz attempt, for the people who run the cohort",
        lambda w: (
            reverse("quiz_attempt", args=[w.cohort.pk, w.quiz.pk, 1])
            + f"?enrolment={w.learner_enrolment.pk}"
        ),
        expect(404, **RUN),
    ),
    post(
        "a quiz attempt (POST)",
        lambda w: reverse("quiz_attempt", args=[w.cohort.pk, w.quiz.pk, 1]),
        expect(405),
        form_at=NO_FORM,
    ),
    post(
        "ask for work to review",
        _assessment_url("peer_review_next", "peer_review"),
        expect(
            404,
            learner_in_cohort=Redirect(
                "/cohorts/{w.cohort.pk}/assessments/{w.peer_review.pk}/reviews/{w.review.pk}/"
            ),
            member_of_other_set=400,  # has handed in nothing to review in exchange
            **_runners(400),
        ),
        # The learner's review is under way: the page offers to continue it, and asking again
        # hands back the same one.
        form_at=NO_FORM,
    ),
    get(
        "ask for work to review by GET",
        _assessment_url("peer_review_next", "peer_review"),
        expect(405),
    ),
    # Only the learner it was handed to sees a piece of work to review, not even facilitators.
    get(
        "review a classmate's work",
        _assessment_url("peer_review", "peer_review", "review"),
        expect(404, learner_in_cohort=200),
    ),
    post(
        "send an empty review",
        _assessment_url("peer_review", "peer_review", "review"),
        expect(404, learner_in_cohort=400),
    ),
]


# --- Peer groups: a set's own space -------------------------------------------------------------

# Under the Chatham House rule a set's space is for its members and its adviser alone
# (``facilitator_of_cohort`` advises set 1): not the cohort's other facilitators, its programme
# managers, superusers, nor a member of another set of the same cohort. Members write; the
# adviser reads, schedules meetings and records who came.


def _set_url(name, *extra, peer_set="peer_set"):
    return lambda w: reverse(
        name,
        args=[
            w.cohort.pk,
            getattr(w, peer_set).number,
            *[getattr(w, e).pk for e in extra],
        ],
    )


SPACE = "/cohorts/{w.cohort.pk}/peer-group/{w.peer_set.number}/"
MEETING = SPACE + "meetings/{w.peer_meeting.pk}/"
SET_READERS = {"learner_in_cohort": 200, "facilitator_of_cohort": 200}


def _attendance(w):
    """Everyone in set 1 came."""
    members = w.peer_set.memberships.values_list("enrolment_id", flat=True)
    return {f"member_{enrolment}": PRESENT for enrolment in members}


PEER_SPACE = [
    get(
        "your peer group",
        lambda w: reverse("own_peer_set", args=[w.cohort.pk]),
        expect(404, **each(LEARNERS, 200), **RUN),
    ),
    post(
        "your peer group (POST)",
        lambda w: reverse("own_peer_set", args=[w.cohort.pk]),
        expect(405),
        form_at=NO_FORM,
    ),
    get("a peer group's space", _set_url("peer_set"), expect(404, **SET_READERS)),
    get(
        "another set's space",
        _set_url("peer_set", peer_set="other_peer_set"),
        expect(404, member_of_other_set=200),
    ),
    get(
        "a set that does not exist",
        lambda w: reverse("peer_set", args=[w.cohort.pk, 99]),
        expect(404),
    ),
    get(
        "a set through another cohort",
        lambda w: reverse("peer_set", args=[w.other_cohort.pk, w.peer_set.number]),
        expect(404),
    ),
    post("a peer group's space (POST)", _set_url("peer_set"), expect(405), form_at=NO_FORM),
    get("write a post", _set_url("peer_post_add"), expect(404, learner_in_cohort=200)),
    post(
        "post in a peer group",
        _set_url("peer_post_add"),
        expect(404, learner_in_cohort=Redirect(SPACE)),
        data={"body": "Our ICB and council now share one front door."},
        form_at=_set_url("peer_set"),
    ),
    post(
        "an empty post",
        _set_url("peer_post_add"),
        expect(404, learner_in_cohort=400),
        data={"body": "   "},
        form_at=NO_FORM,
    ),
    get(
        "reply to a post",
        _set_url("peer_post_reply", "peer_post"),
        expect(404, learner_in_cohort=200),
    ),
    post(
        "reply to a post with nothing",
        _set_url("peer_post_reply", "peer_post"),
        expect(404, learner_in_cohort=400),
        form_at=NO_FORM,
    ),
    get(
        "reply to a post of another set",
        _set_url("peer_post_reply", "peer_post", peer_set="other_peer_set"),
        expect(404),
    ),
    get("schedule a meeting", _set_url("peer_meeting_add"), expect(404, **SET_READERS)),
    post(
        "schedule a meeting with no details",
        _set_url("peer_meeting_add"),
        expect(404, learner_in_cohort=400, facilitator_of_cohort=400),
    ),
    get("a meeting", _set_url("peer_meeting", "peer_meeting"), expect(404, **SET_READERS)),
    post(
        "a meeting (POST)",
        _set_url("peer_meeting", "peer_meeting"),
        expect(405),
        form_at=NO_FORM,
    ),
    get(
        "a meeting through another set",
        _set_url("peer_meeting", "peer_meeting", peer_set="other_peer_set"),
        expect(404),
    ),
    get(
        "change a meeting",
        _set_url("peer_meeting_edit", "peer_meeting"),
        expect(404, **SET_READERS),
    ),
    post(
        "change a meeting (as it was)",
        _set_url("peer_meeting_edit", "peer_meeting"),
        expect(404, **each(("learner_in_cohort", "facilitator_of_cohort"), Redirect(MEETING))),
        data=AsShown(),
    ),
    post(
        "record who came to a meeting",
        _set_url("peer_meeting_attendance", "peer_meeting"),
        expect(404, **each(("learner_in_cohort", "facilitator_of_cohort"), Redirect(MEETING))),
        data=_attendance,
        form_at=_set_url("peer_meeting", "peer_meeting"),
    ),
    get(
        "record who came by GET",
        _set_url("peer_meeting_attendance", "peer_meeting"),
        expect(405),
    ),
    post(
        "record a commitment",
        _set_url("peer_commitment", "peer_meeting"),
        expect(404, learner_in_cohort=Redirect(MEETING)),
        data={"text": "Meet the ICB's finance lead about the pooled budget."},
        form_at=_set_url("peer_meeting", "peer_meeting"),
    ),
    post(
        "record an empty commitment",
        _set_url("peer_commitment", "peer_meeting"),
        expect(404, learner_in_cohort=400),
        form_at=NO_FORM,
    ),
    get("record a commitment by GET", _set_url("peer_commitment", "peer_meeting"), expect(405)),
    # Only its author says how a commitment went.
    get(
        "review a commitment",
        _set_url("peer_commitment_review", "commitment"),
        expect(404, learner_in_cohort=200),
    ),
    post(
        "review a commitment",
        _set_url("peer_commitment_review", "commitment"),
        expect(404, learner_in_cohort=Redirect(MEETING)),
        data={"outcome": "done", "outcome_note": "The finance lead said yes."},
    ),
]


FACILITATING = [
    get(
        "facilitate",
        lambda w: reverse("facilitate"),
        expect(404, **each(FACILITATE, 200), superuser=200),
    ),
    post(
        "facilitate (POST)",
        lambda w: reverse("facilitate"),
        expect(404, **each(FACILITATE, 405), superuser=405),
    ),
    get(
        "programme report",
        lambda w: reverse("programme_report"),
        expect(404, **each(MANAGERS, 200)),
    ),
    post(
        "programme report (POST)",
        lambda w: reverse("programme_report"),
        expect(404, **each(MANAGERS, 405)),
    ),
    get(
        "programme report CSV",
        lambda w: reverse("programme_report_csv"),
        expect(404, **each(MANAGERS, 200)),
    ),
    post(
        "programme report CSV (POST)",
        lambda w: reverse("programme_report_csv"),
        expect(404, **each(MANAGERS, 405)),
    ),
    get("facilitator dashboard", _cohort_url("facilitate_cohort"), expect(404, **RUN)),
    post(
        "facilitator dashboard (POST)",
        _cohort_url("facilitate_cohort"),
        expect(404, **_runners(405)),
    ),
    get("learner table CSV", _cohort_url("facilitate_learners_csv"), expect(404, **RUN)),
    post(
        "learner table CSV (POST)",
        _cohort_url("facilitate_learners_csv"),
        expect(404, **_runners(405)),
    ),
    get("applications queue", _cohort_url("facilitate_applications"), expect(404, **RUN)),
    post(
        "decide applications with nothing selected",
        _cohort_url("facilitate_applications"),
        expect(404, **_runners(400)),
    ),
    get("add a live session", _cohort_url("facilitate_session_add"), expect(404, **RUN)),
    post(
        "add a live session with no details",
        _cohort_url("facilitate_session_add"),
        expect(404, **_runners(400)),
    ),
    get(
        "edit a live session", _cohort_url("facilitate_session_edit", "session"), expect(404, **RUN)
    ),
    post(
        "edit a live session with no details",
        _cohort_url("facilitate_session_edit", "session"),
        expect(404, **_runners(400)),
    ),
    get(
        "edit a live session of another cohort",
        lambda w: reverse("facilitate_session_edit", args=[w.other_cohort.pk, w.session.pk]),
        expect(404),
    ),
    post(
        "edit a live session of another cohort (POST)",
        lambda w: reverse("facilitate_session_edit", args=[w.other_cohort.pk, w.session.pk]),
        expect(404),
        form_at=NO_FORM,
    ),
    get(
        "cancel a live session",
        _cohort_url("facilitate_session_cancel", "session"),
        expect(404, **RUN),
    ),
    post(
        "cancel a live session (confirm)",
        _cohort_url("facilitate_session_cancel", "session"),
        expect(404, **_runners(Redirect("/facilitate/cohorts/{w.cohort.pk}/"))),
    ),
    get("post an announcement", _cohort_url("facilitate_announcement_add"), expect(404, **RUN)),
    post(
        "post an empty announcement",
        _cohort_url("facilitate_announcement_add"),
        expect(404, **_runners(400)),
    ),
    get("marking queue", _cohort_url("facilitate_marking"), expect(404, **RUN)),
    get(
        "marking queue, filtered",
        lambda w: (
            reverse("facilitate_marking", args=[w.cohort.pk])
            + f"?assessment={w.assessment.pk}&status=waiting"
        ),
        expect(404, **RUN),
    ),
    post(
        "marking queue (POST)",
        _cohort_url("facilitate_marking"),
        expect(404, **_runners(405)),
        form_at=NO_FORM,
    ),
    get("mark a piece of work", _cohort_url("facilitate_mark", "submission"), expect(404, **RUN)),
    post(
        "mark a piece of work with nothing chosen",
        _cohort_url("facilitate_mark", "submission"),
        expect(404, **_runners(400)),
    ),
    get(
        "mark a piece of work of another cohort",
        lambda w: reverse("facilitate_mark", args=[w.other_cohort.pk, w.submission.pk]),
        expect(404),
    ),
    post(
        "mark a piece of work of another cohort (POST)",
        lambda w: reverse("facilitate_mark", args=[w.other_cohort.pk, w.submission.pk]),
        expect(404),
        form_at=NO_FORM,
    ),
    post(
        "release held marks",
        _cohort_url("facilitate_marks_release"),
        expect(404, **_runners(Redirect("/facilitate/cohorts/{w.cohort.pk}/marking/"))),
        form_at=_cohort_url("facilitate_marking"),
    ),
    get(
        "release held marks by GET",
        _cohort_url("facilitate_marks_release"),
        expect(404, **_runners(405)),
    ),
    get("due dates", _cohort_url("facilitate_due_dates"), expect(404, **RUN)),
    post(
        "due dates (POST)",
        _cohort_url("facilitate_due_dates"),
        expect(404, **_runners(405)),
        form_at=NO_FORM,
    ),
    get(
        "a cohort's own due date",
        _cohort_url("facilitate_due_date", "assessment"),
        expect(404, **RUN),
    ),
    post(
        "a cohort's own due date, not a date",
        _cohort_url("facilitate_due_date", "assessment"),
        expect(404, **_runners(400)),
        data={"action": "save", "due_on_day": "31", "due_on_month": "2", "due_on_year": "2027"},
    ),
    get(
        "a cohort that does not exist, to facilitate",
        lambda w: reverse("facilitate_cohort", args=[999999]),
        expect(404),
    ),
]

# --- Peer groups: composing a cohort's sets, and whom learners work with -------------------------

PEER_GROUPS_PAGE = "/facilitate/cohorts/{w.cohort.pk}/peer-groups/"


def _member_url(name, enrolment=lambda w: w.learner_enrolment):
    return lambda w: reverse(name, args=[w.cohort.pk, enrolment(w).pk])


def _place_elsewhere(w):
    """The place of the learner of another cohort's course: not a member of this cohort."""
    return Enrolment.objects.get(user=w.users["learner_in_other_cohort"])


PEER_GROUPS = [
    get("peer groups", _cohort_url("facilitate_peer_groups"), expect(404, **RUN)),
    post(
        "peer groups (POST)",
        _cohort_url("facilitate_peer_groups"),
        expect(404, **_runners(405)),
        form_at=NO_FORM,
    ),
    post(
        "compose peer groups (as the form stands)",
        _cohort_url("facilitate_peer_groups_compose"),
        expect(404, **_runners(Redirect(PEER_GROUPS_PAGE))),
        data=AsShown(),
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "compose peer groups with nothing",
        _cohort_url("facilitate_peer_groups_compose"),
        expect(404, **_runners(400)),
        form_at=NO_FORM,
    ),
    get(
        "compose peer groups by GET",
        _cohort_url("facilitate_peer_groups_compose"),
        expect(404, **_runners(405)),
    ),
    # The world's sets are published already: publishing again is refused with the reason.
    post(
        "publish peer groups again",
        _cohort_url("facilitate_peer_groups_publish"),
        expect(404, **_runners(400)),
        form_at=NO_FORM,
    ),
    post(
        "move a member into a set that cannot take them",
        _member_url("facilitate_peer_member_move"),
        expect(404, **_runners(400)),
        data={"to_number": "2"},
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "move a member with nothing",
        _member_url("facilitate_peer_member_move"),
        expect(404, **_runners(400)),
        form_at=NO_FORM,
    ),
    post(
        "move a member of another cohort",
        _member_url("facilitate_peer_member_move", _place_elsewhere),
        expect(404),
        data={"to_number": "1"},
        form_at=NO_FORM,
    ),
    post(
        "pin a member",
        _member_url("facilitate_peer_member_pin"),
        expect(404, **_runners(Redirect(PEER_GROUPS_PAGE))),
        data={"action": "pin"},
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "name a set's adviser",
        lambda w: reverse("facilitate_peer_set_adviser", args=[w.cohort.pk, w.peer_set.number]),
        expect(404, **_runners(Redirect(PEER_GROUPS_PAGE))),
        data={"adviser": ""},  # the set is left without its adviser
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "name an adviser of a set that does not exist",
        lambda w: reverse("facilitate_peer_set_adviser", args=[w.cohort.pk, 99]),
        expect(404),
        form_at=NO_FORM,
    ),
    post(
        "keep two members apart with nothing chosen",
        _cohort_url("facilitate_keep_apart_add"),
        expect(404, **_runners(400)),
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "stop keeping two members apart",
        _cohort_url("facilitate_keep_apart_delete", "keep_apart"),
        expect(404, **_runners(Redirect(PEER_GROUPS_PAGE))),
        form_at=_cohort_url("facilitate_peer_groups"),
    ),
    post(
        "stop keeping apart a pair of another cohort",
        lambda w: reverse(
            "facilitate_keep_apart_delete", args=[w.other_cohort.pk, w.keep_apart.pk]
        ),
        expect(404),
        form_at=NO_FORM,
    ),
]

PEER_GROUPS += [
    get(f"{name} by GET", url, expect(404, **_runners(405)))
    for name, url in (
        ("publish peer groups", _cohort_url("facilitate_peer_groups_publish")),
        ("move a member", _member_url("facilitate_peer_member_move")),
        ("pin a member", _member_url("facilitate_peer_member_pin")),
        (
            "name a set's adviser",
            lambda w: reverse("facilitate_peer_set_adviser", args=[w.cohort.pk, 1]),
        ),
        ("keep two members apart", _cohort_url("facilitate_keep_apart_add")),
        (
            "stop keeping two members apart",
            _cohort_url("facilitate_keep_apart_delete", "keep_apart"),
        ),
    )
]

WORKING_RELATIONSHIPS = [
    get("people you work with", lambda w: reverse("working_relationships"), expect(200)),
    post(
        "name someone you work with",
        lambda w: reverse("working_relationships"),
        expect(Redirect("/profile/peer-groups/")),
        data={"email": "their.manager@example.org"},
    ),
    post(
        "name someone you work with, without an address",
        lambda w: reverse("working_relationships"),
        expect(400),
        form_at=NO_FORM,
    ),
    post(
        "forget someone you work with",
        lambda w: reverse("working_relationship_delete", args=[w.working_relationship.pk]),
        expect(404, learner_in_cohort=Redirect("/profile/peer-groups/")),
        form_at=lambda w: reverse("working_relationships"),
    ),
    get(
        "forget someone you work with by GET",
        lambda w: reverse("working_relationship_delete", args=[w.working_relationship.pk]),
        expect(405),
    ),
]


# --- The Wagtail admin ------------------------------------------------------------------------

# Signed-in people without Wagtail's admin access are sent to sign in as someone who has it.
ADMIN = expect(SIGN_IN, **each(ADMIN_STAFF, 200), superuser=200)
# Only superusers manage people and groups; other admin users are turned away.
SUPERUSERS_ONLY = expect(SIGN_IN, **each(ADMIN_STAFF, TURNED_AWAY), superuser=200)
# The cohort editor: programme managers and superusers.
COHORT_EDITORS = expect(
    SIGN_IN, **each(CONTENT_STAFF, TURNED_AWAY), programme_manager=200, superuser=200
)


def _admin(path):
    return lambda w: path.format(w=w)


def _admin_rows(label, path, codes, *, post_codes=None, **options):
    return [
        get(label, _admin(path), codes),
        post(f"{label} (POST)", _admin(path), post_codes or codes, **options),
    ]


def _swap(codes, old, new):
    return {role: (new if code == old else code) for role, code in codes.items()}


WAGTAIL_ADMIN = [
    get("admin dashboard", _admin("/admin/"), ADMIN),
    post("admin dashboard (POST)", _admin("/admin/"), _swap(ADMIN, 200, 405)),
    # Both admin sign-ins hand over to the academy's, keeping where the person was going.
    get(
        "admin sign-in",
        _admin("/admin/login/?next=/admin/users/"),
        everyone(Redirect("/accounts/login/?next=/admin/users/")),
    ),
    post(
        "admin sign-in (POST)",
        _admin("/admin/login/"),
        everyone(SIGN_IN_TO_THE_ADMIN),
        form_at=NO_FORM,
    ),
    get("Wagtail account settings", _admin("/admin/account/"), ADMIN),
    # Wagtail shows its account form again (200) when the post is not valid.
    post("Wagtail account settings (POST)", _admin("/admin/account/"), ADMIN),
    # People
    *_admin_rows(
        "people in the admin",
        "/admin/users/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "people in the admin (results)",
        "/admin/users/results/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows("add a person in the admin", "/admin/users/new/", SUPERUSERS_ONLY),
    *_admin_rows(
        "edit a person in the admin",
        "/admin/users/edit/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
    ),
    *_admin_rows(
        "delete a person in the admin",
        "/admin/users/delete/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, Redirect("/admin/users/")),
    ),
    *_admin_rows(
        "a person's history in the admin",
        "/admin/users/history/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "a person's history in the admin (results)",
        "/admin/users/history-results/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "where a person is used, in the admin",
        "/admin/users/usage/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    # The copy page's form posts to the add page; a post to the copy URL adds a person too.
    *_admin_rows(
        "copy a person in the admin",
        "/admin/users/copy/{w.users[learner_in_cohort].pk}/",
        SUPERUSERS_ONLY,
        form_posts_to=_admin("/admin/users/new/"),
    ),
    *_admin_rows(
        "give people a role in bulk",
        "/admin/bulk/academy/user/assign_role/?id={w.users[learner_in_cohort].pk}",
        SUPERUSERS_ONLY,
    ),
    # Groups
    *_admin_rows(
        "groups in the admin",
        "/admin/groups/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "groups in the admin (results)",
        "/admin/groups/results/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows("add a group in the admin", "/admin/groups/new/", SUPERUSERS_ONLY),
    *_admin_rows(
        "edit a group in the admin", "/admin/groups/edit/{w.editors.pk}/", SUPERUSERS_ONLY
    ),
    *_admin_rows(
        "delete a group in the admin",
        "/admin/groups/delete/{w.editors.pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, Redirect("/admin/groups/")),
    ),
    *_admin_rows(
        "a group's history in the admin",
        "/admin/groups/history/{w.editors.pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "a group's history in the admin (results)",
        "/admin/groups/history-results/{w.editors.pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    *_admin_rows(
        "where a group is used, in the admin",
        "/admin/groups/usage/{w.editors.pk}/",
        SUPERUSERS_ONLY,
        post_codes=_swap(SUPERUSERS_ONLY, 200, 405),
    ),
    # Cohorts
    *_admin_rows(
        "cohorts in the admin",
        "/admin/cohorts/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows(
        "cohorts in the admin (results)",
        "/admin/cohorts/results/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows("add a cohort in the admin", "/admin/cohorts/new/", COHORT_EDITORS),
    *_admin_rows(
        "edit a cohort in the admin", "/admin/cohorts/edit/{w.cohort.pk}/", COHORT_EDITORS
    ),
    # Refused with a message (sent back to the cohort): its enrolments are learners' records.
    *_admin_rows(
        "delete a cohort people are on, in the admin",
        "/admin/cohorts/delete/{w.cohort.pk}/",
        _swap(COHORT_EDITORS, 200, Redirect("/admin/cohorts/edit/{w.cohort.pk}/")),
        form_at=NO_FORM,
    ),
    *_admin_rows(
        "a cohort's history in the admin",
        "/admin/cohorts/history/{w.cohort.pk}/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows(
        "a cohort's history in the admin (results)",
        "/admin/cohorts/history-results/{w.cohort.pk}/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows(
        "where a cohort is used, in the admin",
        "/admin/cohorts/usage/{w.cohort.pk}/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    # The outbox: read only, for programme managers and superusers.
    *_admin_rows(
        "the outbox in the admin",
        "/admin/outbox/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows(
        "the outbox in the admin (results)",
        "/admin/outbox/results/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
    *_admin_rows(
        "an email in the outbox, in the admin",
        "/admin/outbox/inspect/{w.outbox_email.pk}/",
        COHORT_EDITORS,
        post_codes=_swap(COHORT_EDITORS, 200, 405),
    ),
]

# --- Each page type in Wagtail's page editor ----------------------------------------------------

# Editors and moderators edit every page; other admin users are turned away.
PAGE_EDITORS = expect(
    SIGN_IN, **each(CONTENT_STAFF, 200), programme_manager=TURNED_AWAY, superuser=200
)
PAGE_TYPES = {**PUBLIC_PAGE_TYPES, "lesson": "lesson", "assessment": "assessment"}


def _no_blocks(attribute):
    """What the editor's scripts send for each StreamField of the page, when it has no blocks:
    Wagtail answers a 500 to a page form without them, and no browser sends one."""

    def scripted(world):
        page = getattr(world, attribute).specific
        return {
            f"{field.name}-count": "0"
            for field in page._meta.get_fields()
            if isinstance(field, StreamField)
        }

    return scripted


def _page_editor_rows(label, attribute):
    """The page's editor and its preview. A POST sends the editor's form as it is shown, its
    StreamFields emptied (``_no_blocks``)."""
    edit = f"/admin/pages/{{w.{attribute}.pk}}/edit/"
    as_shown = AsShown(_no_blocks(attribute))
    return [
        get(f"edit the {label} page", _admin(edit), PAGE_EDITORS),
        # Saved as a draft (rolled back) and back to the editor; or, where a StreamField may not
        # be empty, shown again with the error.
        post(
            f"save the {label} page as it is",
            _admin(edit),
            _swap(PAGE_EDITORS, 200, Either((Redirect(edit), 200))),
            data=as_shown,
        ),
        # The editor's scripts post its form to the preview, then show what it returns.
        get(f"preview the {label} page", _admin(edit + "preview/"), PAGE_EDITORS),
        post(
            f"preview the {label} page (POST)",
            _admin(edit + "preview/"),
            PAGE_EDITORS,
            data=as_shown,
            form_at=_admin(edit),
            form_posts_to=_admin(edit),
        ),
    ]


# Wagtail's page editor, one set of rows per page type. The fuzz test leaves them out: the
# editor is Wagtail's, and its StreamFields answer 500 to bodies no browser sends.
PAGE_EDITOR = [
    row for label, attribute in PAGE_TYPES.items() for row in _page_editor_rows(label, attribute)
]

# --- The Django admin: superusers only --------------------------------------------------------

DJANGO_ADMIN = [
    get("Django admin", _admin("/django-admin/"), expect(SIGN_IN, superuser=200)),
    post(
        "Django admin (POST)",
        _admin("/django-admin/"),
        expect(SIGN_IN, superuser=200),
        form_at=NO_FORM,
    ),
    get(
        "Django admin sign-in",
        _admin("/django-admin/login/?next=/django-admin/academy/sector/"),
        everyone(Redirect("/accounts/login/?next=/django-admin/academy/sector/")),
    ),
    post(
        "Django admin sign-in (POST)",
        _admin("/django-admin/login/"),
        everyone(SIGN_IN_TO_THE_ADMIN),
        form_at=NO_FORM,
    ),
]

# The academy's own models in the Django admin (academy/admin.py): people, organisations,
# places and sectors. Only active staff get in, and only superusers are staff here; like
# Wagtail's, the Django admin shows a form again with its errors with a 200.
SUPERUSER_ONLY = expect(SIGN_IN, superuser=200)


def _django_admin_rows(label, model, pk, *, deleted=None):
    """The six routes of a ``ModelAdmin``, GET and POST. ``deleted``: what a superuser's
    confirmed deletion answers (back to the list, unless something refuses it, and then the
    page shows no form)."""
    base = f"/django-admin/academy/{model}/"
    one = f"{base}{{w.{pk}.pk}}/"
    return [
        *_admin_rows(f"{label} in the Django admin", base, SUPERUSER_ONLY),
        *_admin_rows(f"add {label} in the Django admin", f"{base}add/", SUPERUSER_ONLY),
        *_admin_rows(f"change {label} in the Django admin", f"{one}change/", SUPERUSER_ONLY),
        *_admin_rows(
            f"the history of {label} in the Django admin",
            f"{one}history/",
            SUPERUSER_ONLY,
            form_at=NO_FORM,
        ),
        *_admin_rows(
            f"delete {label} in the Django admin",
            f"{one}delete/",
            SUPERUSER_ONLY,
            post_codes=expect(SIGN_IN, superuser=deleted or Redirect(base)),
            data={"post": "yes"},
            form_at=NO_FORM if deleted else SAME_URL,
        ),
        # An object's bare address sends superusers to its change form.
        *_admin_rows(
            f"{label}'s address in the Django admin",
            one,
            expect(SIGN_IN, superuser=Redirect(f"{one}change/")),
            form_at=NO_FORM,
        ),
    ]


DJANGO_ADMIN_MODELS = [
    *_django_admin_rows("a person", "user", "users[learner_in_cohort]"),
    *_admin_rows(
        "a person's password in the Django admin",
        "/django-admin/academy/user/{w.users[learner_in_cohort].pk}/password/",
        SUPERUSER_ONLY,
    ),
    *_django_admin_rows("an organisation", "organisation", "organisation"),
    *_django_admin_rows("a place", "place", "place"),
    # Organisations are in the sector: the deletion is refused, the page shown again.
    *_django_admin_rows("a sector", "sector", "sector", deleted=200),
]

# --- The themes snippet: editors and moderators keep the list of themes -------------------------

THEME_EDITORS = expect(
    SIGN_IN, **each(CONTENT_STAFF, 200), programme_manager=TURNED_AWAY, superuser=200
)
THEME_DELETERS = _swap(THEME_EDITORS, 200, TURNED_AWAY) | {"moderator": 200, "superuser": 200}
# Wagtail's chooser lists themes to anyone in the admin (they are on the public course pages).
THEME_CHOOSERS = _swap(THEME_EDITORS, TURNED_AWAY, 200)


def _snippet_rows(
    one: str, many: str, model: str, attribute: str, *, in_use: bool = False, as_shown=None
):
    """The rows of a snippet's admin pages in Wagtail, named for it (``one``: "a theme",
    ``many``: "themes"); ``attribute`` is the world's instance. Deleting an instance in use
    (``in_use``) is refused: the delete page says where it is used and offers no form. A
    snippet with StreamFields posts its form ``as_shown`` (``AsShown``)."""
    form = {"data": as_shown} if as_shown else {}
    noun = one.split(" ", 1)[1]
    listing = f"/admin/snippets/courses/{model}/"
    chooser = f"/admin/snippets/choose/courses/{model}/"
    pk = "{w." + attribute + ".pk}"
    deleted = Redirect(f"{listing}delete/{pk}/") if in_use else Redirect(listing)
    return [
        *_admin_rows(many, listing, THEME_EDITORS, post_codes=_swap(THEME_EDITORS, 200, 405)),
        *_admin_rows(
            f"{many} (results)",
            listing + "results/",
            THEME_EDITORS,
            post_codes=_swap(THEME_EDITORS, 200, 405),
        ),
        *_admin_rows(f"add {one}", listing + "add/", THEME_EDITORS, **form),
        *_admin_rows(f"edit {one}", listing + f"edit/{pk}/", THEME_EDITORS, **form),
        *_admin_rows(
            f"delete {one}",
            listing + f"delete/{pk}/",
            THEME_DELETERS,
            post_codes=_swap(THEME_DELETERS, 200, deleted),
            **({"form_at": NO_FORM} if in_use else {}),
        ),
        *_admin_rows(
            f"where {one} is used",
            listing + f"usage/{pk}/",
            THEME_EDITORS,
            post_codes=_swap(THEME_EDITORS, 200, 405),
        ),
        *_admin_rows(
            f"{one}'s history",
            listing + f"history/{pk}/",
            THEME_EDITORS,
            post_codes=_swap(THEME_EDITORS, 200, 405),
        ),
        *_admin_rows(
            f"{one}'s history (results)",
            listing + f"history-results/{pk}/",
            THEME_EDITORS,
            post_codes=_swap(THEME_EDITORS, 200, 405),
        ),
        *_admin_rows(
            f"copy {one}",
            listing + f"copy/{pk}/",
            THEME_EDITORS,
            form_posts_to=_admin(listing + "add/"),
            **form,
        ),
        *_admin_rows(
            f"the {noun} chooser",
            chooser,
            THEME_CHOOSERS,
            post_codes=_swap(THEME_CHOOSERS, 200, 405),
        ),
        *_admin_rows(
            f"the {noun} chooser (results)",
            chooser + "results/",
            THEME_CHOOSERS,
            post_codes=_swap(THEME_CHOOSERS, 200, 405),
        ),
        *_admin_rows(
            f"{one} chosen",
            chooser + f"chosen/{pk}/",
            THEME_CHOOSERS,
            post_codes=_swap(THEME_CHOOSERS, 200, 405),
        ),
        *_admin_rows(
            f"{many} chosen",
            chooser + f"chosen-multiple/?id={pk}",
            THEME_CHOOSERS,
            post_codes=_swap(THEME_CHOOSERS, 200, 405),
        ),
        # Wagtail mounts one under every chooser; these have none (courses/viewsets.py).
        *_admin_rows(
            f"add {one} in the chooser",
            chooser + "create/",
            expect(SIGN_IN, **each(ADMIN_STAFF, 404), superuser=404),
            form_at=NO_FORM,
        ),
    ]


THEME_SNIPPET = _snippet_rows("a theme", "themes", "theme", "theme")
# Rubrics, like themes, are kept by editors and moderators; the world's rubric is in use. Its
# form has a StreamField: sent as shown, with no criteria (refused: a rubric needs one).
RUBRIC_SNIPPET = _snippet_rows(
    "a rubric",
    "rubrics",
    "rubric",
    "rubric",
    in_use=True,
    as_shown=AsShown(lambda w: {"criteria-count": "0"}),
)
# Its editor's POSTs are Wagtail's StreamField form, which answers 500 to bodies no browser
# sends: the fuzz test leaves them out, as it leaves out the page editor.
RUBRIC_EDITOR = [
    row for row in RUBRIC_SNIPPET if row.method == "post" and isinstance(row.data, AsShown)
]

ROWS: list[Row] = [
    *PAGES,
    *PUBLIC,
    *ACCOUNT,
    *EMAILS,
    *LEARNING,
    *CERTIFICATES,
    *ASSESSING,
    *PEER_SPACE,
    *FACILITATING,
    *PEER_GROUPS,
    *WORKING_RELATIONSHIPS,
    *WAGTAIL_ADMIN,
    *THEME_SNIPPET,
    *[row for row in RUBRIC_SNIPPET if row not in RUBRIC_EDITOR],
    *DJANGO_ADMIN,
    *DJANGO_ADMIN_MODELS,
]

# Every row of the access matrix: ``ROWS`` (each POST row of which the fuzz test takes too) and
# the page editor's.
MATRIX: list[Row] = [*ROWS, *PAGE_EDITOR, *RUBRIC_EDITOR]
