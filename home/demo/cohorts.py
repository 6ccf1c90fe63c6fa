"""The demo cohorts: learners from every sector taking the demo courses together.

- *Leading across organisational boundaries*, **Cohort 11**: finished about two months ago;
  completed and withdrawn learners.
- the same course, **Cohort 12**: running now (five weeks in, five to go), run by
  facilitator@academy.test. Forty learners, learner@academy.test among them, spread across the
  course: a few complete, most in the middle, some at risk (idle for three weeks or far behind).
  Live sessions (one past, two to come, one cancelled) and two announcements.
- the same course, **Cohort 13**: starts in three weeks, by application, with applications
  waiting for facilitator@academy.test to decide.
- *Counting and mapping public resources in a place*, **Cohort 3**: open, starts in six weeks,
  places left, so the course overview offers "Enrol".

Every date is counted from today, so the demo is always current. Rows are written directly, not
through ``cohorts.services``: nothing is emailed (``notified_status`` is set to the status, and
announcements are marked as emailed) and the whole load stays fast. The data still keeps the
rules: one live enrolment per person per course, capacity respected, timestamps for every
status, completions only for lessons of the enrolment's course.

Safe to run again: cohorts are found by course and name, enrolments by cohort and person,
sessions and announcements by title and subject; what differs is put back. Enrolments on the
demo cohorts that are not in the demo data (someone joined during a demo) are removed, and a
demo learner's live place on another cohort of the same course is withdrawn, so the demo's own
places always fit the rules."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from academy.models import Place
from cohorts.models import Announcement, Cohort, Enrolment, LessonCompletion, LiveSession
from cohorts.services.sessions import live_session_cancel, live_session_save
from courses.cache import purge_public_pages
from courses.models import CoursePage, LessonPage
from courses.selectors import course_lessons

from . import CREATED, UNCHANGED, UPDATED, Summary
from .people import load_users

K = Place.Kind
Status = Enrolment.Status

LEADING = "leading-across-organisational-boundaries"
COUNTING = "counting-and-mapping-public-resources"
FACILITATOR = "facilitator@academy.test"

# --- People ---------------------------------------------------------------------------------

# Where each demo organisation's people are counted.
ORGANISATION_PLACES = {
    "Birmingham City Council": ("Birmingham", K.LOCAL_AUTHORITY),
    "Solihull Metropolitan Borough Council": ("Solihull", K.LOCAL_AUTHORITY),
    "Manchester City Council": ("Manchester", K.LOCAL_AUTHORITY),
    "Salford City Council": ("Salford", K.LOCAL_AUTHORITY),
    "Leeds City Council": ("Leeds", K.LOCAL_AUTHORITY),
    "Greater Manchester Combined Authority": ("Greater Manchester", K.COMBINED_AUTHORITY),
    "West Midlands Combined Authority": ("West Midlands", K.COMBINED_AUTHORITY),
    "Manchester University NHS Foundation Trust": ("Manchester", K.LOCAL_AUTHORITY),
    "Leeds Teaching Hospitals NHS Trust": ("Leeds", K.LOCAL_AUTHORITY),
    "NHS Birmingham and Solihull Integrated Care Board": (
        "Birmingham and Solihull",
        K.INTEGRATED_CARE_SYSTEM,
    ),
    "NHS Greater Manchester Integrated Care Board": (
        "Greater Manchester",
        K.INTEGRATED_CARE_SYSTEM,
    ),
    "West Midlands Police": ("West Midlands", K.POLICE_FORCE_AREA),
    "Greater Manchester Police": ("Greater Manchester", K.POLICE_FORCE_AREA),
    "West Yorkshire Police": ("West Yorkshire", K.POLICE_FORCE_AREA),
    "West Midlands Fire Service": ("West Midlands", K.COMBINED_AUTHORITY),
    "Greater Manchester Fire and Rescue Service": ("Greater Manchester", K.COMBINED_AUTHORITY),
    "West Yorkshire Fire and Rescue Service": ("Yorkshire and The Humber", K.REGION),
    "Department for Work and Pensions: Birmingham and Solihull jobcentres": (
        "Birmingham",
        K.LOCAL_AUTHORITY,
    ),
    "Department for Work and Pensions: Greater Manchester jobcentres": (
        "Manchester",
        K.LOCAL_AUTHORITY,
    ),
    "Leeds City College": ("Leeds", K.LOCAL_AUTHORITY),
    "Salix Homes": ("Salford", K.LOCAL_AUTHORITY),
    "Leeds Federated Housing Association": ("Leeds", K.LOCAL_AUTHORITY),
    "Birmingham Voluntary Service Council": ("Birmingham", K.LOCAL_AUTHORITY),
    "Voluntary Action Leeds": ("Leeds", K.LOCAL_AUTHORITY),
    "Transport for Greater Manchester": ("Greater Manchester", K.COMBINED_AUTHORITY),
}

BCC = "Birmingham City Council"
SMBC = "Solihull Metropolitan Borough Council"
MCC = "Manchester City Council"
SCC = "Salford City Council"
LCC = "Leeds City Council"
GMCA = "Greater Manchester Combined Authority"
WMCA = "West Midlands Combined Authority"
MFT = "Manchester University NHS Foundation Trust"
LTHT = "Leeds Teaching Hospitals NHS Trust"
BSOL_ICB = "NHS Birmingham and Solihull Integrated Care Board"
GM_ICB = "NHS Greater Manchester Integrated Care Board"
WMP = "West Midlands Police"
GMP = "Greater Manchester Police"
WYP = "West Yorkshire Police"
WMFS = "West Midlands Fire Service"
GMFRS = "Greater Manchester Fire and Rescue Service"
WYFRS = "West Yorkshire Fire and Rescue Service"
DWP_BSOL = "Department for Work and Pensions: Birmingham and Solihull jobcentres"
DWP_GM = "Department for Work and Pensions: Greater Manchester jobcentres"
COLLEGE = "Leeds City College"
SALIX = "Salix Homes"
LFHA = "Leeds Federated Housing Association"
BVSC = "Birmingham Voluntary Service Council"
VAL = "Voluntary Action Leeds"
TFGM = "Transport for Greater Manchester"

# email: (display name, job title, organisation). Learners only: they sign in with the demo
# password like every demo account, but are not listed with the role accounts.
LEARNERS = {
    # Cohort 12 (running)
    "tom.whitaker@academy.test": ("Tom Whitaker", "Head of community safety", LCC),
    "naomi.clarke@academy.test": ("Naomi Clarke", "Service manager, children's social care", SMBC),
    "rajesh.patel@academy.test": ("Rajesh Patel", "Assistant director, adult social care", BCC),
    "gemma.hartley@academy.test": ("Gemma Hartley", "Programme lead, public service reform", GMCA),
    "owen.price@academy.test": ("Owen Price", "Strategic housing manager", MCC),
    "lucy.brennan@academy.test": ("Lucy Brennan", "Head of neighbourhoods", SCC),
    "kwame.mensah@academy.test": ("Kwame Mensah", "Policy manager, inclusive growth", WMCA),
    "sarah.odonnell@academy.test": ("Sarah O'Donnell", "Matron, frailty and discharge", LTHT),
    "imran.hussain@academy.test": ("Imran Hussain", "Primary care network manager", BSOL_ICB),
    "beth.morgan@academy.test": ("Beth Morgan", "Head of population health", GM_ICB),
    "david.asante@academy.test": (
        "David Asante",
        "Service manager, community mental health",
        MFT,
    ),
    "emma.fielding@academy.test": ("Emma Fielding", "Inspector, neighbourhood policing", GMP),
    "jason.reid@academy.test": ("Jason Reid", "Chief inspector, partnerships", WYP),
    "harpreet.kaur@academy.test": ("Harpreet Kaur", "Violence reduction partnership lead", WMP),
    "ben.carter@academy.test": ("Ben Carter", "Neighbourhood inspector", WMP),
    "lee.dawson@academy.test": ("Lee Dawson", "Group manager, prevention", WMFS),
    "siobhan.kelly@academy.test": ("Siobhan Kelly", "Station manager, community risk", WYFRS),
    "marcus.bailey@academy.test": ("Marcus Bailey", "Head of prevention partnerships", GMFRS),
    "anita.sharma@academy.test": ("Anita Sharma", "Work and health partnership manager", DWP_GM),
    "paul.green@academy.test": ("Paul Green", "Customer service leader", DWP_BSOL),
    "chloe.walsh@academy.test": ("Chloe Walsh", "Head of tenancy services", LFHA),
    "andrew.mcdonald@academy.test": ("Andrew McDonald", "Director of neighbourhoods", SALIX),
    "zainab.ali@academy.test": ("Zainab Ali", "Partnerships manager", BVSC),
    "kirsty.robertson@academy.test": ("Kirsty Robertson", "Head of community development", VAL),
    "nadia.karim@academy.test": ("Nadia Karim", "Head of student support", COLLEGE),
    "stephen.ward@academy.test": ("Stephen Ward", "Head of customer and community", TFGM),
    "hannah.jones@academy.test": ("Hannah Jones", "Early help locality lead", MCC),
    "michael.obi@academy.test": ("Michael Obi", "Commissioning manager", BCC),
    "rebecca.shaw@academy.test": ("Rebecca Shaw", "Head of revenues and benefits", SCC),
    "gareth.evans@academy.test": ("Gareth Evans", "Public health principal", LCC),
    "yasmin.akhtar@academy.test": ("Yasmin Akhtar", "Head of communities", SMBC),
    "colin.fraser@academy.test": ("Colin Fraser", "Deputy director of operations", LTHT),
    "amy.chen@academy.test": ("Amy Chen", "Integrated care manager", GM_ICB),
    "patrick.doyle@academy.test": ("Patrick Doyle", "Youth justice service manager", MCC),
    "sophie.turner@academy.test": ("Sophie Turner", "Homelessness taskforce lead", WMCA),
    "joseph.murphy@academy.test": ("Joseph Murphy", "Head of housing options", BCC),
    # Cohort 11 (finished)
    "catherine.lloyd@academy.test": (
        "Catherine Lloyd",
        "Head of service, adult safeguarding",
        LCC,
    ),
    "ravi.mistry@academy.test": ("Ravi Mistry", "Deputy director of strategy", BSOL_ICB),
    "joanna.wright@academy.test": ("Joanna Wright", "Superintendent, partnerships", GMP),
    "kieran.byrne@academy.test": ("Kieran Byrne", "Area manager, prevention", GMFRS),
    "elaine.foster@academy.test": ("Elaine Foster", "Jobcentre manager", DWP_GM),
    "mohammed.iqbal@academy.test": ("Mohammed Iqbal", "Head of housing management", SALIX),
    "louise.parker@academy.test": ("Louise Parker", "Deputy chief executive", BVSC),
    "grace.nwosu@academy.test": ("Grace Nwosu", "Head of nursing, community services", MFT),
    "simon.hall@academy.test": ("Simon Hall", "Director of place", SMBC),
    "rachel.edwards@academy.test": (
        "Rachel Edwards",
        "Strategic lead, homelessness prevention",
        GMCA,
    ),
    "adam.shah@academy.test": ("Adam Shah", "Head of skills", WMCA),
    "victoria.reeves@academy.test": ("Victoria Reeves", "Head of customer services", LFHA),
    "liam.oconnor@academy.test": ("Liam O'Connor", "Station manager", WYFRS),
    "priti.desai@academy.test": ("Priti Desai", "Head of commissioning", MCC),
    "niall.henderson@academy.test": ("Niall Henderson", "Operations manager", TFGM),
    # Cohort 13 (applications)
    "olivia.bennett@academy.test": ("Olivia Bennett", "Head of early help", LCC),
    "sanjay.kapoor@academy.test": (
        "Sanjay Kapoor",
        "Associate director of transformation",
        LTHT,
    ),
    "jade.thompson@academy.test": (
        "Jade Thompson",
        "Partnerships and engagement manager",
        DWP_BSOL,
    ),
    "ian.mckenzie@academy.test": ("Ian McKenzie", "Head of housing options", SCC),
    "farah.malik@academy.test": ("Farah Malik", "Locality manager", BCC),
    "peter.collins@academy.test": ("Peter Collins", "Group manager, community safety", WMFS),
}

# The same shape as ``people.USERS``, for ``load_users``.
COHORT_LEARNERS = {
    email: (name, job_title, organisation, ORGANISATION_PLACES[organisation], [], {})
    for email, (name, job_title, organisation) in LEARNERS.items()
}

# --- Cohorts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortSpec:
    course: str  # the course's slug
    name: str
    starts: int  # days from today
    ends: int
    capacity: int
    enrolment_mode: str = Cohort.EnrolmentMode.OPEN
    application_question: str = ""


QUESTION = (
    "What is one problem in your place that no single organisation can solve, and what would "
    "you like to be able to do differently by the end of the course?"
)

FINISHED, RUNNING, UPCOMING, OPEN = "finished", "running", "upcoming", "open"

COHORTS = {
    FINISHED: CohortSpec(LEADING, "Cohort 11", starts=-130, ends=-60, capacity=30),
    RUNNING: CohortSpec(LEADING, "Cohort 12", starts=-35, ends=35, capacity=45),
    UPCOMING: CohortSpec(
        LEADING,
        "Cohort 13",
        starts=21,
        ends=77,
        capacity=30,
        enrolment_mode=Cohort.EnrolmentMode.APPLICATION,
        application_question=QUESTION,
    ),
    OPEN: CohortSpec(COUNTING, "Cohort 3", starts=42, ends=77, capacity=24),
}

# Cohort 12: (email, lessons completed in course order, days since last active). Completing
# every required lesson completes the enrolment. Halfway through, a learner is at risk below
# 25% progress (2 lessons of 9) or after 14 days without activity.
RUNNING_LEARNERS = [
    ("learner@academy.test", 4, 1),
    ("claire.donnelly@academy.test", 6, 2),
    ("mark.ellison@academy.test", 3, 9),
    ("joanne.pryce@academy.test", 2, 18),
    ("samuel.osei@academy.test", 5, 4),
    ("tom.whitaker@academy.test", 10, 3),
    ("naomi.clarke@academy.test", 9, 6),
    ("rajesh.patel@academy.test", 8, 1),
    ("gemma.hartley@academy.test", 10, 2),
    ("owen.price@academy.test", 7, 3),
    ("lucy.brennan@academy.test", 6, 5),
    ("kwame.mensah@academy.test", 5, 2),
    ("sarah.odonnell@academy.test", 1, 23),
    ("imran.hussain@academy.test", 4, 7),
    ("beth.morgan@academy.test", 8, 2),
    ("david.asante@academy.test", 3, 22),
    ("emma.fielding@academy.test", 5, 1),
    ("jason.reid@academy.test", 4, 3),
    ("harpreet.kaur@academy.test", 7, 1),
    ("lee.dawson@academy.test", 2, 4),
    ("siobhan.kelly@academy.test", 6, 8),
    ("marcus.bailey@academy.test", 0, 26),
    ("anita.sharma@academy.test", 5, 6),
    ("paul.green@academy.test", 3, 12),
    ("chloe.walsh@academy.test", 6, 1),
    ("andrew.mcdonald@academy.test", 4, 21),
    ("zainab.ali@academy.test", 7, 2),
    ("kirsty.robertson@academy.test", 5, 10),
    ("nadia.karim@academy.test", 3, 4),
    ("stephen.ward@academy.test", 1, 5),
    ("hannah.jones@academy.test", 6, 3),
    ("michael.obi@academy.test", 4, 5),
    ("rebecca.shaw@academy.test", 8, 4),
    ("gareth.evans@academy.test", 5, 13),
    ("yasmin.akhtar@academy.test", 2, 20),
    ("colin.fraser@academy.test", 4, 6),
    ("amy.chen@academy.test", 6, 2),
    ("patrick.doyle@academy.test", 3, 2),
    ("sophie.turner@academy.test", 7, 5),
    ("ben.carter@academy.test", 5, 3),
]
# (email, lessons completed, days ago they withdrew)
RUNNING_WITHDRAWN = [("joseph.murphy@academy.test", 1, 24)]

# Cohort 11: (email, also read the optional lessons); then (email, lessons, withdrew on day n).
FINISHED_COMPLETED = [
    ("aisha.rahman@academy.test", True),
    ("ruth.kendall@academy.test", False),
    ("catherine.lloyd@academy.test", True),
    ("ravi.mistry@academy.test", False),
    ("joanna.wright@academy.test", False),
    ("kieran.byrne@academy.test", True),
    ("elaine.foster@academy.test", False),
    ("mohammed.iqbal@academy.test", False),
    ("louise.parker@academy.test", True),
    ("grace.nwosu@academy.test", False),
    ("simon.hall@academy.test", False),
    ("rachel.edwards@academy.test", True),
    ("adam.shah@academy.test", False),
    ("victoria.reeves@academy.test", False),
]
FINISHED_WITHDRAWN = [
    ("liam.oconnor@academy.test", 2, 19),
    ("priti.desai@academy.test", 1, 12),
    ("niall.henderson@academy.test", 3, 33),
]

# Cohort 13: (email, days ago they applied, answer)
APPLICANTS = [
    (
        "daniel.hughes@academy.test",
        12,
        "In Lozells and Handsworth we keep meeting the same thirty or so households: reports "
        "of anti-social behaviour, children missing school, rent arrears, and a mental health "
        "crisis that ends with two officers spending six hours in A&E. Each agency has its own "
        "plan for them and none of us sees the whole picture. Our multi-agency meetings have "
        "turned into case reviews where everyone reports back and little changes.\n\n"
        "By the end of the course I want to be able to get the council, the integrated care "
        "board and the housing associations to agree one shared plan for a small number of "
        "families, and to hold each other to it without it depending on who is in the room.",
    ),
    (
        "fatima.begum@academy.test",
        10,
        "Small community groups in Leeds hold relationships with people that statutory "
        "services never reach, but they are funded through twelve-month grants from five "
        "commissioners, each with its own monitoring form. We spend more time reporting than "
        "delivering, and good groups close every March.\n\n"
        "I would like to make the case, with the council and the integrated care board, for "
        "pooled and longer-term funding in a handful of neighbourhoods. For that I need better "
        "ways to talk about shared outcomes and accountability with partners who hold the money, "
        "and to understand how decisions are really made inside their organisations.",
    ),
    (
        "liam.oconnor@academy.test",
        8,
        "I started Cohort 11 but withdrew when our station was restructured. The problem has not "
        "gone away: our safe and well visits regularly find older people living alone with a "
        "high risk of falls, a cold home or signs of self-neglect, and our referrals to the "
        "council and the NHS go into different queues. Nobody owns the person, only their piece "
        "of the problem.\n\n"
        "This time my service has given me the time to do the course properly. I want to come "
        "away with a joint referral route that the council, the falls service and we all agree "
        "to and actually use.",
    ),
    (
        "olivia.bennett@academy.test",
        6,
        "Families tell their story four or five times before anyone helps them: to the school, "
        "the health visitor, the housing officer, early help and sometimes the police. Each "
        "assessment is thorough, but the family feels watched rather than supported.\n\n"
        "I want to lead a move to one conversation and one plan in two of our localities, with a "
        "lead professional from whichever agency the family trusts most. That means influencing "
        "people I do not manage, which is the part of my job I find hardest and most want to "
        "get better at.",
    ),
    (
        "sanjay.kapoor@academy.test",
        5,
        "Delayed discharge is the problem everyone names and no one owns. On a typical day more "
        "than a hundred patients in our beds are well enough to leave and are waiting for a "
        "care package, an adaptation to their home or a conversation with their family. Every "
        "organisation does its part well by its own measures, and the patient waits in the "
        "gaps.\n\n"
        "I would like to understand the money and the incentives behind that, and to build "
        "enough trust with colleagues in social care and housing to try a shared approach on "
        "one ward before we ask our boards for more.",
    ),
    (
        "jade.thompson@academy.test",
        3,
        "Many of the people our work coaches see are also known to the council's money advice "
        "team, to housing associations and to local charities, yet our appointments and their "
        "support plans rarely line up.\n\n"
        "I would like our jobcentres to work from the same buildings as partners in two "
        "neighbourhoods and to agree one way of working with the residents furthest from work. "
        "I know how to run my own service; I want to get better at building a partnership where "
        "I have no authority, and at explaining national rules to local partners without hiding "
        "behind them.",
    ),
    (
        "ian.mckenzie@academy.test",
        2,
        "More people are becoming homeless when they leave hospital or prison, and we usually "
        "find out on the day. Health, probation and housing each have a duty, but our "
        "processes only meet at the front door of the civic centre.\n\n"
        "I want to set up an early warning arrangement with the hospital trust and probation, "
        "and to get better at working through the arguments about who pays, which at the moment "
        "stop the conversation before it starts.",
    ),
]
# (email, days ago they applied, days ago a facilitator approved, answer, message)
APPROVED = [
    (
        "farah.malik@academy.test",
        16,
        9,
        "In Sparkbrook we have a family hub, a primary care network, two housing associations "
        "and a dozen community groups within half a mile, and residents still fall between "
        "them. I would like to turn our locality meetings from sharing information into solving "
        "problems together, starting with families in temporary accommodation, and to learn how "
        "other places have set up simple shared governance that does not add another board.",
        "Welcome to Cohort 13. Please bring the temporary accommodation question to the opening "
        "workshop: it will make a good first problem for your peer group.",
    ),
    (
        "peter.collins@academy.test",
        14,
        9,
        "Our prevention work takes firefighters into thousands of homes a year, and they often "
        "see the first signs of self-neglect, fuel poverty or exploitation. Our referrals are "
        "good; what happens next is not consistent. I want to agree with the council and the "
        "integrated care board a shared response for the people we worry about most, and to "
        "learn to make the case for it in terms each partner's board understands.",
        "Delighted to have you. There will be colleagues from the council and the ICB in the "
        "cohort, so you can start that conversation straight away.",
    ),
]

# Cohort 3 of the second course: (email, days ago they took a place)
OPEN_PLACES = [
    ("aisha.rahman@academy.test", 20),
    ("ruth.kendall@academy.test", 15),
    ("ravi.mistry@academy.test", 11),
    ("rachel.edwards@academy.test", 9),
    ("mohammed.iqbal@academy.test", 6),
    ("adam.shah@academy.test", 3),
]


# --- Live sessions and announcements --------------------------------------------------------


@dataclass(frozen=True)
class SessionSpec:
    title: str
    day: int  # days from today
    starts: tuple[int, int]
    ends: tuple[int, int]
    description: str
    location: str = ""
    joining_url: str = ""
    cancelled: bool = False


SESSIONS = {
    RUNNING: [
        SessionSpec(
            "Opening workshop: one household, many services",
            -34,
            (10, 0),
            (15, 0),
            "Meet your cohort and your peer group, and map the services one household meets in "
            "a month. Lunch is provided: tell us about any dietary needs.",
            location="Conference room 1, Tootal Buildings, 56 Oxford Street, Manchester M1 6EU",
        ),
        SessionSpec(
            "Action learning set 3: leading through influence",
            4,
            (14, 0),
            (15, 30),
            "Your peer group meets online. Bring one situation where you need someone who does "
            "not report to you to act.",
            joining_url="https://meet.example.org/academy/cohort-12-set-3",
        ),
        SessionSpec(
            "Site visit: Salford integrated neighbourhood team",
            11,
            (10, 0),
            (12, 30),
            "A morning with the council, NHS and housing staff who share an office and a "
            "caseload in Swinton.",
            location="Swinton Gateway, 100 Chorley Road, Swinton, Salford M27 6BP",
            cancelled=True,
        ),
        SessionSpec(
            "Governance clinic with a partnership chair",
            18,
            (13, 0),
            (15, 0),
            "The chair of a health and care partnership answers your questions about decisions, "
            "money and accountability. Come in person or join online.",
            location="Committee room 2, Council House, Victoria Square, Birmingham B1 1BB",
            joining_url="https://meet.example.org/academy/cohort-12-clinic",
        ),
    ],
    UPCOMING: [
        SessionSpec(
            "Opening workshop",
            21,
            (10, 0),
            (15, 0),
            "Meet your cohort and your peer group. Lunch is provided.",
            location="Civic Hall, Calverley Street, Leeds LS1 1UR",
        ),
    ],
    OPEN: [
        SessionSpec(
            "Opening session: following the money",
            42,
            (14, 0),
            (15, 30),
            "An online introduction to counting what is spent in a place, and to each other.",
            joining_url="https://meet.example.org/academy/counting-cohort-3",
        ),
    ],
}


@dataclass(frozen=True)
class AnnouncementSpec:
    subject: str
    day: int  # days from today
    at: tuple[int, int]
    body: str


ANNOUNCEMENTS = {
    RUNNING: [
        AnnouncementSpec(
            "Welcome to Cohort 12",
            -38,
            (16, 30),
            "Welcome, everyone, and thank you for making the time. Over the next ten weeks you "
            "will work through the course at your own pace, meet in action learning sets and, "
            "above all, learn from each other: this cohort brings together more than forty "
            "managers from councils, the NHS, police, fire and rescue, jobcentres, housing, "
            "colleges and the voluntary sector.\n\n"
            "Before the opening workshop, please read the first lesson, “The same people, many "
            "organisations”, and come ready to describe one household that your service shares "
            "with others. Directions are on the cohort page.\n\n"
            "Helen",
        ),
        AnnouncementSpec(
            "Week 5: the governance clinic and your collaboration plan",
            -3,
            (9, 15),
            "Thank you for a lively action learning set last week. Three things for the coming "
            "fortnight.\n\n"
            "The site visit to the Salford integrated neighbourhood team is cancelled, as the "
            "team has been asked to cover winter pressures. We will share a recorded "
            "conversation with them instead.\n\n"
            "The governance clinic goes ahead: bring one decision your partnership has struggled "
            "to take. You can come in person or join online.\n\n"
            "Start drafting your collaboration plan now, even roughly. The last lesson walks you "
            "through it, and your peer group will give you feedback before the cohort ends. If "
            "you have fallen behind, reply to this message and we will agree a way to catch "
            "up.\n\n"
            "Helen",
        ),
    ],
}


# --- Loading --------------------------------------------------------------------------------


def load_cohorts(summary: Summary, password: str, organisations: dict, places: dict) -> None:
    """The demo cohorts, their learners, sessions and announcements. Needs the demo courses
    (``load_courses``) and the demo users (``load_users``); ``organisations`` and ``places``
    are what ``load_organisations`` and ``load_places`` return."""
    courses = {c.slug: c for c in CoursePage.objects.filter(slug__in=(LEADING, COUNTING))}
    if set(courses) != {LEADING, COUNTING}:
        summary.warn("The demo courses are missing: load courses before cohorts.")
        return
    load_users(summary, password, organisations, places, people=COHORT_LEARNERS)
    users = _users()
    facilitator = users[FACILITATOR]
    today = timezone.localdate()
    cohorts = {
        key: _cohort(summary, courses[spec.course], spec, today, [facilitator])
        for key, spec in COHORTS.items()
    }
    lessons = {slug: course_lessons(course) for slug, course in courses.items()}
    plan = _Plan(today, users, facilitator)
    for key, cohort in cohorts.items():
        BUILDERS[key](plan, cohort, lessons[COHORTS[key].course])
    changed = _sync_enrolments(summary, list(cohorts.values()), plan)
    for key, cohort in cohorts.items():
        _sync_sessions(summary, cohort, SESSIONS.get(key, []), today)
        _sync_announcements(summary, cohort, ANNOUNCEMENTS.get(key, []), today, facilitator)
    if changed:
        # Enrolments are written in bulk, without the signals that purge the public pages
        # showing places left.
        purge_public_pages()
        transaction.on_commit(purge_public_pages)


def _users() -> dict[str, object]:
    emails = {email for email, *_ in RUNNING_LEARNERS + RUNNING_WITHDRAWN}
    emails |= {email for email, *_ in FINISHED_COMPLETED + FINISHED_WITHDRAWN}
    emails |= {email for email, *_ in APPLICANTS + APPROVED + OPEN_PLACES}
    emails.add(FACILITATOR)
    User = get_user_model()
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    missing = emails - users.keys()
    if missing:
        raise LookupError(f"Demo users missing: {', '.join(sorted(missing))}")
    return users


def _cohort(summary: Summary, course, spec: CohortSpec, today: date, facilitators) -> Cohort:
    wanted = {
        "start_date": today + timedelta(days=spec.starts),
        "end_date": today + timedelta(days=spec.ends),
        "capacity": spec.capacity,
        "enrolment_mode": spec.enrolment_mode,
        "application_question": spec.application_question,
        "cancelled": False,
    }
    cohort = Cohort.objects.filter(course=course, name=spec.name).first()
    if cohort is None:
        cohort = Cohort(course=course, name=spec.name, **wanted)
        cohort.full_clean()
        cohort.save()
        outcome = CREATED
    else:
        outcome = UNCHANGED
        for name, value in wanted.items():
            if getattr(cohort, name) != value:
                setattr(cohort, name, value)
                outcome = UPDATED
        if outcome == UPDATED:
            cohort.full_clean()
            cohort.save()
    if set(cohort.facilitators.all()) != set(facilitators):
        cohort.facilitators.set(facilitators)
        outcome = UPDATED if outcome == UNCHANGED else outcome
    summary.record("cohorts", outcome, str(cohort))
    return cohort


def working_day(day: date) -> date:
    """``day``, or the Monday after it when it falls at a weekend: sessions are in work time."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class _Enrolment:
    """One enrolment as the demo wants it, with the lessons completed and when."""

    cohort: Cohort
    user: object
    status: str
    created_at: datetime
    activated_at: datetime | None = None
    completed_at: datetime | None = None
    status_changed_at: datetime | None = None
    last_activity_at: datetime | None = None
    application_answer: str = ""
    decided_by: object = None
    decided_at: datetime | None = None
    decision_message: str = ""
    completions: dict[int, datetime] = field(default_factory=dict)

    def fields(self) -> dict:
        return {
            "course_id": self.cohort.course_id,
            "status": self.status,
            "application_answer": self.application_answer,
            "created_at": self.created_at,
            "status_changed_at": self.status_changed_at or self.created_at,
            "waitlisted_at": None,
            "activated_at": self.activated_at,
            "completed_at": self.completed_at,
            "decided_by_id": self.decided_by.pk if self.decided_by else None,
            "decided_at": self.decided_at,
            "decision_message": self.decision_message,
            "last_activity_at": self.last_activity_at,
            # What the learner would have been emailed about: the email tasks send nothing.
            "notified_status": self.status,
        }


