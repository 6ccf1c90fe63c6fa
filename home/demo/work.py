"""The work learners have handed in on the demo cohorts: quiz attempts, written work in
versions with their facilitator's marks, and peer reviews, as each cohort's file in
``data/cohorts/`` describes them (``CohortData.quiz_attempts``, ``submissions``,
``peer_reviews`` and, for a finished cohort, ``everyone_passed``).

Rows are written directly, as the enrolments are, so nothing is emailed; they keep the rules
the assessment services keep: versions numbered from 1, every version but the latest sent
back for resubmission, a held mark (not released) only on the latest, the submission's status
following its mark, lateness from the cohort's due date, marks made of real rubric levels
(``cohorts.rubrics.score``). Then ``result_refresh`` works out each touched learner's result,
holding the enrolment's row lock as the services do, so results and completion are the
progress engine's own.

Safe to run again: submissions are found by enrolment, assessment and version, attempts by
number, reviews by submission and reviewer; what differs is put back, and work on the demo
cohorts that is not in the data (handed in during a demo) is removed."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.models import (
    AssessmentDueDate,
    AssessmentResult,
    Cohort,
    Enrolment,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
)
from cohorts.rubrics import criteria_of, score
from cohorts.selectors.assessments import due_dates
from cohorts.services.assessment_results import lock_enrolment, result_refresh
from courses.models import AssessmentPage, CoursePage

from . import CREATED, UNCHANGED, UPDATED, Summary
from .loader import DemoDataError, Paragraphs
from .times import moment

# --- What the files hold -----------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptData:
    email: str
    submitted_days_ago: int
    wrong: list[int] = field(default_factory=list)  # questions answered wrong, 1 the first


@dataclass(frozen=True)
class QuizWork:
    """``[[quiz_attempts]]``: the attempts at one quiz, numbered in order for each learner. A
    question answered wrong gets its first wrong option (and, where several are right, the
    first right one too); every other question gets exactly its right options."""

    quiz: str  # the quiz's slug
    attempts: list[AttemptData]


@dataclass(frozen=True)
class MarkData:
    outcome: Annotated[str, Mark.Outcome]
    points: list[int]  # the points of the level chosen for each criterion, in the rubric's order
    marked_days_ago: int
    comments: Paragraphs
    released_days_ago: int | None = None  # left out: held, not released to the learner


@dataclass(frozen=True)
class SubmissionData:
    """``[[submissions]]``: one version of a learner's written work, and its mark if marked."""

    assessment: str  # the assessment's slug
    email: str
    version: int
    submitted_days_ago: int
    text: Paragraphs
    mark: MarkData | None = None


@dataclass(frozen=True)
class ReviewData:
    """``[[peer_reviews]]``: a learner's review of another's latest version."""

    assessment: str
    reviewer: str
    author: str
    assigned_days_ago: int
    done_days_ago: int | None = None  # left out: still to do
    points: list[int] = field(default_factory=list)
    comments: Paragraphs = ""


@dataclass(frozen=True)
class EveryonePassed:
    """``[[everyone_passed]]``, for a finished cohort: every learner still on it at the end
    passed ``assessment`` at the first try. The demo tells no story for each; their work is
    taken in turn from the lists (``points`` for marks and reviews, ``texts``, ``comments``,
    ``wrong`` for quiz answers). On a peer review each learner reviews the next ones on the
    cohort's list. Days count from the cohort's start; each learner hands in ``n % 3`` days
    before the day given, the ``n``th on the list."""

    assessment: str
    submitted_days_after_start: int
    marked_days_after_start: int = 0  # written work: marked and released
    reviewed_days_after_start: int = 0  # peer review
    points: list[list[int]] = field(default_factory=list)
    texts: list[Paragraphs] = field(default_factory=list)
    comments: list[Paragraphs] = field(default_factory=list)
    review_comments: list[Paragraphs] = field(default_factory=list)
    wrong: list[list[int]] = field(default_factory=list)


# --- Planning ------------------------------------------------------------------------------------


