# ruff: noqa: RUF001 (typographic apostrophes and quotes are deliberate, as on GOV.UK)
"""The words of the demo home page and standard pages. Rich text is in Wagtail's database
format; links to other pages of the site are plain paths."""

from datetime import date

STATEMENT_DATE = date(2026, 11, 25)
STATEMENT_DATE_TEXT = "25 November 2026"


def heading(text: str) -> tuple[str, str]:
    return ("heading", text)


def text(*html: str) -> tuple[str, str]:
    """One rich-text block made of the given paragraphs and lists."""
    return ("paragraph", "".join(html))


def inset(html: str) -> tuple[str, dict]:
    return ("inset", {"text": html})


CONTACT_DETAILS = ("contact_details", None)


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# --- Home page ---------------------------------------------------------------------------------

HOME_PAGE = {
    "title": "Collaborative Leadership Academy",
    "slug": "home",
    "seo_title": "",
    "search_description": (
        "Learn to lead across organisational boundaries with managers from councils, the NHS, "
        "police, fire and rescue, jobcentres, housing and the voluntary sector."
    ),
    "hero_heading": "Lead together, for the places you serve",
    "hero_text": (
        "Courses, cross-sector peer groups and real place-based case studies for managers in "
        "councils, the NHS, police, fire and rescue, jobcentres, housing and the voluntary "
        "sector."
    ),
    "hero_cta_text": "",
    "introduction": (
        "<p>The Collaborative Leadership Academy is for public-sector managers who serve the "
        "same people as other organisations, but answer to a different board, budget and set "
        "of rules. You learn in a cohort with managers from across your area, work on a real "
        "problem you share with them, and meet regularly in a small peer group that mixes "
        "sectors.</p>"
    ),
    "why_heading": "Why the academy exists",
    "why_text": (
        "<p>People do not use public services one organisation at a time. A family at risk of "
        "losing their home might deal with the council, a housing association, the jobcentre, "
        "their GP and the police in the same month. Each of those organisations has its own "
        "budget, targets and paperwork, and none of them sees the whole picture.</p>"
        "<p>The Total Place pilots tested a simple idea: add up all the public money spent in "
        "one area and organise it around what local people need. They found that working apart "
        "wastes money and time:</p>"
        + bullets(
            "one pilot counted as many as 50 different benefits, each with its own form, rules "
            "and administrative machinery",
            "another worked out that it cost as much as £135 million to spend £176 million on "
            "economic development projects",
        )
        + "<p>In March 2010 the New Local Government Network (NLGN) set out what should follow "
        "Total Place. Its recommendations included:</p>"
        + bullets(
            "counting all the public resources in each area and mapping public assets, as a "
            "starting point for working together",
            "turning local partnerships into more focused Public Service Boards",
            "setting up a Collaborative Leadership Academy to develop leadership across the "
            "public sector",
        )
        + "<p>New structures and pooled budgets only change things for residents when the "
        "people running services trust each other and know how to lead beyond their own "
        "organisation. That is what this academy is for.</p>"
    ),
    "featured_heading": "Start here",
}


# --- Accessibility statement -------------------------------------------------------------------

