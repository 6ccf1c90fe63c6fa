"""The peer groups of the demo cohorts: each cohort's action learning sets, as its file in
``data/peer_groups/`` declares them, named after the cohort's own file in ``data/cohorts/``
(``peer_groups/cohort-12.toml`` for ``cohorts/cohort-12.toml``).

A file gives the settings the facilitator composed with (``size``, ``min_size``,
``max_size``, ``mode``, ``seed``), who composed and published the sets (``by``) and when, the
pairs kept apart, and the sets in order (Set 1 first), each with its adviser and members; a
set may have its history too: posts with their replies, and meetings, past (who was
``absent``, everyone else present, and each member's commitment) or to come. The data keeps
the composer's hard rules (``cohorts.composer.assess``), or is refused naming the file, the set
and the breach in the composer's words: every member of the cohort in exactly one set, sizes
within bounds, no two people from one organisation in a set, no pair kept apart together. Each
member's ``reason`` is the composer's explanation of their place (``cohorts.composer.explain``).
Advisers and the person who composed are facilitators of the cohort; a member acts only while on
the cohort (no later than they were last active).

Rows are written directly, as the rest of the demo's are, and nothing is emailed: each member
is marked as told of their set when it was published. A meeting's UID is derived from the file,
the set and the meeting's place in the list, so it is the same on every run and in every
calendar; a change a calendar should notice (a new time, a new place) bumps its sequence.

Safe to run again: the plan is found by cohort, sets by number, members by enrolment, posts by
set, author, text and the post they answer, meetings by UID, attendance and commitments by
meeting and member; what differs is put back, and peer data on a demo cohort that is not in the
files (a set composed, a post written or a member moved during a demo) is removed. A demo cohort
without a file has no sets, so that the demo facilitator can compose and publish them there."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated

from django.utils import timezone

from cohorts import composer
from cohorts.models import (
    Cohort,
    Commitment,
    Enrolment,
    KeepApart,
    MeetingAttendance,
    PeerGroupChange,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerSet,
    PeerSetMember,
)

from . import CREATED, UNCHANGED, UPDATED, Summary
from .loader import DATA, DemoDataError, Paragraphs, read, shown
from .times import at, moment, working_day

PEER_GROUPS = DATA / "peer_groups"
REASON_LENGTH = PeerSetMember._meta.get_field("reason").max_length
# The namespace of the demo meetings' UIDs (uuid5 of "<file>/set-<n>/meeting-<k>").
MEETING_UIDS = uuid.UUID("0c0f6d0e-5b39-4a8e-9d4f-3c2a6f1e7a21")

# --- What the files hold -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyData:
    author: str  # a member of the set
    posted_days_ago: int
    at: time
    body: Paragraphs


@dataclass(frozen=True)
class PostData:
    """``[[sets.posts]]``: a post in the set's space, and ``[[sets.posts.replies]]`` to it."""

    author: str
    posted_days_ago: int
    at: time
    body: Paragraphs
    replies: list[ReplyData] = field(default_factory=list)


@dataclass(frozen=True)
class CommitmentData:
    email: str  # a member present at the meeting
    text: str


@dataclass(frozen=True)
class MeetingData:
    """``[[sets.meetings]]``: a meeting of the set, on a working day (a weekend day moves to
    the Monday after). One that has happened records who was ``absent`` (everyone else was
    there) and the ``[[sets.meetings.commitments]]`` made at it, reviewed at the next; one still
    to come has neither."""

    in_days: int  # from today: below 0 for a meeting that has happened
    starts: time
    ends: time
    problem_holder: str  # the member who brings a problem
    scheduled_by: str  # a member, or the set's adviser
    scheduled_days_ago: int
    location: str = ""
    joining_url: str = ""
    absent: list[str] = field(default_factory=list)
    commitments: list[CommitmentData] = field(default_factory=list)


@dataclass(frozen=True)
class SetData:
    """``[[sets]]``: one set, numbered in the order of the file."""

    members: list[str]
    adviser: str | None = None  # a facilitator of the cohort
    posts: list[PostData] = field(default_factory=list)
    meetings: list[MeetingData] = field(default_factory=list)


@dataclass(frozen=True)
class PeerGroupsData:
    """``data/peer_groups/<cohort file>.toml``: a demo cohort's sets. Dates count from today."""

    by: str  # the facilitator of the cohort who composed and published the sets
    composed_days_ago: int
    sets: list[SetData]
    published_days_ago: int | None = None  # left out: a proposal, not yet published
    size: int = 6
    min_size: int = 5
    max_size: int = 7
    mode: Annotated[str, PeerGroupPlan.Mode] = PeerGroupPlan.Mode.MIX
    seed: int = 0
    keep_apart: list[list[str]] = field(default_factory=list)  # pairs of members' emails