@dataclass
class _Work:
    """What the demo wants on one cohort, as rows keyed the way they are found again."""

    submissions: dict = field(default_factory=dict)  # (enrolment, assessment, version): fields
    marks: dict = field(default_factory=dict)  # same key: mark fields, or None
    attempts: dict = field(default_factory=dict)  # (enrolment, assessment, number): fields
    reviews: dict = field(default_factory=dict)  # (author key, reviewer enrolment): fields


class _Planner:
    """Turns one cohort file's work into rows, checking each entry against the course's
    assessments and the cohort's learners; an entry that breaks a rule is refused, naming the
    file and the entry."""

    def __init__(self, where: str, cohort: Cohort, spec, enrolments: dict, today: date, marker):
        self.where, self.cohort, self.spec, self.today = where, cohort, spec, today
        self.enrolments = enrolments  # email: Enrolment, for the cohort's members
        self.marker = marker
        self.assessments = _assessments(cohort.course, where)
        self.due = due_dates(cohort, list(self.assessments.values()))
        self.last_active = {
            learner.email: learner.last_active_days_ago
            for learner in spec.learners
            if learner.last_active_days_ago is not None
        }
        self.work = _Work()

    def error(self, entry: str, message: str) -> DemoDataError:
        return DemoDataError(f"{self.where}: {entry}: {message}")

    def assessment(self, slug: str, entry: str, *, quiz: bool) -> AssessmentPage:
        page = self.assessments.get(slug)
        if page is None or page.is_quiz != quiz:
            kinds = [s for s, p in self.assessments.items() if p.is_quiz == quiz]
            raise self.error(entry, f"{slug!r} should be one of {kinds}")
        return page

    def enrolment(self, email: str, entry: str, days_ago: int | None) -> Enrolment:
        """The learner's enrolment; ``days_ago``, when they acted, may not be after they were
        last active."""
        enrolment = self.enrolments.get(email)
        if enrolment is None:
            raise self.error(entry, f"{email} is not a learner on {self.cohort.name}")
        if days_ago is not None and days_ago < self.last_active.get(email, 0):
            raise self.error(
                entry, f"{email} was last active {self.last_active[email]} days ago, before it"
            )
        return enrolment

    def late(self, page: AssessmentPage, when: datetime) -> bool:
        return AssessmentDueDate.is_late(when, self.due[page.pk])

    def plan(self) -> _Work:
        for work in self.spec.everyone_passed:
            self._everyone_passed(work)
        for n, quiz in enumerate(self.spec.quiz_attempts):
            self._attempts(quiz, f"quiz_attempts[{n}]")
        for n, submission in enumerate(self.spec.submissions):
            self._submission(submission, f"submissions[{n}]")
        self._check_versions()
        for n, review in enumerate(self.spec.peer_reviews):
            self._review(review, f"peer_reviews[{n}]")
        return self.work

    def _attempts(self, quiz: QuizWork, entry: str) -> None:
        page = self.assessment(quiz.quiz, entry, quiz=True)
        questions = list(page.questions)
        for n, attempt in enumerate(quiz.attempts):
            where = f"{entry}: attempts[{n}]"
            enrolment = self.enrolment(attempt.email, where, attempt.submitted_days_ago)
            number = 1 + sum(key[:2] == (enrolment.pk, page.pk) for key in self.work.attempts)
            if number > page.max_attempts:
                raise self.error(where, f"{page.title} allows {page.max_attempts} attempts")
            if not set(attempt.wrong) <= set(range(1, len(questions) + 1)):
                raise self.error(where, f"wrong should name questions 1 to {len(questions)}")
            seed = f"{attempt.email}/{page.slug}/{number}"
            when = moment(self.today, attempt.submitted_days_ago, seed)
            key = (enrolment.pk, page.pk, number - 1)
            if number > 1 and self.work.attempts[key]["submitted_at"] >= when:
                raise self.error(where, "attempts should come in the order they were made")
            right = len(questions) - len(set(attempt.wrong))
            percent = 100 * right // len(questions)
            self.work.attempts[(enrolment.pk, page.pk, number)] = {
                "answers": _answers(questions, set(attempt.wrong)),
                "score": right,
                "max_score": len(questions),
                "percent": percent,
                "passed": percent >= page.pass_mark,
                "submitted_at": when,
                "late": self.late(page, when),
            }

    def _submission(self, data: SubmissionData, entry: str) -> None:
        page = self.assessment(data.assessment, entry, quiz=False)
        enrolment = self.enrolment(data.email, entry, data.submitted_days_ago)
        words = len(data.text.split())
        if not page.min_words <= words <= page.max_words:
            raise self.error(
                entry, f"{words} words; {page.title} takes {page.min_words} to {page.max_words}"
            )
        key = (enrolment.pk, page.pk, data.version)
        if key in self.work.submissions:
            raise self.error(entry, f"version {data.version} is given twice")
        seed = f"{data.email}/{page.slug}/{data.version}"
        when = moment(self.today, data.submitted_days_ago, seed)
        mark = None
        if data.mark:
            mark = self._mark(data.mark, page, when, f"{entry}: mark", data.email)
        if mark is None:
            status = Submission.Status.WAITING
        elif mark["released_at"] is None:
            status = Submission.Status.HELD
        elif mark["outcome"] == Mark.Outcome.PASS:
            status = Submission.Status.PASSED
        else:
            status = Submission.Status.RESUBMIT
        self.work.submissions[key] = {
            "text": data.text,
            "word_count": words,
            "submitted_at": when,
            "late": self.late(page, when),
            "status": status,
            "_entry": entry,
        }
        self.work.marks[key] = mark

    def _mark(self, data: MarkData, page, submitted_at, entry: str, email: str) -> dict:
        scored = self._scored(page, data.points, entry)
        if data.outcome == Mark.Outcome.PASS and not scored.suggests_pass:
            raise self.error(
                entry, f"{scored.total} points cannot pass (the rubric needs {scored.pass_points})"
            )
        marked = moment(self.today, data.marked_days_ago, f"mark/{email}/{submitted_at}")
        released = None
        if data.released_days_ago is not None:
            released = (
                marked
                if data.released_days_ago == data.marked_days_ago
                else moment(self.today, data.released_days_ago, f"release/{email}/{marked}")
            )
        if marked <= submitted_at or (released is not None and released < marked):
            raise self.error(entry, "marked before it was handed in, or released before marked")
        return {
            "marker_id": self.marker.pk,
            "outcome": data.outcome,
            "criteria": scored.criteria,
            "total": scored.total,
            "max_total": scored.max_total,
            "comments": data.comments,
            "created_at": marked,
            "released_at": released,
        }

    def _scored(self, page: AssessmentPage, points: list[int], entry: str):
        criteria = criteria_of(page.rubric)
        if len(points) != len(criteria):
            raise self.error(entry, f"points should give one level for each of {len(criteria)}")
        chosen = {}
        for criterion, wanted in zip(criteria, points, strict=True):
            level = next((lv for lv in criterion["levels"] if lv["points"] == wanted), None)
            if level is None:
                raise self.error(entry, f"“{criterion['name']}” has no level worth {wanted}")
            chosen[criterion["id"]] = level["id"]
        try:
            return score(page.rubric, chosen)
        except ValidationError as error:  # pragma: no cover - the levels were just looked up
            raise self.error(entry, "; ".join(error.messages)) from None

    def _check_versions(self) -> None:
        """Versions 1 to n, in order; each before the latest sent back to be resubmitted."""
        latest: dict = {}
        for enrolment_id, page_id, version in self.work.submissions:
            key = (enrolment_id, page_id)
            latest[key] = max(latest.get(key, 0), version)
        for (enrolment_id, page_id), n in latest.items():
            rows = [self.work.submissions.get((enrolment_id, page_id, v)) for v in range(1, n + 1)]
            entry = next(row for row in rows if row)["_entry"]
            if None in rows:
                raise self.error(entry, f"versions should run from 1 to {n} with none missing")
            for version, row in enumerate(rows[:-1], start=1):
                if row["status"] != Submission.Status.RESUBMIT:
                    raise self.error(
                        row["_entry"],
                        f"version {version} is followed by another, so it needs a released "
                        "mark asking to resubmit",
                    )
                if row["submitted_at"] >= rows[version]["submitted_at"]:
                    raise self.error(rows[version]["_entry"], "handed in before the version before")

    def _review(self, data: ReviewData, entry: str) -> None:
        page = self.assessment(data.assessment, entry, quiz=False)
        if not page.is_peer_review:
            raise self.error(entry, f"{page.title} is not a peer review")
        reviewer = self.enrolment(data.reviewer, entry, data.done_days_ago)
        author = self.enrolments.get(data.author)
        versions = [
            key for key in self.work.submissions if author and key[:2] == (author.pk, page.pk)
        ]
        if not versions or data.author == data.reviewer:
            raise self.error(entry, f"{data.author} has no work on {page.title} to review")
        latest = max(versions, key=lambda key: key[2])
        seed = f"{data.reviewer}/{data.author}/{page.slug}"
        assigned = moment(self.today, data.assigned_days_ago, f"assigned/{seed}")
        if assigned <= self.work.submissions[latest]["submitted_at"]:
            raise self.error(entry, "assigned before the work was handed in")
        fields = {"assigned_at": assigned, "submitted_at": None, "criteria": [], "total": None}
        fields["comments"] = data.comments
        if data.done_days_ago is not None:
            scored = self._scored(page, data.points, entry)
            done = moment(self.today, data.done_days_ago, f"reviewed/{seed}")
            if done <= assigned:
                raise self.error(entry, "done before it was assigned")
            fields |= {"submitted_at": done, "criteria": scored.criteria, "total": scored.total}
        elif data.points or data.comments:
            raise self.error(entry, "a review still to do has no points or comments")
        key = (latest, reviewer.pk)
        if key in self.work.reviews:
            raise self.error(entry, f"{data.reviewer} reviews {data.author} twice")
        self.work.reviews[key] = fields

    def _everyone_passed(self, work: EveryonePassed) -> None:
        """``work`` as the entries it stands for, planned like any others."""
        entry = "everyone_passed"
        page = self.assessments.get(work.assessment)
        if page is None:
            slugs = list(self.assessments)
            raise self.error(entry, f"{work.assessment!r} should be one of {slugs}")
        start = (self.today - self.cohort.start_date).days  # days ago the cohort started
        learners = [
            learner.email
            for learner in self.spec.learners
            if learner.email in self.enrolments and learner.withdrew_days_ago is None
        ]

        def turn(items: list, n: int, name: str):
            if not items:
                raise self.error(entry, f"{work.assessment}: {name} should not be empty")
            return items[n % len(items)]

        submitted = {
            email: start - work.submitted_days_after_start + n % 3
            for n, email in enumerate(learners)
        }
        if page.is_quiz:
            attempts = [
                AttemptData(email, submitted[email], turn(work.wrong, n, "wrong"))
                for n, email in enumerate(learners)
            ]
            self._attempts(QuizWork(work.assessment, attempts), entry)
            return
        for n, email in enumerate(learners):
            mark = MarkData(
                outcome=Mark.Outcome.PASS,
                points=turn(work.points, n, "points"),
                marked_days_ago=start - work.marked_days_after_start,
                released_days_ago=start - work.marked_days_after_start,
                comments=turn(work.comments, n, "comments"),
            )
            text = turn(work.texts, n, "texts")
            self._submission(
                SubmissionData(work.assessment, email, 1, submitted[email], text, mark), entry
            )
        if page.is_peer_review:
            for n, email in enumerate(learners):
                for k in range(1, page.reviews_required + 1):
                    author = learners[(n + k) % len(learners)]
                    review = ReviewData(
                        assessment=work.assessment,
                        reviewer=email,
                        author=author,
                        assigned_days_ago=min(submitted[email], submitted[author]) - 1,
                        done_days_ago=start - work.reviewed_days_after_start,
                        points=turn(work.points, n + k, "points"),
                        comments=turn(work.review_comments, n + k, "review_comments"),
                    )
                    self._review(review, entry)