ACCESSIBILITY = {
    "title": "Accessibility statement",
    "slug": "accessibility",
    "search_description": (
        "How accessible the Collaborative Leadership Academy website is, what does not work "
        "yet, and how to report an accessibility problem."
    ),
    "introduction": (
        "This statement applies to the Collaborative Leadership Academy website. It covers the "
        "public pages, your account and profile, courses and lessons, cohort and peer group "
        "pages, the facilitator area and certificate verification pages."
    ),
    "last_reviewed": STATEMENT_DATE,
    "body": [
        text(
            "<p>This website is run by the Collaborative Leadership Academy. We want as many "
            "people as possible to be able to use it. For example, you should be able to:</p>",
            bullets(
                "change colours, contrast levels and fonts using your browser or device settings",
                "zoom in up to 400% without the text spilling off the screen",
                "move around the whole website using just a keyboard",
                "move around most of the website using speech recognition software",
                "listen to most of the website using a screen reader, including recent versions "
                "of JAWS, NVDA and VoiceOver",
                "use the website with JavaScript turned off",
            ),
            "<p>We have also made the text as simple as possible to understand.</p>",
            '<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet has advice on making your '
            "device easier to use</a> if you have a disability.</p>",
        ),
        heading("How accessible this website is"),
        text(
            "<p>We know some parts of this website are not fully accessible:</p>",
            bullets(
                "certificates downloaded as PDF files are not tagged, so screen readers may not "
                "read them in a sensible order",
                "the content-management admin used by academy staff has not been fully tested "
                "and some of its editing tools may be hard to use with a keyboard or screen "
                "reader",
                "videos from other websites that appear in some lessons play in their own "
                "players, which we do not control",
            ),
        ),
        heading("Feedback and contact information"),
        text(
            "<p>If you need information on this website in a different format, such as an "
            "accessible PDF, large print, easy read, audio recording or braille, contact us:</p>"
        ),
        CONTACT_DETAILS,
        text("<p>We will consider your request and get back to you within 5 working days.</p>"),
        heading("Reporting accessibility problems with this website"),
        text(
            "<p>We are always looking to improve the accessibility of this website. If you find "
            "a problem that is not listed on this page, or you think we are not meeting "
            'accessibility requirements, <a href="/contact/">contact the academy team</a>. '
            "Tell us the address of the page, what you were trying to do, and the device, "
            "browser and any assistive technology you were using.</p>"
        ),
        heading("Enforcement procedure"),
        text(
            "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
            "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
            "Regulations 2018 (the ‘accessibility regulations’). If you are not happy with how "
            "we respond to your complaint, "
            '<a href="https://www.equalityadvisoryservice.com/">contact the Equality Advisory '
            "and Support Service (EASS)</a>.</p>",
            "<p>If you are in Northern Ireland and are not happy with how we respond to your "
            'complaint, <a href="https://www.equalityni.org/Home">contact the Equality '
            "Commission for Northern Ireland (ECNI)</a>.</p>",
        ),
        heading("Technical information about this website’s accessibility"),
        text(
            "<p>The Collaborative Leadership Academy is committed to making its website "
            "accessible, in accordance with the Public Sector Bodies (Websites and Mobile "
            "Applications) (No. 2) Accessibility Regulations 2018.</p>",
            "<h3>Compliance status</h3>",
            "<p>This website is partially compliant with the "
            '<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines '
            "version 2.2</a> AA standard, because of the non-compliances listed below.</p>",
        ),
        heading("Non-accessible content"),
        text(
            "<p>The content listed below is not accessible for the following reasons.</p>",
            "<h3>Non-compliance with the accessibility regulations</h3>",
            "<p>Certificate PDF files are not tagged. A screen reader may read the text out of "
            "order or miss the structure of the certificate. This fails WCAG 2.2 success "
            "criterion 1.3.1 (info and relationships) and 1.3.2 (meaningful sequence). Every "
            "certificate also has a verification web page with the same details, which is "
            "accessible. We plan to produce tagged PDF certificates by 30 June 2027.</p>",
            "<p>The content-management admin, where academy staff write and publish courses "
            "and case studies, is built on Wagtail, open-source software we do not develop "
            "ourselves. We have not yet tested it fully against WCAG 2.2 AA. Arranging content "
            "blocks, the rich text editor and the dialogues for choosing images and documents "
            "may be difficult to use with only a keyboard or with a screen reader. If you work "
            "with the academy and meet a barrier in the admin, tell us and we will make a "
            "reasonable adjustment, such as publishing content on your behalf. We will test "
            "the admin fully by 30 June 2027.</p>",
            "<h3>Content that’s not within the scope of the accessibility regulations</h3>",
            "<p>Some lessons include videos hosted on other websites, such as YouTube or Vimeo, "
            "shown in the provider’s own player. We do not fund, develop or control these "
            "players, and some of their controls may not work well with a keyboard or screen "
            "reader. Whenever a lesson includes a video, we publish a text transcript on the "
            "lesson page and make sure the video has captions.</p>",
        ),
        heading("How we tested this website"),
        text(
            "<p>We test the website automatically every time we change it:</p>",
            bullets(
                "axe-core, an accessibility testing engine, checks every type of page in a real "
                "Chromium browser, including the home page, course and lesson pages, case "
                "studies, account and profile pages, the facilitator area and certificate "
                "pages",
                "the main journeys, from signing up to applying for a cohort, completing a "
                "lesson, submitting an assignment and verifying a certificate, are run using "
                "only a keyboard",
                "the same journeys are run again with JavaScript turned off",
            ),
            "<p>Automated checks cannot find every kind of problem. We plan a manual audit by "
            "an accessibility specialist, including testing with screen readers and speech "
            "recognition software, by 30 June 2027.</p>",
        ),
        heading("What we’re doing to improve accessibility"),
        text(
            "<p>We fix any failure the automated checks find before a change goes live. We "
            "will update this statement when we fix the problems listed above, or find new "
            "ones.</p>"
        ),
        heading("Preparation of this accessibility statement"),
        text(
            f"<p>This statement was prepared on {STATEMENT_DATE_TEXT}. It was last reviewed "
            f"on {STATEMENT_DATE_TEXT}.</p>",
            f"<p>This website was last tested on {STATEMENT_DATE_TEXT}. The tests were carried "
            "out by the academy’s own team, using the automated checks described above.</p>",
        ),
    ],
}