def read_peer_groups(cohort_files) -> dict[str, tuple[PeerGroupsData, str]]:
    """Every file in ``data/peer_groups/``, read, by the name of the cohort file it belongs to
    (one of ``cohort_files``), with its name for messages."""
    found = {}
    for path in sorted(PEER_GROUPS.glob("*.toml")):
        if path.stem not in cohort_files:
            raise DemoDataError(
                f"{shown(path)}: names no demo cohort (expected one of {sorted(cohort_files)})"
            )
        found[path.stem] = (read(path, PeerGroupsData), shown(path))
    return found


# --- Planning ------------------------------------------------------------------------------------


@dataclass
class _Post:
    author: Enrolment
    body: str
    created_at: datetime
    replies: list["_Post"] = field(default_factory=list)


@dataclass
class _Meeting:
    uid: uuid.UUID
    fields: dict
    attendance: dict[int, dict]  # enrolment id: fields
    commitments: dict[int, dict]  # enrolment id: fields


@dataclass
class _Wanted:
    """What the demo wants for one cohort's peer groups, keyed the way rows are found again."""

    plan: dict
    log: dict[str, dict]  # kind: fields
    keep_apart: dict[tuple[int, int], dict]
    sets: dict[int, dict]  # number: fields
    members: dict[int, tuple[int, dict]]  # enrolment id: (set number, fields)
    posts: dict[int, list[_Post]] = field(default_factory=dict)  # set number: posts
    meetings: dict[int, list[_Meeting]] = field(default_factory=dict)