ENROLMENT_FIELDS = [
    "course_id",
    "status",
    "application_answer",
    "created_at",
    "status_changed_at",
    "waitlisted_at",
    "activated_at",
    "completed_at",
    "decided_by_id",
    "decided_at",
    "decision_message",
    "last_activity_at",
    "notified_status",
]


@dataclass
class _Plan:
    today: date
    users: dict
    facilitator: object
    enrolments: list[_Enrolment] = field(default_factory=list)

    def add(self, cohort: Cohort, email: str, status: str, created_at: datetime, **fields):
        enrolment = _Enrolment(cohort, self.users[email], status, created_at, **fields)
        self.enrolments.append(enrolment)
        return enrolment


def _spread(lessons: list[LessonPage], first: datetime, last: datetime, n: int, seed: int):
    """The first ``n`` lessons completed at times spread from ``first`` to ``last``."""
    done = {}
    lessons = lessons[:n]
    for k, lesson in enumerate(lessons):
        if k == len(lessons) - 1:
            done[lesson.pk] = last
            continue
        share = k / max(len(lessons) - 1, 1)
        day = (first + (last - first) * share).date()
        done[lesson.pk] = at(day, 8 + (seed + 3 * k) % 10, (7 * seed + 13 * k) % 60)
    return done


def _required(lessons: list[LessonPage]) -> set[int]:
    return {lesson.pk for lesson in lessons if lesson.required_for_completion}