# --- Privacy notice ----------------------------------------------------------------------------

PRIVACY = {
    "title": "Privacy notice",
    "slug": "privacy",
    "search_description": (
        "What personal data the Collaborative Leadership Academy holds about you, why, who can "
        "see it, how long we keep it and your rights."
    ),
    "introduction": (
        "This notice explains what personal data the Collaborative Leadership Academy holds "
        "about you when you use this website, why we hold it, who can see it, how long we keep "
        "it and what your rights are."
    ),
    "last_reviewed": STATEMENT_DATE,
    "body": [
        heading("Who we are"),
        text(
            "<p>The Collaborative Leadership Academy runs this website and the courses, cohorts "
            "and peer groups on it. We are the data controller for the personal data described "
            "in this notice: we decide why and how it is used.</p>",
            "<p>You can contact us, including our data protection officer, at:</p>",
        ),
        CONTACT_DETAILS,
        text(
            "<p>Write ‘Data protection’ at the start of the subject line so that your message "
            "reaches the right person.</p>"
        ),
        heading("What personal data we hold"),
        text(
            bullets(
                "<b>Your account</b>: your email address, your password (stored only in a "
                "scrambled form that cannot be turned back into the password), whether you have "
                "confirmed your email address, and any two-factor authentication you set up",
                "<b>Your profile</b>: your name and job title",
                "<b>Where you work</b>: your organisation, the part of the public sector it "
                "belongs to (your sector), and the place you serve",
                "<b>Your learning records</b>: the cohorts you apply to and join, the lessons "
                "you complete, your assignments and quiz answers, the feedback and marks you "
                "receive, your attendance at live sessions, what you post in your peer group "
                "space, meeting notes and the commitments you record, and the certificates we "
                "issue to you",
                "<b>Your preferences</b>: which emails and reminders you want to receive",
            ),
            "<p>We do not ask for special category data, such as information about your health, "
            "ethnicity or religion. Please leave it out of assignments and peer group posts "
            "unless you are comfortable sharing it.</p>",
            "<p>We use only the cookies needed to keep you signed in and to protect forms from "
            "misuse. We do not use analytics or advertising cookies.</p>",
        ),
        heading("Why we use your data and our lawful basis"),
        text(
            "<p>We use your personal data to:</p>",
            bullets(
                "give you an account and keep it secure",
                "consider your applications and place you in cohorts",
                "form peer groups that mix people from different sectors and organisations",
                "show you and your facilitators your progress, and mark and give feedback on "
                "your work",
                "remind you about lessons, live sessions and deadlines",
                "issue certificates and let anyone you share them with check that they are genuine",
                "report on how well our courses work, using totals that do not identify you",
            ),
            "<p>Our lawful basis is that this is necessary for a task carried out in the public "
            "interest: developing leadership across public services (UK GDPR Article 6(1)(e)). "
            "Where we send you optional emails, we rely on your consent, which you can withdraw "
            'at any time by <a href="/contact/">contacting us</a>.</p>',
        ),
        heading("Who can see your data"),
        text(
            bullets(
                "<b>Facilitators of your cohorts</b> can see your profile, your applications, "
                "your progress, your submissions and marks, and your attendance. They cannot see "
                "what your peer group posts in its private space.",
                "<b>Members of your peer group</b> can see your name, job title, organisation, "
                "sector and place, and what you post in the group space.",
                "<b>Programme managers</b> see reports across cohorts so they can plan and "
                "improve courses.",
                "<b>Anyone you give a certificate link to</b> can see your name, the course, "
                "and the date the certificate was issued, so they can check it is genuine.",
                "<b>Companies that run parts of the service for us</b>, such as hosting and "
                "email delivery, process data only on our instructions.",
            ),
            "<p>We do not sell your data, use it for marketing, or send your learning records "
            "to your employer.</p>",
        ),
        heading("How long we keep your data"),
        text(
            "<p>We keep your account, profile and learning records while your account is "
            "open, so you can go back to your courses and certificates.</p>",
            "<p>When you delete your account, we delete your personal data straight away. We "
            "keep only anonymised totals, such as how many people completed a course, which "
            "cannot be linked back to you. Copies in our backups are removed as those backups "
            "expire.</p>",
        ),
        heading("Your rights"),
        text(
            "<p>You have the right to:</p>",
            bullets(
                "get a copy of the personal data we hold about you",
                "have data corrected if it is wrong or incomplete",
                "have your data deleted",
                "ask us to limit how we use your data",
                "object to how we use your data",
                "receive your data in a format you can take to another service",
                "withdraw your consent to optional emails at any time",
            ),
        ),
        heading("Download your data or delete your account"),
        text(
            '<p>Go to <a href="/profile/data/">your data</a> to download everything we hold '
            "about you as a single file, or to delete your account. You need to be signed "
            "in.</p>",
            '<p>You can correct your name, job title, organisation, sector and place on <a href="'
            '/profile/">your profile</a> at any time.</p>',
        ),
        heading("How to complain"),
        text(
            "<p>If you are unhappy with how we have used your data, contact us first using the "
            "details above and we will try to put things right.</p>",
            "<p>You can also complain to the Information Commissioner’s Office (ICO):</p>",
        ),
        inset(
            "<p>Information Commissioner’s Office<br/>Wycliffe House<br/>Water Lane<br/>"
            "Wilmslow<br/>Cheshire<br/>SK9 5AF</p>"
            "<p>Helpline: 0303 123 1113<br/>"
            '<a href="https://ico.org.uk/make-a-complaint/">Make a complaint on the ICO '
            "website</a></p>"
        ),
        heading("Changes to this notice"),
        text(
            "<p>We will update this notice when we change how we use personal data, and tell "
            f"you by email about any important change. It was last updated on "
            f"{STATEMENT_DATE_TEXT}.</p>"
        ),
    ],
}