class _Planner:
    """Turns one cohort's file into rows, checking each entry against the cohort's members and
    facilitators; an entry that breaks a rule is refused, naming the file and the entry."""

    def __init__(self, where: str, name: str, cohort: Cohort, spec: PeerGroupsData, today: date):
        self.where, self.name, self.cohort, self.spec, self.today = where, name, cohort, spec, today
        self.now = timezone.now()
        members = Enrolment.objects.members().filter(cohort=cohort).order_by("pk")
        members = members.select_related(
            "user__sector", "user__organisation__sector", "user__place"
        )
        self.members = {e.user.email.lower(): e for e in members}
        self.emails = {e.pk: email for email, e in self.members.items()}
        self.facilitators = {u.email.lower(): u for u in cohort.facilitators.all()}

    def error(self, entry: str, message: str) -> DemoDataError:
        return DemoDataError(f"{self.where}: {entry}: {message}")

    def member(self, email: str, entry: str, when: datetime | None = None) -> Enrolment:
        """The member's enrolment; ``when`` they acted may not be after they were last active."""
        enrolment = self.members.get(email.lower())
        if enrolment is None:
            raise self.error(entry, f"{email} is not a member of {self.cohort.name}")
        last = enrolment.last_activity_at
        if when is not None and last and timezone.localdate(when) > timezone.localdate(last):
            raise self.error(entry, f"{email} was last active on {last:%Y-%m-%d}, before it")
        return enrolment

    def facilitator(self, email: str, entry: str):
        user = self.facilitators.get(email.lower())
        if user is None:
            raise self.error(entry, f"{email} is not a facilitator of {self.cohort.name}")
        return user

    def plan(self) -> _Wanted:
        spec = self.spec
        if not 2 <= spec.min_size <= spec.size <= spec.max_size:
            raise self.error(
                "size", "min_size, size and max_size should rise in that order, from 2 at least"
            )
        by = self.facilitator(spec.by, "by")
        composed = moment(self.today, spec.composed_days_ago, f"peer-groups/{self.name}/composed")
        published = None
        if spec.published_days_ago is not None:
            published = moment(
                self.today, spec.published_days_ago, f"peer-groups/{self.name}/published"
            )
            if published <= composed:
                raise self.error("published_days_ago", "published before the sets were composed")
        wanted = _Wanted(
            plan={
                "size": spec.size,
                "min_size": spec.min_size,
                "max_size": spec.max_size,
                "mode": spec.mode,
                "seed": spec.seed,
                "composed_at": composed,
                "composed_by_id": by.pk,
                "published_at": published,
                "published_by_id": by.pk if published else None,
            },
            log={PeerGroupChange.Kind.COMPOSED: {"actor_id": by.pk, "created_at": composed}},
            keep_apart=self._keep_apart(by, composed),
            sets={},
            members={},
        )
        if published:
            wanted.log[PeerGroupChange.Kind.PUBLISHED] = {
                "actor_id": by.pk,
                "created_at": published,
            }
        self._sets(wanted, composed, published)
        return wanted

    def _keep_apart(self, by, composed: datetime) -> dict:
        pairs = {}
        for n, pair in enumerate(self.spec.keep_apart):
            entry = f"keep_apart[{n}]"
            if len(pair) != 2 or pair[0].lower() == pair[1].lower():
                raise self.error(entry, "should name two different members")
            first, second = sorted(self.member(email, entry).pk for email in pair)
            pairs[(first, second)] = {
                "cohort_id": self.cohort.pk,
                "declared_by_id": by.pk,
                "created_at": composed - timedelta(hours=1),
            }
        return pairs

    def _sets(self, wanted: _Wanted, composed: datetime, published: datetime | None) -> None:
        """The sets in order, their members told of them when they were published. Whether
        they keep the composer's hard rules, and why each member is where they are, is the
        composer's answer (``cohorts.composer.assess`` and ``explain``), as on the facilitator's
        page."""
        sets = []
        for number, data in enumerate(self.spec.sets, start=1):
            entry = f"sets[{number - 1}]"
            adviser = self.facilitator(data.adviser, f"{entry}: adviser") if data.adviser else None
            wanted.sets[number] = {"adviser_id": adviser.pk if adviser else None}
            members = [self.member(email, f"{entry}: members") for email in data.members]
            for enrolment in members:
                if enrolment.pk in wanted.members:
                    raise self.error(entry, f"{enrolment.user.email} is in more than one set")
                wanted.members[enrolment.pk] = (
                    number,
                    {
                        "pinned": False,
                        "joined_at": composed,
                        "notified_at": published,
                        "notified_number": number if published else None,
                    },
                )
            ids = {enrolment.pk for enrolment in members}
            sets.append(sorted(ids))
            if (data.posts or data.meetings) and published is None:
                raise self.error(entry, "a set has posts and meetings only once it is published")
            wanted.posts[number] = self._posts(data, entry, ids, published)
            wanted.meetings[number] = self._meetings(data, entry, number, ids, adviser, published)
        brief = self._brief(wanted.keep_apart)
        _, breaches = composer.assess(brief, sets)
        if breaches:
            raise DemoDataError(
                f"{self.where}: "
                + "; ".join(
                    f"sets[{b.set_number - 1}]: {b.message}"
                    if b.set_number
                    else f"sets: {b.message}"
                    for b in breaches
                )
            )
        for enrolment_id, reason in composer.explain(brief, sets).items():
            wanted.members[enrolment_id][1]["reason"] = reason[:REASON_LENGTH]

    def _brief(self, apart) -> composer.Brief:
        """The composer's brief for the cohort: each member's own sector, else their
        organisation's; their organisation and place; the pairs kept apart."""
        spec = self.spec
        return composer.Brief(
            members=tuple(
                composer.Member(
                    id=e.pk,
                    name=e.user.display_name or e.user.email,
                    sector=_sector_of(e.user),
                    organisation=e.user.organisation.name if e.user.organisation else None,
                    place=e.user.place.name if e.user.place else None,
                )
                for e in self.members.values()
            ),
            size=spec.size,
            min_size=spec.min_size,
            max_size=spec.max_size,
            apart=frozenset(frozenset(pair) for pair in apart),
            mode=composer.Mode(spec.mode),
            seed=spec.seed,
        )

    def _in_set(self, email: str, entry: str, ids: set[int], when=None) -> Enrolment:
        enrolment = self.member(email, entry, when)
        if enrolment.pk not in ids:
            raise self.error(entry, f"{email} is not a member of this set")
        return enrolment

    def _posts(self, data: SetData, entry: str, ids: set[int], published) -> list[_Post]:
        posts = []
        seen = set()
        for n, post in enumerate(data.posts):
            where = f"{entry}: posts[{n}]"
            made = self._post(post, where, ids, published)
            for k, reply in enumerate(post.replies):
                answer = self._post(reply, f"{where}: replies[{k}]", ids, made.created_at)
                made.replies.append(answer)
            for item in (made, *made.replies):
                key = (None if item is made else made.body, item.author.pk, item.body)
                if key in seen:
                    raise self.error(where, "the same words by the same member are given twice")
                seen.add(key)
            posts.append(made)
        return posts

    def _post(self, data: PostData | ReplyData, entry: str, ids: set[int], after) -> _Post:
        when = at(self.today - timedelta(days=data.posted_days_ago), data.at.hour, data.at.minute)
        author = self._in_set(data.author, entry, ids, when)
        if when <= after or when > self.now:
            raise self.error(entry, "posted before what it follows, or in the future")
        if not data.body or len(data.body) > PeerPost.MAX_LENGTH:
            raise self.error(entry, f"a post has 1 to {PeerPost.MAX_LENGTH:,} characters")
        return _Post(author=author, body=data.body, created_at=when)

    def _meetings(self, data: SetData, entry, number, ids, adviser, published) -> list[_Meeting]:
        meetings = []
        for n, meeting in enumerate(data.meetings):
            where = f"{entry}: meetings[{n}]"
            day = working_day(self.today + timedelta(days=meeting.in_days))
            starts = at(day, meeting.starts.hour, meeting.starts.minute)
            ends = at(day, meeting.ends.hour, meeting.ends.minute)
            if ends <= starts:
                raise self.error(where, "ends before it starts")
            if not (meeting.location or meeting.joining_url):
                raise self.error(where, "a meeting needs a location, a joining_url or both")
            scheduled = moment(self.today, meeting.scheduled_days_ago, f"scheduled/{where}")
            if adviser is not None and meeting.scheduled_by.lower() == adviser.email.lower():
                scheduled_by = adviser
            else:
                scheduled_by = self._in_set(meeting.scheduled_by, where, ids, scheduled).user
            if not published < scheduled < starts:
                raise self.error(
                    where, "scheduled after it starts, or before the sets were published"
                )
            if day == self.today:
                raise self.error(where, f"falls today ({day}): give a day before or after it")
            past = day < self.today
            if not past and (meeting.absent or meeting.commitments):
                raise self.error(where, "a meeting still to come has no attendance or commitments")
            absent = {self._in_set(email, f"{where}: absent", ids).pk for email in meeting.absent}
            holder = self._in_set(meeting.problem_holder, f"{where}: problem_holder", ids)
            if holder.pk in absent:
                raise self.error(where, "the problem holder was absent")
            attendance = {}
            if past:
                attendance = {
                    pk: {"present": pk not in absent, "recorded_at": ends + timedelta(minutes=30)}
                    for pk in sorted(ids)
                }
                for pk in ids - absent:  # they were there
                    self.member(self.emails[pk], f"{where}: attendance", starts)
            commitments = {}
            for k, commitment in enumerate(meeting.commitments):
                said = f"{where}: commitments[{k}]"
                enrolment = self._in_set(commitment.email, said, ids)
                if enrolment.pk in absent or enrolment.pk in commitments:
                    raise self.error(said, "one commitment each, by members at the meeting")
                if not commitment.text or len(commitment.text) > Commitment.MAX_LENGTH:
                    raise self.error(
                        said, f"a commitment has 1 to {Commitment.MAX_LENGTH:,} characters"
                    )
                commitments[enrolment.pk] = {
                    "text": commitment.text,
                    "created_at": ends - timedelta(minutes=10),
                    "outcome": "",
                    "outcome_note": "",
                    "reviewed_at": None,
                }
            uid = uuid.uuid5(MEETING_UIDS, f"{self.name}/set-{number}/meeting-{n + 1}")
            fields = {
                "starts_at": starts,
                "ends_at": ends,
                "location": meeting.location,
                "joining_url": meeting.joining_url,
                "problem_holder_id": holder.pk,
                "cancelled": False,
                "created_by_id": scheduled_by.pk,
                "created_at": scheduled,
            }
            meetings.append(_Meeting(uid, fields, attendance, commitments))
        return meetings