def _running(plan: _Plan, cohort: Cohort, lessons: list[LessonPage]) -> None:
    required = _required(lessons)
    start = cohort.start_date
    for i, (email, n, idle_days) in enumerate(RUNNING_LEARNERS):
        joined = at(start - timedelta(days=6 + (5 * i) % 27), 9 + i % 8, (11 * i) % 60)
        last = at(plan.today - timedelta(days=idle_days), 8 + (3 * i) % 10, (17 * i) % 60)
        done = _spread(lessons, at(start + timedelta(days=1), 9), last, n, i) if n else {}
        finished = bool(required) and required <= done.keys()
        completed_at = max(done[pk] for pk in required) if finished else None
        plan.add(
            cohort,
            email,
            Status.COMPLETED if finished else Status.ACTIVE,
            joined,
            activated_at=joined,
            completed_at=completed_at,
            status_changed_at=completed_at or joined,
            last_activity_at=last,
            completions=done,
        )
    for i, (email, n, days_ago) in enumerate(RUNNING_WITHDRAWN):
        joined = at(start - timedelta(days=12 + i), 10, 5)
        left = at(plan.today - timedelta(days=days_ago), 17, 40)
        done = _spread(lessons, at(start + timedelta(days=1), 9), left, n, i) if n else {}
        plan.add(
            cohort,
            email,
            Status.WITHDRAWN,
            joined,
            activated_at=joined,
            status_changed_at=left,
            last_activity_at=left,
            completions=done,
        )