# --- Contact -----------------------------------------------------------------------------------

CONTACT = {
    "title": "Contact",
    "slug": "contact",
    "search_description": (
        "How to contact the Collaborative Leadership Academy team about courses, cohorts, your "
        "account or this website."
    ),
    "introduction": (
        "Contact the academy team about our courses and cohorts, your account, your data or "
        "problems using this website."
    ),
    "last_reviewed": STATEMENT_DATE,
    "body": [
        heading("Email or phone the academy team"),
        CONTACT_DETAILS,
        inset("<p>We aim to reply to emails within 5 working days.</p>"),
        heading("Questions about a course or cohort"),
        text(
            "<p>If you are already in a cohort, your facilitator is usually the quickest person "
            "to ask: they can answer questions about sessions, assignments and deadlines.</p>",
            "<p>For anything else about a course, such as who it is for, when the next cohort "
            "starts or how places are offered, email us with the name of the course in the "
            "subject line.</p>",
        ),
        heading("Bring a cohort to your area"),
        text(
            "<p>If you lead a council, NHS organisation, police force, fire and rescue service "
            "or local partnership and want to run a cohort for managers across your place, "
            "email us with ‘Place cohort’ in the subject line. Tell us which organisations "
            "you would like to take part and roughly how many managers.</p>"
        ),
        heading("Your account and your data"),
        text(
            '<p>You can change your details on <a href="/profile/">your profile</a>. To download '
            'your data or delete your account, go to <a href="/profile/data/">your data</a>. '
            'The <a href="/privacy/">privacy notice</a> explains how we use personal data.</p>'
        ),
        heading("Problems using this website"),
        text(
            "<p>Tell us the address of the page, what you were trying to do and what went "
            "wrong. If the problem is about accessibility, the "
            '<a href="/accessibility/">accessibility statement</a> explains what we already '
            "know about and how we respond.</p>"
        ),
    ],
}

STANDARD_PAGES = [ACCESSIBILITY, PRIVACY, CONTACT]

# Filled in on the site's academy settings when they are still blank. The number is in the
# range Ofcom keeps for drama and demonstrations, so it never reaches a real person.
DEMO_CONTACT_PHONE = "020 7946 0000"
DEMO_CONTACT_PHONE_HOURS = "Monday to Friday, 9am to 5pm (except bank holidays)"
