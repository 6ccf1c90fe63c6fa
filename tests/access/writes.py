"""What each form may write: for every POST row of the access matrix that someone may reach
(``rows.py``), by the row's name, the tables an accepted post may change. The fuzz test fails
when an accepted post changes any other table, and ``test_every_fuzzed_row_says_what_it_may_write``
fails when a row that is fuzzed has no entry here: a new form says what it writes.

An empty set is a URL that takes a POST but writes nothing (a page, a file, a redirect). The
tables are the database's own names, as ``tables.py`` reads them."""

NOTHING: frozenset[str] = frozenset()

# Wagtail records what is done in its admin (created, edited, deleted) in its own log, and
# keeps an index of what refers to what.
ADMIN_LOG = "wagtailcore_modellogentry"
REFERENCES = "wagtailcore_referenceindex"

# What goes when a person goes: the account, and every row that is theirs or points at them
# (academy.privacy decides which are deleted and which are kept without the link).
A_PERSON = frozenset(
    {
        "academy_user",
        "academy_user_groups",
        "academy_user_user_permissions",
        "account_emailaddress",
        "mfa_authenticator",
        "django_session",
        "django_admin_log",
        "cohorts_enrolment",
        "cohorts_lessoncompletion",
        "cohorts_calendarfeed",
        "cohorts_cohort_facilitators",
        "cohorts_announcement",
        "cohorts_submission",
        "cohorts_submissionfile",
        "cohorts_mark",
        "cohorts_peerreview",
        "cohorts_quizattempt",
        "cohorts_assessmentresult",
        "cohorts_assessmentduedate",
        "cohorts_peersetmember",
        "cohorts_peerpost",
        "cohorts_peermeeting",
        "cohorts_meetingattendance",
        "cohorts_commitment",
        "cohorts_peergroupchange",
        "cohorts_peergroupplan",
        "cohorts_peerset",
        "cohorts_keepapart",
        "cohorts_workingrelationship",
        "cohorts_certificate",
        "cohorts_certificateissue",
        # The emails written to them, and their choices about emails.
        "academy_outboxemail",
        "academy_notificationpreference",
        "wagtailusers_userprofile",
        "wagtailcore_modellogentry",
        "wagtailcore_pagelogentry",
        "wagtailcore_revision",
        "wagtailcore_page",
    }
)
A_PERSON_IN_THE_ADMIN = frozenset(
    {"academy_user", "academy_user_groups", "account_emailaddress", "wagtailusers_userprofile"}
) | {ADMIN_LOG, REFERENCES}
A_GROUP = frozenset(
    {
        "auth_group",
        "auth_group_permissions",
        "wagtailcore_grouppagepermission",
        "wagtailcore_groupcollectionpermission",
        ADMIN_LOG,
        REFERENCES,
    }
)
A_COHORT = frozenset({"cohorts_cohort", "cohorts_cohort_facilitators", ADMIN_LOG, REFERENCES})
# The emails the change writes into the outbox (sent by the worker afterwards).
EMAILING = frozenset({"academy_outboxemail"})
A_PLACE = frozenset({"cohorts_enrolment"}) | EMAILING
# Completing a course writes its certificate (or suspends it when something is undone).
CERTIFYING = frozenset({"cohorts_certificate", "cohorts_certificateissue"}) | EMAILING
COMPLETING = frozenset({"cohorts_lessoncompletion", "cohorts_enrolment"}) | CERTIFYING
# Work handed in, answered or marked changes where the learner stands, and may complete them.
RESULTS = frozenset({"cohorts_assessmentresult", "cohorts_enrolment"}) | CERTIFYING
HANDING_IN = frozenset({"cohorts_submission", "cohorts_submissionfile"}) | RESULTS
ANSWERING = frozenset({"cohorts_quizattempt"}) | RESULTS
REVIEWING = frozenset({"cohorts_peerreview"}) | RESULTS
MARKING = frozenset({"cohorts_mark", "cohorts_submission"}) | RESULTS | EMAILING
# Themes are searchable in the admin: saving one indexes it.
POSTING = frozenset({"cohorts_peerpost"})
A_MEETING = frozenset({"cohorts_peermeeting"})
COMMITTING = frozenset({"cohorts_commitment"})

# Composing writes the plan, the sets, their members and the log; a move or a placement after
# publishing also claims the member's email (their row).
COMPOSING = frozenset(
    {
        "cohorts_peergroupplan",
        "cohorts_peerset",
        "cohorts_peersetmember",
        "cohorts_peergroupchange",
    }
)
KEEPING_APART = frozenset({"cohorts_keepapart", "cohorts_peergroupchange"})
WORKING_WITH = frozenset({"cohorts_workingrelationship"})