def _finished(plan: _Plan, cohort: Cohort, lessons: list[LessonPage]) -> None:
    required = [lesson for lesson in lessons if lesson.required_for_completion]
    start = cohort.start_date
    first = at(start + timedelta(days=2), 9)
    for i, (email, everything) in enumerate(FINISHED_COMPLETED):
        joined = at(start - timedelta(days=8 + (7 * i) % 25), 9 + i % 7, (13 * i) % 60)
        last = at(start + timedelta(days=40 + (5 * i) % 28), 10 + i % 8, (19 * i) % 60)
        done = _spread(lessons if everything else required, first, last, len(lessons), i)
        completed_at = max(done[lesson.pk] for lesson in required) if required else last
        plan.add(
            cohort,
            email,
            Status.COMPLETED,
            joined,
            activated_at=joined,
            completed_at=completed_at,
            status_changed_at=completed_at,
            last_activity_at=last,
            completions=done,
        )
    for i, (email, n, day) in enumerate(FINISHED_WITHDRAWN):
        joined = at(start - timedelta(days=10 + 3 * i), 11, 20)
        left = at(start + timedelta(days=day), 16, 10)
        plan.add(
            cohort,
            email,
            Status.WITHDRAWN,
            joined,
            activated_at=joined,
            status_changed_at=left,
            last_activity_at=left,
            completions=_spread(lessons, first, left, n, i) if n else {},
        )


