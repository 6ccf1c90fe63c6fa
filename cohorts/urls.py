"""The cohorts app's pages: the learner's side (/learning/, /cohorts/…) and the facilitator's
(/facilitate/…). Included from ``academy/urls.py`` before Wagtail's catch-all. Ids in paths are
``<id:…>`` (``academy.converters``): out of range, they answer 404."""

from django.urls import path

from .views import (
    announcements,
    applications,
    assessments,
    calendars,
    certificates,
    cohort_home,
    dashboard,
    due_dates,
    enrolment,
    facilitation,
    lessons,
    marking,
    my_learning,
    peer_groups,
    peer_reviews,
    peer_sets,
    quizzes,
    reports,
    sessions,
)

urlpatterns = [
    # Certificates, public: verification page, PDF, Open Badges credential; the issuer's profile
    # and revocation list (the fixed names first: no code is "issuer")
    path("certificates/issuer.json", certificates.certificate_issuer, name="certificate_issuer"),
    path(
        "certificates/status/revocation.json",
        certificates.certificate_status_list,
        name="certificate_status_list",
    ),
    path("certificates/<str:code>.pdf", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<str:code>.json",
        certificates.certificate_credential,
        name="certificate_credential",
    ),
    path("certificates/<str:code>/", certificates.certificate_verify, name="certificate_verify"),
    # Learners
    path("learning/", my_learning.my_learning, name="my_learning"),
    path("learning/calendar.ics", calendars.personal_calendar, name="personal_calendar"),
    path(
        "learning/lessons/<id:lesson_id>/complete/",
        lessons.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "learning/certificates/<id:certificate_id>/name/",
        certificates.certificate_name,
        name="certificate_name",
    ),
    path("profile/calendar/", calendars.calendar_feed, name="calendar_feed"),
    path(
        "profile/peer-groups/",
        peer_groups.working_relationships,
        name="working_relationships",
    ),
    path(
        "profile/peer-groups/<id:relationship_id>/delete/",
        peer_groups.working_relationship_delete,
        name="working_relationship_delete",
    ),
    path("cohorts/<id:cohort_id>/", cohort_home.cohort_home, name="cohort_home"),
    path("cohorts/<id:cohort_id>/calendar.ics", calendars.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<id:cohort_id>/join/", enrolment.join, name="cohort_join"),
    path("cohorts/<id:cohort_id>/withdraw/", enrolment.withdraw, name="cohort_withdraw"),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/",
        assessments.assessment,
        name="cohort_assessment",
    ),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/files/<id:file_id>/",
        assessments.submission_file,
        name="submission_file",
    ),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/quiz/",
        quizzes.quiz_submit,
        name="quiz_submit",
    ),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/attempts/<id:number>/",
        quizzes.quiz_attempt,
        name="quiz_attempt",
    ),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/reviews/",
        peer_reviews.peer_review_next,
        name="peer_review_next",
    ),
    path(
        "cohorts/<id:cohort_id>/assessments/<id:assessment_id>/reviews/<id:review_id>/",
        peer_reviews.peer_review,
        name="peer_review",
    ),
    # A cohort's action learning sets: each set's own space
    path("cohorts/<id:cohort_id>/peer-group/", peer_sets.own_peer_set, name="own_peer_set"),
    path("cohorts/<id:cohort_id>/peer-group/<id:number>/", peer_sets.peer_set, name="peer_set"),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/posts/",
        peer_sets.post_add,
        name="peer_post_add",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/posts/<id:post_id>/reply/",
        peer_sets.post_reply,
        name="peer_post_reply",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/meetings/new/",
        peer_sets.meeting_add,
        name="peer_meeting_add",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/meetings/<id:meeting_id>/",
        peer_sets.meeting,
        name="peer_meeting",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/meetings/<id:meeting_id>/edit/",
        peer_sets.meeting_edit,
        name="peer_meeting_edit",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/meetings/<id:meeting_id>/attendance/",
        peer_sets.attendance,
        name="peer_meeting_attendance",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/meetings/<id:meeting_id>/commitment/",
        peer_sets.commitment,
        name="peer_commitment",
    ),
    path(
        "cohorts/<id:cohort_id>/peer-group/<id:number>/commitments/<id:commitment_id>/review/",
        peer_sets.commitment_review,
        name="peer_commitment_review",
    ),
    # Facilitators and programme managers
    path("facilitate/", facilitation.index, name="facilitate"),
    path("facilitate/programme/", reports.programme_report, name="programme_report"),
    path(
        "facilitate/programme/report.csv",
        reports.programme_report_csv,
        name="programme_report_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/",
        dashboard.cohort_dashboard,
        name="facilitate_cohort",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/learners.csv",
        dashboard.learners_csv,
        name="facilitate_learners_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/applications/",
        applications.applications,
        name="facilitate_applications",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/new/",
        sessions.session_add,
        name="facilitate_session_add",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit/",
        sessions.session_edit,
        name="facilitate_session_edit",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/cancel/",
        sessions.session_cancel,
        name="facilitate_session_cancel",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/marking/",
        marking.marking_queue,
        name="facilitate_marking",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/marking/release/",
        marking.marks_release,
        name="facilitate_marks_release",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/marking/<id:submission_id>/",
        marking.mark_submission,
        name="facilitate_mark",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/assessments/",
        due_dates.due_dates,
        name="facilitate_due_dates",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/assessments/<id:assessment_id>/due/",
        due_dates.due_date_edit,
        name="facilitate_due_date",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/",
        peer_groups.peer_groups,
        name="facilitate_peer_groups",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/compose/",
        peer_groups.compose,
        name="facilitate_peer_groups_compose",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/publish/",
        peer_groups.publish,
        name="facilitate_peer_groups_publish",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/members/<id:enrolment_id>/move/",
        peer_groups.member_move,
        name="facilitate_peer_member_move",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/members/<id:enrolment_id>/pin/",
        peer_groups.member_pin,
        name="facilitate_peer_member_pin",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/sets/<id:number>/adviser/",
        peer_groups.set_adviser,
        name="facilitate_peer_set_adviser",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/apart/",
        peer_groups.keep_apart_add,
        name="facilitate_keep_apart_add",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/peer-groups/apart/<id:pair_id>/delete/",
        peer_groups.keep_apart_delete,
        name="facilitate_keep_apart_delete",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/certificates/",
        certificates.cohort_certificates,
        name="facilitate_certificates",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/certificates/<id:certificate_id>/revoke/",
        certificates.certificate_revoke_view,
        name="facilitate_certificate_revoke",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/announcements/new/",
        announcements.announcement_add,
        name="facilitate_announcement_add",
    ),
]