A_RUBRIC = frozenset({"courses_rubric", "wagtailsearch_indexentry", ADMIN_LOG, REFERENCES})
A_THEME = frozenset(
    {
        "courses_theme",
        "courses_coursepage_themes",
        "courses_casestudypage_themes",
        "wagtailsearch_indexentry",
        ADMIN_LOG,
        REFERENCES,
    }
)
# The Django admin logs what it does in its own table.
DJANGO_ADMIN_LOG = "django_admin_log"
A_PERSON_IN_THE_DJANGO_ADMIN = frozenset(
    {
        "academy_user",
        "academy_user_groups",
        "academy_user_user_permissions",
        "account_emailaddress",
        DJANGO_ADMIN_LOG,
    }
)
AN_ORGANISATION = frozenset({"academy_organisation", "academy_user", DJANGO_ADMIN_LOG})
A_PLACE_OF_THE_ACADEMY = frozenset(
    {"academy_place", "courses_casestudypage", DJANGO_ADMIN_LOG, REFERENCES}
)
A_SECTOR = frozenset(
    {
        "academy_sector",
        "academy_organisation",
        "courses_coursepage_sectors",
        "courses_casestudypage_partner_sectors",
        DJANGO_ADMIN_LOG,
    }
)
SIGNING_IN = frozenset({"django_session", "academy_user"})