def _upcoming(plan: _Plan, cohort: Cohort, lessons: list[LessonPage]) -> None:
    for i, (email, days_ago, answer) in enumerate(APPLICANTS):
        applied = at(plan.today - timedelta(days=days_ago), 9 + (2 * i) % 9, (23 * i) % 60)
        plan.add(cohort, email, Status.APPLIED, applied, application_answer=answer)
    for i, (email, applied_days, decided_days, answer, message) in enumerate(APPROVED):
        applied = at(plan.today - timedelta(days=applied_days), 14, 5 + 10 * i)
        decided = at(plan.today - timedelta(days=decided_days), 11, 30 + i)
        plan.add(
            cohort,
            email,
            Status.ACTIVE,
            applied,
            application_answer=answer,
            activated_at=decided,
            status_changed_at=decided,
            last_activity_at=decided,
            decided_by=plan.facilitator,
            decided_at=decided,
            decision_message=message,
        )


def _open(plan: _Plan, cohort: Cohort, lessons: list[LessonPage]) -> None:
    for i, (email, days_ago) in enumerate(OPEN_PLACES):
        joined = at(plan.today - timedelta(days=days_ago), 12 + i % 6, (29 * i) % 60)
        plan.add(cohort, email, Status.ACTIVE, joined, activated_at=joined, last_activity_at=joined)