def _assessments(course: CoursePage, where: str) -> dict[str, AssessmentPage]:
    """The course's assessments by slug, with their rubrics."""
    pages = AssessmentPage.objects.descendant_of(course).select_related("rubric")
    found: dict[str, AssessmentPage] = {}
    for page in pages:
        if page.slug in found:
            raise DemoDataError(f"{where}: two assessments of {course.title} are {page.slug!r}")
        found[page.slug] = page
    return found


def _answers(questions: list, wrong: set[int]) -> dict[str, list[str]]:
    answers = {}
    for n, question in enumerate(questions, start=1):
        options = question.value["options"].bound_blocks
        right = [option.id for option in options if option.value["correct"]]
        if n not in wrong:
            answers[question.id] = right
            continue
        first_wrong = next(option.id for option in options if not option.value["correct"])
        multiple = question.value["multiple"]
        answers[question.id] = [right[0], first_wrong] if multiple else [first_wrong]
    return answers


# --- Loading -------------------------------------------------------------------------------------


def load_work(
    summary: Summary, cohort: Cohort, spec, where: str, enrolments: dict, today: date, marker
) -> None:
    """The work on ``cohort`` that its file (``spec``, read from ``where``) describes, for its
    members (``enrolments``: email to Enrolment), marked by ``marker``; then each touched
    learner's result worked out again."""
    stray_due = AssessmentDueDate.objects.filter(cohort=cohort)
    if stray_due.exists():
        # The demo's due dates are the course's offsets: put back any a demo changed.
        stray_due.delete()
        summary.record("due dates", UPDATED, f"{cohort}: cohort's own due dates removed")
    work = _Planner(where, cohort, spec, enrolments, today, marker).plan()
    touched: set[tuple[int, int]] = set()
    ids = _sync_submissions(summary, cohort, work, touched)
    _sync_marks(summary, work, ids, touched)
    _sync_attempts(summary, cohort, work, touched)
    _sync_reviews(summary, cohort, work, ids, touched)
    _refresh(cohort, work, touched)