def _sector_of(user) -> str | None:
    """A person's sector, for the composer: their own, else their organisation's."""
    sector = user.sector or (user.organisation.sector if user.organisation else None)
    return sector.name if sector else None


# --- Loading -------------------------------------------------------------------------------------


def load_peer_groups(summary: Summary, cohorts: dict[str, Cohort], today: date) -> None:
    """The peer groups of the demo ``cohorts`` (by the name of their file in ``data/cohorts/``)
    as ``data/peer_groups/`` declares them; a cohort without a file gets none. Needs the
    cohorts' enrolments (``load_cohorts``)."""
    files = read_peer_groups(cohorts)
    for name, cohort in cohorts.items():
        if name not in files:
            _remove(summary, cohort)
            continue
        spec, where = files[name]
        wanted = _Planner(where, name, cohort, spec, today).plan()
        _sync_plan(summary, cohort, wanted)
        _sync_log(summary, cohort, wanted)
        _sync_keep_apart(summary, cohort, wanted)
        sets = _sync_sets(summary, cohort, wanted)
        _sync_members(summary, cohort, wanted, sets)
        _sync_posts(summary, cohort, wanted, sets)
        _sync_meetings(summary, cohort, wanted, sets)


def _remove(summary: Summary, cohort: Cohort) -> None:
    """A demo cohort with no file has no sets, plan, pairs kept apart or log."""
    removed = 0
    for model in (PeerSet, PeerGroupPlan, KeepApart, PeerGroupChange):
        removed += model.objects.filter(cohort=cohort).delete()[0]
    if removed:
        summary.record("peer sets", UPDATED, f"{cohort}: peer groups not in the demo data removed")