BUILDERS = {FINISHED: _finished, RUNNING: _running, UPCOMING: _upcoming, OPEN: _open}


def _sync_enrolments(summary: Summary, cohorts: list[Cohort], plan: _Plan) -> bool:
    """Bring the demo cohorts' enrolments and completions in line with ``plan``; True when
    anything changed."""
    changed = False
    existing = {(e.cohort_id, e.user_id): e for e in Enrolment.objects.filter(cohort__in=cohorts)}
    wanted = {(w.cohort.pk, w.user.pk): w for w in plan.enrolments}
    stray = [e.pk for key, e in existing.items() if key not in wanted]
    if stray:
        Enrolment.objects.filter(pk__in=stray).delete()
        summary.record("enrolments", UPDATED, f"{len(stray)} not in the demo data removed")
        changed = True

    # One live enrolment per person per course: withdraw a demo learner's live place on any
    # other cohort of the course before the demo's own is put back.
    live = {
        (w.user.pk, w.cohort.course_id)
        for w in plan.enrolments
        if w.status in Enrolment.LIVE_STATUSES
    }
    clashes = [
        e
        for e in Enrolment.objects.live()
        .filter(user_id__in={u for u, _ in live}, course_id__in={c for _, c in live})
        .exclude(cohort__in=cohorts)
        if (e.user_id, e.course_id) in live
    ]
    now = timezone.now()
    for enrolment in clashes:
        enrolment.status = Status.WITHDRAWN
        enrolment.status_changed_at = now
        enrolment.save(update_fields=["status", "status_changed_at"])
        summary.record("enrolments", UPDATED, f"{enrolment} withdrawn for the demo place")
        changed = True

    # Places that are not live first, so no moment holds two live places on one course.
    outcomes = {}
    for live_pass in (False, True):
        to_create, to_update = [], []
        for key, row in wanted.items():
            if (row.status in Enrolment.LIVE_STATUSES) != live_pass:
                continue
            fields = row.fields()
            enrolment = existing.get(key)
            if enrolment is None:
                to_create.append(Enrolment(cohort=row.cohort, user=row.user, **fields))
                outcomes[key] = CREATED
                continue
            outcomes[key] = UNCHANGED
            for name, value in fields.items():
                if getattr(enrolment, name) != value:
                    setattr(enrolment, name, value)
                    outcomes[key] = UPDATED
            if outcomes[key] == UPDATED:
                to_update.append(enrolment)
        Enrolment.objects.bulk_update(to_update, ENROLMENT_FIELDS, batch_size=200)
        Enrolment.objects.bulk_create(to_create, batch_size=200)

    ids = {
        (e["cohort_id"], e["user_id"]): e["pk"]
        for e in Enrolment.objects.filter(cohort__in=cohorts).values("pk", "cohort_id", "user_id")
    }
    current: dict[int, set] = {pk: set() for pk in ids.values()}
    for enrolment_id, lesson_id, completed_at in LessonCompletion.objects.filter(
        enrolment_id__in=ids.values()
    ).values_list("enrolment_id", "lesson_id", "completed_at"):
        current[enrolment_id].add((lesson_id, completed_at))
    redo = []
    for key, plan_row in wanted.items():
        enrolment_id = ids[key]
        if current[enrolment_id] != set(plan_row.completions.items()):
            redo.append(enrolment_id)
            if outcomes[key] == UNCHANGED:
                outcomes[key] = UPDATED
    if redo:
        LessonCompletion.objects.filter(enrolment_id__in=redo).delete()
        LessonCompletion.objects.bulk_create(
            [
                LessonCompletion(enrolment_id=ids[key], lesson_id=lesson_id, completed_at=when)
                for key, plan_row in wanted.items()
                if ids[key] in redo
                for lesson_id, when in plan_row.completions.items()
            ],
            batch_size=500,
        )

    for key, plan_row in wanted.items():
        summary.record("enrolments", outcomes[key], f"{plan_row.user.email} on {plan_row.cohort}")
        changed = changed or outcomes[key] != UNCHANGED
    return changed