def _put_back(row, wanted: dict) -> bool:
    """Set the fields of ``row`` that differ from ``wanted``; True when any did."""
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _strays(summary: Summary, kind: str, cohort: Cohort, rows: list) -> None:
    if rows:
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).delete()
        summary.record(kind, UPDATED, f"{len(rows)} on {cohort} not in the demo data removed")


def _sync_submissions(summary: Summary, cohort: Cohort, work: _Work, touched: set) -> dict:
    """Submissions as planned; returns their ids by (enrolment, assessment, version)."""
    existing = {
        (s.enrolment_id, s.assessment_id, s.version): s
        for s in Submission.objects.filter(enrolment__cohort=cohort)
    }
    strays = [row for key, row in existing.items() if key not in work.submissions]
    touched.update((row.enrolment_id, row.assessment_id) for row in strays)
    _strays(summary, "submissions", cohort, strays)
    ids = {}
    for key, planned in work.submissions.items():
        wanted = {name: value for name, value in planned.items() if not name.startswith("_")}
        row = existing.get(key)
        if row is None:
            enrolment_id, assessment_id, version = key
            row = Submission.objects.create(
                enrolment_id=enrolment_id, assessment_id=assessment_id, version=version, **wanted
            )
            outcome = CREATED
        elif _put_back(row, wanted):
            row.save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        if outcome != UNCHANGED:
            touched.add(key[:2])
        summary.record("submissions", outcome, f"{planned['_entry']} on {cohort}")
        ids[key] = row.pk
    return ids