def _put_back(row, wanted: dict) -> bool:
    """Set the fields of ``row`` that differ from ``wanted``; True when any did."""
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _save(summary: Summary, counted: str, row, wanted: dict, label: str, model=None, **key):
    """``row`` put back in line with ``wanted``, or created from ``key`` and ``wanted`` when it
    is None; recorded in the summary as one of the ``counted``."""
    if row is None:
        row = model.objects.create(**key, **wanted)
        outcome = CREATED
    elif _put_back(row, wanted):
        row.save()
        outcome = UPDATED
    else:
        outcome = UNCHANGED
    summary.record(counted, outcome, label)
    return row


def _strays(summary: Summary, kind: str, cohort: Cohort, rows) -> None:
    rows = list(rows)
    if rows:
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).delete()
        summary.record(kind, UPDATED, f"{len(rows)} on {cohort} not in the demo data removed")


def _sync_plan(summary: Summary, cohort: Cohort, wanted: _Wanted) -> PeerGroupPlan:
    row = PeerGroupPlan.objects.filter(cohort=cohort).first()
    return _save(
        summary, "peer group plans", row, wanted.plan, str(cohort), PeerGroupPlan, cohort=cohort
    )


def _sync_log(summary: Summary, cohort: Cohort, wanted: _Wanted) -> None:
    existing: dict[str, PeerGroupChange] = {}
    strays = []
    for row in PeerGroupChange.objects.filter(cohort=cohort).order_by("created_at", "pk"):
        if row.kind in wanted.log and row.kind not in existing and row.enrolment_id is None:
            existing[row.kind] = row
        else:
            strays.append(row)
    _strays(summary, "peer group log", cohort, strays)
    for kind, fields in wanted.log.items():
        _save(
            summary,
            "peer group log",
            existing.get(kind),
            fields,
            f"{kind} ({cohort})",
            PeerGroupChange,
            cohort=cohort,
            kind=kind,
        )


def _sync_keep_apart(summary: Summary, cohort: Cohort, wanted: _Wanted) -> None:
    existing = {(r.first_id, r.second_id): r for r in KeepApart.objects.filter(cohort=cohort)}
    _strays(
        summary,
        "pairs kept apart",
        cohort,
        [r for k, r in existing.items() if k not in wanted.keep_apart],
    )
    for (first, second), fields in wanted.keep_apart.items():
        _save(
            summary,
            "pairs kept apart",
            existing.get((first, second)),
            fields,
            f"{first} and {second} ({cohort})",
            KeepApart,
            first_id=first,
            second_id=second,
        )


def _sync_sets(summary: Summary, cohort: Cohort, wanted: _Wanted) -> dict[int, PeerSet]:
    existing = {s.number: s for s in PeerSet.objects.filter(cohort=cohort)}
    _strays(summary, "peer sets", cohort, [s for n, s in existing.items() if n not in wanted.sets])
    return {
        number: _save(
            summary,
            "peer sets",
            existing.get(number),
            fields,
            f"Set {number} ({cohort})",
            PeerSet,
            cohort=cohort,
            number=number,
        )
        for number, fields in wanted.sets.items()
    }


MEMBER_FIELDS = ["peer_set_id", "pinned", "reason", "joined_at", "notified_at", "notified_number"]