WRITES: dict[str, frozenset[str]] = {
    # Pages, files and redirects that answer a POST as they answer a GET.
    "home (POST)": NOTHING,
    "lesson (POST)": NOTHING,
    "assessment (POST)": NOTHING,
    "sitemap (POST)": NOTHING,
    "course catalogue (POST)": NOTHING,
    "course overview (POST)": NOTHING,
    "module (POST)": NOTHING,
    "case-study library (POST)": NOTHING,
    "case study (POST)": NOTHING,
    "standard page (POST)": NOTHING,
    # A page's password is remembered in the session.
    "Wagtail's page sign-in with a right password": frozenset({"django_session"}),
    # The admins' sign-in pages hand over to the academy's own.
    "admin sign-in (POST)": SIGNING_IN,
    "Django admin sign-in (POST)": SIGNING_IN,
    "a public document (POST)": NOTHING,
    "the old allauth profile address (POST)": NOTHING,
    "Django admin (POST)": NOTHING,
    # Refused with a message: its enrolments are learners' records.
    "delete a cohort people are on, in the admin (POST)": NOTHING,
    # Your account
    "save a profile with nothing filled in": frozenset({"academy_user", "academy_organisation"}),
    "delete your account without the password": A_PERSON,
    "delete your account with a wrong password": A_PERSON,
    "calendar token reset": frozenset({"cohorts_calendarfeed"}),
    "save email choices with nothing chosen": frozenset({"academy_notificationpreference"}),
    # Switched off, and what of that kind still waits is not sent.
    "unsubscribe": frozenset({"academy_notificationpreference", "academy_outboxemail"}),
    "unsubscribe with an expired link": NOTHING,  # 410: the page says where to choose instead
    # Certificates
    "hide your name on your certificate": frozenset({"cohorts_certificate"}),
    "show or hide your name with nothing chosen": frozenset({"cohorts_certificate"}),
    "revoke a certificate": frozenset({"cohorts_certificate"}),
    "revoke a certificate without a reason": frozenset({"cohorts_certificate"}),
    # Learning
    "mark a lesson complete": COMPLETING,
    "mark a lesson complete with an unknown action": COMPLETING,
    "mark a lesson complete with no action": COMPLETING,
    "take a place on an open cohort": A_PLACE,
    "hand in work while the last version waits to be marked": HANDING_IN,
    "hand in work": HANDING_IN,
    "hand in nothing": HANDING_IN,
    "answer a quiz with nothing": ANSWERING,
    "ask for work to review": REVIEWING,
    "send an empty review": REVIEWING,
    "mark a piece of work with nothing chosen": MARKING,
    "release held marks": MARKING,
    "a cohort's own due date, not a date": frozenset({"cohorts_assessmentduedate"}),
    "withdraw (confirm)": A_PLACE,
    "post in a peer group": POSTING,
    "an empty post": POSTING,
    "reply to a post with nothing": POSTING,
    "schedule a meeting with no details": A_MEETING,
    "change a meeting (as it was)": A_MEETING,
    "compose peer groups (as the form stands)": COMPOSING,
    "compose peer groups with nothing": COMPOSING,
    "publish peer groups again": COMPOSING,
    "move a member into a set that cannot take them": COMPOSING,
    "move a member with nothing": COMPOSING,
    "pin a member": COMPOSING,
    "name a set's adviser": COMPOSING,
    "keep two members apart with nothing chosen": KEEPING_APART,
    "stop keeping two members apart": KEEPING_APART,
    "name someone you work with": WORKING_WITH,
    "name someone you work with, without an address": WORKING_WITH,
    "forget someone you work with": WORKING_WITH,
    "record who came to a meeting": frozenset({"cohorts_meetingattendance"}),
    "record a commitment": COMMITTING,
    "record an empty commitment": COMMITTING,
    "review a commitment": COMMITTING,
    # Facilitating
    "decide applications with nothing selected": A_PLACE,
    "add a live session with no details": frozenset({"cohorts_livesession"}),
    "edit a live session with no details": frozenset({"cohorts_livesession"}),
    "cancel a live session (confirm)": frozenset({"cohorts_livesession"}),
    "post an empty announcement": frozenset({"cohorts_announcement"}) | EMAILING,
    # The Wagtail admin
    "Wagtail account settings (POST)": frozenset(
        {"academy_user", "wagtailusers_userprofile", "django_session", ADMIN_LOG}
    ),
    "add a person in the admin (POST)": A_PERSON_IN_THE_ADMIN,
    "edit a person in the admin (POST)": A_PERSON_IN_THE_ADMIN,
    "copy a person in the admin (POST)": A_PERSON_IN_THE_ADMIN,
    "delete a person in the admin (POST)": A_PERSON,
    "give people a role in bulk (POST)": frozenset({"academy_user_groups", ADMIN_LOG}),
    "add a group in the admin (POST)": A_GROUP,
    "edit a group in the admin (POST)": A_GROUP,
    "delete a group in the admin (POST)": A_GROUP | {"academy_user_groups"},
    "add a cohort in the admin (POST)": A_COHORT,
    # More places take learners off the waiting list.
    "edit a cohort in the admin (POST)": A_COHORT | A_PLACE,
    "add a theme (POST)": A_THEME,
    "edit a theme (POST)": A_THEME,
    "copy a theme (POST)": A_THEME,
    "delete a theme (POST)": A_THEME,
    "delete a rubric (POST)": A_RUBRIC,
    # The Django admin: each model's list (whose actions delete), its add, change, history,
    # delete and address pages, and a person's password.
    "a person in the Django admin (POST)": A_PERSON | {DJANGO_ADMIN_LOG},
    "add a person in the Django admin (POST)": A_PERSON_IN_THE_DJANGO_ADMIN,
    "change a person in the Django admin (POST)": A_PERSON_IN_THE_DJANGO_ADMIN,
    "the history of a person in the Django admin (POST)": NOTHING,
    "delete a person in the Django admin (POST)": A_PERSON | {DJANGO_ADMIN_LOG},
    "a person's address in the Django admin (POST)": NOTHING,
    "a person's password in the Django admin (POST)": frozenset(
        {"academy_user", "django_session", DJANGO_ADMIN_LOG}
    ),
    "an organisation in the Django admin (POST)": AN_ORGANISATION,
    "add an organisation in the Django admin (POST)": AN_ORGANISATION,
    "change an organisation in the Django admin (POST)": AN_ORGANISATION,
    "the history of an organisation in the Django admin (POST)": NOTHING,
    "delete an organisation in the Django admin (POST)": AN_ORGANISATION,
    "an organisation's address in the Django admin (POST)": NOTHING,
    "a place in the Django admin (POST)": A_PLACE_OF_THE_ACADEMY,
    "add a place in the Django admin (POST)": A_PLACE_OF_THE_ACADEMY,
    "change a place in the Django admin (POST)": A_PLACE_OF_THE_ACADEMY,
    "the history of a place in the Django admin (POST)": NOTHING,
    "delete a place in the Django admin (POST)": A_PLACE_OF_THE_ACADEMY,
    "a place's address in the Django admin (POST)": NOTHING,
    "a sector in the Django admin (POST)": A_SECTOR,
    "add a sector in the Django admin (POST)": A_SECTOR,
    "change a sector in the Django admin (POST)": A_SECTOR,
    "the history of a sector in the Django admin (POST)": NOTHING,
    "delete a sector in the Django admin (POST)": A_SECTOR,
    "a sector's address in the Django admin (POST)": NOTHING,
}

# What a page writes whenever it is shown, whether the form on it was refused or not: Wagtail
# records who has a snippet's editor open, to warn others editing it at the same time.
EDITING_SESSION = frozenset({"wagtailadmin_editingsession"})
SHOWN_WRITES: dict[str, frozenset[str]] = {
    "edit a theme": EDITING_SESSION,
    "edit a theme (POST)": EDITING_SESSION,
    "edit a rubric": EDITING_SESSION,
    "edit a rubric (POST)": EDITING_SESSION,
}