def _sync_marks(summary: Summary, work: _Work, ids: dict, touched: set) -> None:
    """One mark on each marked submission, as planned; none on the others."""
    marks: dict[int, list[Mark]] = {}
    for mark in Mark.objects.filter(submission_id__in=ids.values()):
        marks.setdefault(mark.submission_id, []).append(mark)
    for key, wanted in work.marks.items():
        found = marks.get(ids[key], [])
        keep = found[:1] if wanted else []
        if extra := [mark for mark in found if mark not in keep]:
            Mark.objects.filter(pk__in=[mark.pk for mark in extra]).delete()
            touched.add(key[:2])
        if wanted is None:
            continue
        if not keep:
            Mark.objects.create(submission_id=ids[key], **wanted)
            outcome = CREATED
        elif _put_back(keep[0], wanted):
            keep[0].save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED if not extra else UPDATED
        if outcome != UNCHANGED:
            touched.add(key[:2])
        summary.record("marks", outcome, work.submissions[key]["_entry"])


def _sync_attempts(summary: Summary, cohort: Cohort, work: _Work, touched: set) -> None:
    existing = {
        (a.enrolment_id, a.assessment_id, a.number): a
        for a in QuizAttempt.objects.filter(enrolment__cohort=cohort)
    }
    strays = [row for key, row in existing.items() if key not in work.attempts]
    touched.update((row.enrolment_id, row.assessment_id) for row in strays)
    _strays(summary, "quiz attempts", cohort, strays)
    for key, wanted in work.attempts.items():
        row = existing.get(key)
        if row is None:
            enrolment_id, assessment_id, number = key
            QuizAttempt.objects.create(
                enrolment_id=enrolment_id, assessment_id=assessment_id, number=number, **wanted
            )
            outcome = CREATED
        elif _put_back(row, wanted):
            row.save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        if outcome != UNCHANGED:
            touched.add(key[:2])
        summary.record("quiz attempts", outcome, f"attempt {key[2]} by enrolment {key[0]}")