def _sync_members(summary: Summary, cohort: Cohort, wanted: _Wanted, sets: dict) -> None:
    existing = {m.enrolment_id: m for m in PeerSetMember.objects.filter(cohort=cohort)}
    _strays(
        summary,
        "peer set members",
        cohort,
        [m for enrolment_id, m in existing.items() if enrolment_id not in wanted.members],
    )
    to_create, to_update = [], []
    for enrolment_id, (number, fields) in wanted.members.items():
        fields = {"peer_set_id": sets[number].pk, **fields}
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(PeerSetMember(cohort=cohort, enrolment_id=enrolment_id, **fields))
            outcome = CREATED
        elif _put_back(row, fields):
            to_update.append(row)
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        summary.record("peer set members", outcome, f"enrolment {enrolment_id} in Set {number}")
    PeerSetMember.objects.bulk_update(to_update, MEMBER_FIELDS)
    PeerSetMember.objects.bulk_create(to_create)


def _sync_posts(summary: Summary, cohort: Cohort, wanted: _Wanted, sets: dict) -> None:
    """Posts found by set, author, words and the post they answer; the rest removed (a post
    written during a demo, or the same words posted again)."""
    rows = list(PeerPost.objects.filter(peer_set__cohort=cohort).order_by("pk"))
    existing: dict[tuple, PeerPost] = {}
    for post in rows:
        existing.setdefault((post.peer_set_id, post.parent_id, post.author_id, post.body), post)
    kept = set()

    def sync(peer_set: PeerSet, post: _Post, parent: PeerPost | None) -> PeerPost:
        key = (peer_set.pk, parent.pk if parent else None, post.author.pk, post.body)
        row = _save(
            summary,
            "peer posts",
            existing.get(key),
            {"created_at": post.created_at},
            f"by {post.author.user.email} in {peer_set} ({cohort})",
            PeerPost,
            peer_set=peer_set,
            parent=parent,
            author=post.author,
            body=post.body,
        )
        kept.add(row.pk)
        return row

    for number, posts in wanted.posts.items():
        for post in posts:
            row = sync(sets[number], post, None)
            for reply in post.replies:
                sync(sets[number], reply, row)
    _strays(summary, "peer posts", cohort, [post for post in rows if post.pk not in kept])


# What a calendar notices: a change to any of these bumps the meeting's sequence.
CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "joining_url", "cancelled")


def _sync_meetings(summary: Summary, cohort: Cohort, wanted: _Wanted, sets: dict) -> None:
    existing = {m.uid: m for m in PeerMeeting.objects.filter(peer_set__cohort=cohort)}
    uids = {m.uid for meetings in wanted.meetings.values() for m in meetings}
    _strays(summary, "peer meetings", cohort, [m for uid, m in existing.items() if uid not in uids])
    attendance = {
        (a.meeting_id, a.enrolment_id): a
        for a in MeetingAttendance.objects.filter(meeting__peer_set__cohort=cohort)
    }
    commitments = {
        (c.meeting_id, c.enrolment_id): c
        for c in Commitment.objects.filter(meeting__peer_set__cohort=cohort)
    }
    kept_attendance, kept_commitments = set(), set()
    for number, meetings in wanted.meetings.items():
        for meeting in meetings:
            fields = {"peer_set_id": sets[number].pk, **meeting.fields}
            row = existing.get(meeting.uid)
            if row is not None and any(
                getattr(row, name) != fields[name] for name in CALENDAR_FIELDS
            ):
                row.sequence += 1
            label = f"{sets[number]} on {fields['starts_at']:%Y-%m-%d} ({cohort})"
            row = _save(summary, "peer meetings", row, fields, label, PeerMeeting, uid=meeting.uid)
            for enrolment_id, wanted_fields in meeting.attendance.items():
                key = (row.pk, enrolment_id)
                _save(
                    summary,
                    "meeting attendance",
                    attendance.get(key),
                    wanted_fields,
                    f"enrolment {enrolment_id} at {label}",
                    MeetingAttendance,
                    meeting=row,
                    enrolment_id=enrolment_id,
                )
                kept_attendance.add(key)
            for enrolment_id, wanted_fields in meeting.commitments.items():
                key = (row.pk, enrolment_id)
                _save(
                    summary,
                    "commitments",
                    commitments.get(key),
                    wanted_fields,
                    f"of enrolment {enrolment_id} at {label}",
                    Commitment,
                    meeting=row,
                    enrolment_id=enrolment_id,
                )
                kept_commitments.add(key)
    _strays(
        summary,
        "meeting attendance",
        cohort,
        [a for key, a in attendance.items() if key not in kept_attendance],
    )
    _strays(
        summary,
        "commitments",
        cohort,
        [c for key, c in commitments.items() if key not in kept_commitments],
    )