def _sync_sessions(summary: Summary, cohort: Cohort, specs: list[SessionSpec], today) -> None:
    existing = {session.title: session for session in cohort.sessions.all()}
    for spec in specs:
        day = working_day(today + timedelta(days=spec.day))
        wanted = {
            "starts_at": at(day, *spec.starts),
            "ends_at": at(day, *spec.ends),
            "location": spec.location,
            "joining_url": spec.joining_url,
            "description": spec.description,
        }
        session = existing.get(spec.title)
        if session is None:
            session = live_session_save(
                session=LiveSession(cohort=cohort, title=spec.title, **wanted)
            )
            if spec.cancelled:
                live_session_cancel(session=session)
            summary.record("live sessions", CREATED, f"{spec.title} ({cohort})")
            continue
        differs = session.cancelled != spec.cancelled or any(
            getattr(session, name) != value for name, value in wanted.items()
        )
        if differs:
            for name, value in wanted.items():
                setattr(session, name, value)
            session.cancelled = spec.cancelled
            live_session_save(session=session)
        summary.record(
            "live sessions", UPDATED if differs else UNCHANGED, f"{spec.title} ({cohort})"
        )


def _sync_announcements(
    summary: Summary, cohort: Cohort, specs: list[AnnouncementSpec], today, author
) -> None:
    existing = {a.subject: a for a in cohort.announcements.all()}
    for spec in specs:
        created_at = at(today + timedelta(days=spec.day), *spec.at)
        wanted = {
            "body": spec.body,
            "author_id": author.pk,
            "created_at": created_at,
            # Shown as sent: the announcement task never emails the demo cohort.
            "emailed_at": created_at + timedelta(minutes=2),
        }
        announcement = existing.get(spec.subject)
        if announcement is None:
            Announcement.objects.create(cohort=cohort, subject=spec.subject, **wanted)
            outcome = CREATED
        else:
            outcome = UNCHANGED
            for name, value in wanted.items():
                if getattr(announcement, name) != value:
                    setattr(announcement, name, value)
                    outcome = UPDATED
            if outcome == UPDATED:
                announcement.save()
        summary.record("announcements", outcome, f"{spec.subject} ({cohort})")