def _sync_reviews(summary: Summary, cohort: Cohort, work: _Work, ids: dict, touched) -> None:
    """Peer reviews as planned; a review counts for its reviewer's result."""
    wanted_rows = {
        (ids[key], reviewer): (key, fields) for (key, reviewer), fields in work.reviews.items()
    }
    existing = {
        (r.submission_id, r.reviewer_id): r
        for r in PeerReview.objects.filter(reviewer__cohort=cohort).select_related("submission")
    }
    strays = [row for key, row in existing.items() if key not in wanted_rows]
    touched.update((row.reviewer_id, row.submission.assessment_id) for row in strays)
    _strays(summary, "peer reviews", cohort, strays)
    for (submission_id, reviewer_id), (key, wanted) in wanted_rows.items():
        row = existing.get((submission_id, reviewer_id))
        if row is None:
            PeerReview.objects.create(
                submission_id=submission_id, reviewer_id=reviewer_id, **wanted
            )
            outcome = CREATED
        elif _put_back(row, wanted):
            row.save()
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        if outcome != UNCHANGED:
            touched.add((reviewer_id, key[1]))
        summary.record("peer reviews", outcome, f"of {work.submissions[key]['_entry']}")


def _refresh(cohort: Cohort, work: _Work, touched: set) -> None:
    """Each touched learner's result on each touched assessment, worked out again under the
    enrolment's row lock, as the assessment services do. A result missing for work in the
    data, or left over without any, counts as touched too."""
    handed_in = {key[:2] for key in work.submissions} | {key[:2] for key in work.attempts}
    have = set(
        AssessmentResult.objects.filter(enrolment__cohort=cohort).values_list(
            "enrolment_id", "assessment_id"
        )
    )
    touched = touched | (handed_in ^ have)
    if not touched:
        return
    pages = AssessmentPage.objects.in_bulk({assessment_id for _, assessment_id in touched})
    for enrolment_id, assessment_id in sorted(touched):
        with transaction.atomic():
            enrolment = lock_enrolment(enrolment_id)
            page = pages[assessment_id]
            result_refresh(enrolment=enrolment, assessment=page, course=cohort.course)
