"""The demo course catalogue at /courses/: four courses, each of three modules of three or four
lessons, written for the academy's learners. Figures from NLGN's March 2010 report on Total
Place ("Greater than the sum of its parts") are named as such; everything else is teaching
text.

Lessons link to case studies by slug, so ``load_case_studies`` runs first."""

from academy.models import Sector
from courses.models import CaseStudyPage, CourseIndexPage, CoursePage, LessonPage, ModulePage

from . import Summary
from .case_studies import paras, raw_stream, upsert_page
from .images import demo_image

INDEX_PAGE = {
    "title": "Courses",
    "slug": "courses",
    "introduction": (
        "Courses for public-sector managers who want to work better with the other "
        "organisations that serve their place. You learn in a cohort with people from councils, "
        "the NHS, police, fire and rescue, jobcentres, housing and the voluntary sector."
    ),
    "search_description": (
        "Find a course on leading across organisations, counting public resources, "
        "redesigning services around people, and pooled budgets. Filter by sector and theme."
    ),
}

SECTORS_BUT_EDUCATION = [
    "local-government",
    "nhs-and-health",
    "police-and-justice",
    "fire-and-rescue",
    "central-government",
    "housing",
    "voluntary-and-community",
]

ALL_SECTORS = [
    "local-government",
    "nhs-and-health",
    "police-and-justice",
    "fire-and-rescue",
    "central-government",
    "education",
    "housing",
    "voluntary-and-community",
]


# --- Building blocks ---------------------------------------------------------------------------


def h2(text: str) -> tuple:
    return ("heading", {"text": text, "level": "h2"})


def h3(text: str) -> tuple:
    return ("heading", {"text": text, "level": "h3"})


def p(*texts: str) -> tuple:
    return ("paragraph", paras(*texts))


def note(*texts: str) -> tuple:
    return ("callout", {"style": "inset", "text": paras(*texts)})


def warning(*texts: str) -> tuple:
    return ("callout", {"style": "warning", "text": paras(*texts)})


def reflect(question: str, guidance: str = "") -> tuple:
    return ("reflection", {"question": question, "guidance": guidance})


def quote(text: str, attribution: str) -> tuple:
    return ("quote", {"quote": text, "attribution": attribution})


def details(summary: str, *texts: str) -> tuple:
    return ("details", {"summary": summary, "text": paras(*texts)})


def table(caption: str, header: list[str], *rows: list[str]) -> tuple:
    return (
        "table",
        {
            "caption": caption,
            "table": {
                "data": [list(header), *(list(row) for row in rows)],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
            },
        },
    )


def case(slug: str, why: str) -> tuple:
    """A link to the case study with ``slug``; the page id is filled in when loading."""
    return ("case_study", {"case_study": slug, "why": why})


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def steps(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def lesson(slug, title, minutes, description, *body, required=True) -> dict:
    return {
        "slug": slug,
        "title": title,
        "estimated_minutes": minutes,
        "search_description": description,
        "required_for_completion": required,
        "body": list(body),
    }


def module(slug, title, introduction, *lessons) -> dict:
    return {"slug": slug, "title": title, "introduction": introduction, "lessons": list(lessons)}


# --- Loading -----------------------------------------------------------------------------------


def load_courses(summary: Summary, home_page, themes: dict, places: dict) -> list[CoursePage]:
    """The catalogue at /courses/ and every demo course with its modules and lessons, in a
    fixed order. ``themes`` is what ``load_themes`` returns. ``places`` (from ``load_places``)
    is accepted for symmetry with ``load_case_studies``; courses are not tied to a place."""
    index_page = upsert_page(summary, home_page, CourseIndexPage, dict(INDEX_PAGE))
    if index_page is None:
        return []
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    case_ids = dict(CaseStudyPage.objects.values_list("slug", "pk"))
    courses = []
    for spec in COURSES:
        image_title, *colours = spec["image"]
        fields = {
            "title": spec["title"],
            "slug": spec["slug"],
            "search_description": spec["search_description"],
            "summary": spec["summary"],
            "description": spec["description"],
            "who_it_is_for": spec["who_it_is_for"],
            "effort_hours": spec["effort_hours"],
            "length_weeks": spec["length_weeks"],
            "level": spec["level"],
            "format": spec["format"],
            "hero_image_id": demo_image(image_title, *colours, summary=summary).pk,
            "hero_image_alt": spec["hero_image_alt"],
        }
        course = upsert_page(
            summary,
            index_page,
            CoursePage,
            fields,
            streams={
                "learning_outcomes": raw_stream([("outcome", text) for text in spec["outcomes"]])
            },
            relations={
                "sectors": [sectors[slug] for slug in spec["sectors"]],
                "themes": [themes[slug] for slug in spec["themes"]],
            },
            kind="courses",
        )
        if course is None:
            continue
        courses.append(course)
        for module_spec in spec["modules"]:
            _load_module(summary, course, module_spec, case_ids)
    return courses


def _load_module(summary: Summary, course: CoursePage, spec: dict, case_ids: dict) -> None:
    fields = {
        "title": spec["title"],
        "slug": spec["slug"],
        "introduction": paras(spec["introduction"]),
        "search_description": spec["introduction"],
    }
    module_page = upsert_page(summary, course, ModulePage, fields, kind="modules")
    if module_page is None:
        return
    for lesson_spec in spec["lessons"]:
        fields = {
            key: lesson_spec[key]
            for key in (
                "title",
                "slug",
                "search_description",
                "estimated_minutes",
                "required_for_completion",
            )
        }
        body = _link_case_studies(summary, lesson_spec["body"], case_ids)
        upsert_page(
            summary,
            module_page,
            LessonPage,
            fields,
            streams={"body": raw_stream(body)},
            kind="lessons",
        )


def _link_case_studies(summary: Summary, body: list[tuple], case_ids: dict) -> list[tuple]:
    """Swap case-study slugs for page ids; leave out (with a warning) any link to a case study
    that is not there."""
    linked = []
    for block_type, value in body:
        if block_type == "case_study":
            page_id = case_ids.get(value["case_study"])
            if page_id is None:
                summary.warn(
                    f"No case study “{value['case_study']}”: load case studies before courses."
                )
                continue
            value = {**value, "case_study": page_id}
        linked.append((block_type, value))
    return linked


# --- The courses -------------------------------------------------------------------------------

LEADING_ACROSS_BOUNDARIES = {
    "slug": "leading-across-organisational-boundaries",
    "title": "Leading across organisational boundaries",
    "summary": (
        "Learn to lead where no single organisation is in charge: build trust, a shared purpose "
        "and practical ways of working with partners who serve the same people as you."
    ),
    "search_description": (
        "A foundation course for public-sector managers on leading with partners from other "
        "organisations: influence, trust, conflict and shared governance."
    ),
    "description": paras(
        "Most of the problems that matter in a place, such as homelessness, poor health, "
        "crime and worklessness, cannot be solved by one organisation. Yet most managers are "
        "trained, measured and rewarded for running their own service well.",
        "This course helps you lead beyond the edge of your own organisation. You will look at "
        "why services in a place pull in different directions, practise leading through "
        "influence rather than authority, and work with a peer group from other sectors on a "
        "real problem you share.",
        "You finish with a collaboration plan you can put to your partners.",
    ),
    "outcomes": [
        "Explain why public services in one place are fragmented, and what that costs "
        "residents and the public purse.",
        "Map the organisations, budgets and lines of accountability around a problem you share "
        "with partners.",
        "Use influence rather than authority to build agreement across organisations.",
        "Build trust with partners and work through disagreement constructively.",
        "Design simple governance for a partnership that helps it decide and act.",
        "Write a practical collaboration plan for a real problem in your place.",
    ],
    "who_it_is_for": paras(
        "Managers in any part of the public or voluntary sector who work with other "
        "organisations, from team leaders to heads of service. You do not need any previous "
        "leadership training.",
        "The course works best if you join with at least one colleague from a partner "
        "organisation in your area, so that you can work on the same problem.",
    ),
    "effort_hours": 18,
    "length_weeks": 6,
    "level": CoursePage.Level.FOUNDATION,
    "format": CoursePage.Format.BLENDED,
    "sectors": ALL_SECTORS,
    "themes": ["systems-leadership", "place-based-working"],
    "image": ("Course hero: leading across boundaries", "#12355b", "#2a9d8f", "#e9c46a", "#f4a261"),
    "hero_image_alt": (
        "Abstract illustration: teal, yellow and orange circles overlapping on a deep blue "
        "background, suggesting separate organisations coming together."
    ),
    "modules": [
        module(
            "why-boundaries-matter",
            "Why boundaries matter",
            "Why public services in one place so often work apart, what that costs the people "
            "who use them, and what the Total Place pilots of 2009 to 2010 revealed.",
            lesson(
                "the-same-people-many-organisations",
                "The same people, many organisations",
                20,
                "How one household meets many public services, and why none of them sees the "
                "whole picture.",
                h2("One household, many services"),
                p(
                    "Think of a family where the father has lost his job, the rent is falling "
                    "behind and the eldest child has stopped going to school. In one month they "
                    "might deal with the jobcentre, the council's benefits team, their housing "
                    "association, the school, a GP and perhaps the police after a neighbour "
                    "dispute.",
                    "Each of those organisations does its own job properly. Each records its own "
                    "information, applies its own rules and measures its own results. But none "
                    "of them is responsible for the family as a whole, and none sees how its "
                    "actions affect what the others are trying to do.",
                ),
                h2("Why organisations work apart"),
                p(
                    "Public services are organised around what the state does, not around the "
                    "people it serves. Money flows down from different government departments. "
                    "Each organisation answers to a different board, regulator or elected body. "
                    "Performance targets reward each one for its own outputs.",
                    "None of this is anyone's fault. It is the result of sensible decisions made "
                    "one at a time. But together these decisions create a system in which "
                    "working with other organisations is extra effort that nobody is paid or "
                    "thanked for.",
                ),
                note(
                    "In this course, <strong>place</strong> means a geography that several "
                    "public services share: a neighbourhood, a town, a council area or a wider "
                    "city region. <strong>Partners</strong> means the organisations that serve "
                    "the people who live there."
                ),
                h2("What fragmentation costs"),
                p(
                    "Working apart has costs for residents: repeating their story, filling in "
                    "the same details on different forms, and falling through gaps between "
                    "services. It also has costs for the public purse: duplicated assessments, "
                    "buildings and back offices, and problems that grow expensive because "
                    "nobody acted early.",
                    "Later in this module you will see figures from the Total Place pilots that "
                    "put a price on some of these costs.",
                ),
                quote(
                    "Every service had a file on that family. Not one of us had the whole story.",
                    "Head of early help, metropolitan council",
                ),
                reflect(
                    "Think of one person or family you or your team have worked with recently. "
                    "Which other public services were involved with them at the same time?",
                    "List the organisations and what each was trying to achieve. Bring the list "
                    "to your first peer group meeting.",
                ),
            ),
            lesson(
                "how-each-organisation-sees-a-place",
                "How each organisation sees a place",
                25,
                "Budgets, accountability, targets and timescales: why partners see the same "
                "place so differently.",
                h2("Different lenses on the same streets"),
                p(
                    "Ask a council, a hospital trust, a police force and a jobcentre to describe "
                    "the same town and you will hear four different stories. Each sees the "
                    "people and problems its own service deals with. Each uses its own "
                    "boundaries: wards, GP practice lists, policing neighbourhoods, jobcentre "
                    "districts.",
                    "Understanding how partners see a place is the first step to working with "
                    "them. It helps you understand what they can and cannot agree to, and why.",
                ),
                table(
                    "How four partners in one place typically differ",
                    ["", "Main source of money", "Answers to", "Measured on", "Planning horizon"],
                    [
                        "Council",
                        "Council tax, business rates, government grants",
                        "Elected councillors",
                        "Statutory duties, budget balance, resident satisfaction",
                        "One year budget, four-year political cycle",
                    ],
                    [
                        "NHS trust",
                        "NHS England through the integrated care board",
                        "Trust board, regulators",
                        "Waiting times, quality and safety standards",
                        "One year contracts, five-year plans",
                    ],
                    [
                        "Police",
                        "Home Office grant and council tax precept",
                        "Police and crime commissioner or mayor",
                        "Crime, public confidence, response times",
                        "Annual policing plan",
                    ],
                    [
                        "Jobcentre",
                        "Department for Work and Pensions",
                        "Ministers, through the department",
                        "People moving into work, benefit accuracy",
                        "National programmes, often short term",
                    ],
                ),
                p(
                    "Look at the table and notice how rarely the columns line up. Budgets are "
                    "set at different times of year. Success is defined in different terms. "
                    "Some leaders answer to local voters, others to national ministers.",
                ),
                h2("What this means for you as a leader"),
                p(
                    "When a partner says no, or seems slow, the reason often lies in this "
                    "table rather than in the person across the table. They may not have "
                    "authority to commit money mid-year. Their regulator may judge them on a "
                    "measure your proposal would make worse. They may need approval from a "
                    "department in London.",
                    "Good collaborative leaders learn these constraints and design around them. "
                    "They ask partners what would make a proposal possible for them, not just "
                    "whether they agree with it.",
                ),
                details(
                    "Why do boundaries not match?",
                    "Boundaries were drawn at different times for different purposes. Police "
                    "force areas mostly follow counties. Integrated care systems follow patient "
                    "flows to hospitals. Council areas follow local government reorganisations. "
                    "Few places have boundaries that all partners share.",
                ),
                reflect(
                    "Pick one partner you work with. What is the one measure they are judged on "
                    "that most affects how they respond to you?",
                    "If you do not know, that is your first conversation to have.",
                ),
            ),
            lesson(
                "lessons-from-total-place",
                "Lessons from Total Place",
                25,
                "What the Total Place pilots of 2009 to 2010 found when they counted all the "
                "public money spent in an area.",
                h2("What Total Place was"),
                p(
                    "In 2009 the government asked a group of pilot areas in England to look at "
                    "all the public money spent in their place, by every organisation, and ask "
                    "how it could be used better. The programme was called Total Place. Councils, "
                    "health bodies, police, jobcentres and others worked together to follow the "
                    "money around particular themes, such as services for older people, drugs "
                    "and alcohol, or children in their early years.",
                ),
                h2("What the pilots found"),
                p(
                    "The pilots found striking waste caused by organisations working apart. In "
                    "March 2010 the New Local Government Network (NLGN) published a report on "
                    "Total Place called <em>Greater than the sum of its parts</em>. It "
                    "highlighted two findings:",
                    bullets(
                        "one pilot uncovered as many as 50 different benefits, each with its own "
                        "form, rules and administrative machinery",
                        "another estimated that it cost as much as £135m to spend £176m on "
                        "economic development projects",
                    ),
                    "The second figure means that for every £100 spent on projects, up to about "
                    "£77 went on the cost of bidding for, managing and accounting for the "
                    "money.",
                ),
                note(
                    "The report argued that local partners could only go so far on their own. "
                    "It called for change in central government too, including devolving more "
                    "money and decisions to places, and setting up a Collaborative Leadership "
                    "Academy to develop leadership across the public sector."
                ),
                h2("Why it still matters"),
                p(
                    "Total Place ended with the change of government in 2010, but its ideas "
                    "did not. Community budgets, devolution deals, integrated care systems and "
                    "pooled health and care budgets all build on the same insight: that public "
                    "money in a place works better when partners plan it together.",
                    "The barriers the pilots found are also still familiar: separate funding "
                    "streams, separate targets and separate lines of accountability.",
                ),
                case(
                    "one-front-door-for-financial-help",
                    "Partners repeat the benefits count for their own residents.",
                ),
                case(
                    "what-it-costs-to-spend-regeneration-money",
                    "Partners count the cost of administering regeneration funds.",
                ),
                reflect(
                    "If partners in your place added up the cost of administering one type of "
                    "funding or support, which would you choose, and what do you think they "
                    "would find?",
                ),
            ),
        ),
        module(
            "leading-when-nobody-is-in-charge",
            "Leading when nobody is in charge",
            "How to lead through influence rather than authority, build trust between "
            "organisations, and work through the conflicts that collaboration brings.",
            lesson(
                "from-authority-to-influence",
                "From authority to influence",
                25,
                "Why line management does not work across organisations, and the sources of "
                "influence that do.",
                h2("You cannot instruct a partner"),
                p(
                    "Inside your own organisation you can usually rely on some authority: your "
                    "job title, your budget, the policies you enforce. Across organisations that "
                    "authority disappears. The police inspector cannot instruct the housing "
                    "manager. The GP practice manager cannot set the council's priorities.",
                    "Leaders who try to use authority with partners usually get polite "
                    "agreement in meetings and little change afterwards. Influence works "
                    "differently: people act because they want to, not because they must.",
                ),
                h2("Where influence comes from"),
                p(
                    "Research on leadership in partnerships points to several sources of "
                    "influence that do not depend on position:",
                    bullets(
                        "<strong>Purpose</strong>: a clear account of the problem that partners "
                        "recognise and care about",
                        "<strong>Knowledge</strong>: evidence and insight that others do not "
                        "have, shared generously",
                        "<strong>Relationships</strong>: a record of keeping your word and "
                        "helping others succeed",
                        "<strong>Resources</strong>: staff time, buildings or money you can "
                        "offer, even in small amounts",
                        "<strong>Convening</strong>: the ability to bring the right people into "
                        "one room",
                    ),
                ),
                h2("Giving before asking"),
                p(
                    "A practical rule in partnership work is to offer something before you ask "
                    "for something. Sharing your data first, lending an analyst or hosting a "
                    "meeting shows that you are serious and lowers the risk for others.",
                    "Influence also depends on understanding what partners need. A proposal "
                    "that helps a partner meet one of their own targets is far more likely to "
                    "succeed than one that asks them to act purely for the common good.",
                ),
                quote(
                    "I stopped asking what I needed from the health service, and started "
                    "asking what they were struggling with. The conversation changed "
                    "overnight.",
                    "Assistant director, adult social care",
                ),
                h2("Influence upwards, too"),
                p(
                    (
                        "Influence across boundaries often depends on influence within your own "
                        "organisation. Partners will trust your commitments only if your own "
                        "leaders back them, so keep senior colleagues informed and involved as "
                        "the work develops."
                    ),
                ),
                reflect(
                    "Which of the five sources of influence do you rely on most, and which do "
                    "you use least?",
                    "Think of one way you could use your least-used source in the next month.",
                ),
            ),
            lesson(
                "building-trust-between-partners",
                "Building trust between partners",
                25,
                "What trust between organisations is made of, and small, practical ways to "
                "build it.",
                h2("Trust is built in small steps"),
                p(
                    "Partners rarely start with much trust. They may have competed for the same "
                    "funding, blamed each other for past failures, or simply never met. Trust "
                    "grows when people take small risks with each other and see them "
                    "rewarded.",
                    "That is why successful partnerships often start with a modest, shared piece "
                    "of work rather than a grand strategy. A joint case review, a shared "
                    "dataset or one jointly run clinic can do more for trust than a year of "
                    "meetings.",
                ),
                h2("Three kinds of trust"),
                p(
                    bullets(
                        "<strong>Trust in competence</strong>: believing that a partner can do "
                        "what they say",
                        "<strong>Trust in intentions</strong>: believing that they are acting "
                        "in good faith, not just for their own organisation",
                        "<strong>Trust in reliability</strong>: believing that they will follow "
                        "through, even when it becomes difficult",
                    ),
                    "Each is built differently. Competence is shown through good work. Good "
                    "intentions are shown through openness, for example by sharing bad news "
                    "early. Reliability is shown by doing what you said, every time.",
                ),
                warning(
                    "Trust takes months to build and minutes to lose. The most common way to "
                    "lose it is to announce a decision that affects partners without telling "
                    "them first."
                ),
                h2("Practical habits"),
                p(
                    steps(
                        "Meet in each other's buildings, not always your own.",
                        "Share information before you are asked for it.",
                        "Give credit to partners in public, especially to senior leaders.",
                        "When something goes wrong, say so quickly and say what you will do.",
                        "Keep a simple record of what each partner agreed to do, and review it "
                        "together.",
                    ),
                ),
                case(
                    "frequent-callers-to-emergency-services",
                    "Emergency services build trust by comparing their lists.",
                ),
                h2("When trust is low"),
                p(
                    (
                        "Where relationships have broken down, an independent facilitator can "
                        "help partners talk about what went wrong without reopening old "
                        "arguments. Another option is to start with work where the risks are low "
                        "for everyone, such as a shared training session for front-line staff, "
                        "and let confidence build from there."
                    ),
                ),
                reflect(
                    "Think of a partner you find difficult to work with. Which kind of trust "
                    "is missing: competence, intentions or reliability?",
                    "Note one small action that could start to rebuild it.",
                ),
            ),
            lesson(
                "working-through-conflict",
                "Working through conflict",
                25,
                "Why conflict between partners is normal, and how to use it to reach better "
                "decisions.",
                h2("Conflict is a sign of real work"),
                p(
                    "When partners start to discuss real money, real staff and real risks, "
                    "disagreement is normal. A partnership where nobody ever disagrees is "
                    "usually one that is not deciding anything important.",
                    "The task for leaders is not to avoid conflict but to make it productive: "
                    "to bring differences into the open, understand what lies beneath them and "
                    "find options that work for more than one partner.",
                ),
                h2("Positions and interests"),
                p(
                    "A position is what someone says they want: 'We cannot put any money into "
                    "a shared budget.' An interest is why they want it: 'Our board has told us "
                    "to cut spending by 5% this year and any new commitment will be "
                    "questioned.'",
                    "Positions often clash when interests do not. In this example, a pooled "
                    "budget that is phased in, or funded from money the partner is already "
                    "spending on the same people, might meet both the partnership's needs and "
                    "the partner's interest.",
                ),
                details(
                    "Questions that uncover interests",
                    bullets(
                        "What would need to be true for you to agree to this?",
                        "Who else in your organisation will ask about this, and what will they "
                        "want to know?",
                        "What is the worst thing that could happen to you if this goes ahead?",
                        "What would success look like for your organisation?",
                    ),
                ),
                h2("When conflict is about power"),
                p(
                    "Some conflicts are not about interests but about power: who is seen to "
                    "lead, whose name is on the work, who controls the money. Larger partners "
                    "can dominate without meaning to, and voluntary sector partners often feel "
                    "they are consulted rather than included.",
                    "Sharing the chair, rotating where meetings happen and giving smaller "
                    "partners real decisions are simple ways to rebalance power.",
                ),
                reflect(
                    "Recall a recent disagreement with a partner. What was their position, and "
                    "what do you think their underlying interest was?",
                    "If you are unsure about their interest, plan a question you could ask them.",
                ),
            ),
        ),
        module(
            "making-collaboration-last",
            "Making collaboration last",
            "How to agree a shared purpose, set up governance that helps rather than hinders, "
            "and write a practical plan for working with your partners.",
            lesson(
                "agreeing-a-shared-purpose",
                "Agreeing a shared purpose",
                20,
                "How partners move from separate goals to a purpose they can all act on.",
                h2("Why purpose comes first"),
                p(
                    "Partnerships often start with structures: a board, terms of reference, a "
                    "work plan. But without a purpose that every partner cares about, the "
                    "structure has nothing to hold together.",
                    "A good shared purpose is specific enough to act on and broad enough that "
                    "every partner can see their own goals in it. 'Improve outcomes for "
                    "residents' is too vague. 'Halve the number of families evicted for rent "
                    "arrears in three years' gives every partner a clear part to play.",
                ),
                h2("Start from the resident's side"),
                p(
                    "The quickest way to a shared purpose is often to describe the problem as "
                    "residents experience it. Organisations disagree about whose job something "
                    "is, but rarely about what a family in crisis goes through.",
                    "Some partnerships bring residents into the room to tell their story. "
                    "Others follow a few real cases through every service, with consent, and "
                    "map what happened.",
                ),
                note(
                    "Test your purpose by asking each partner: 'What would your organisation do "
                    "differently next month because of this?' If nobody can answer, the purpose "
                    "is not yet specific enough."
                ),
                quote(
                    "Once we agreed we were all there for the same 600 families, the arguments "
                    "about whose budget it was got much shorter.",
                    "Director of children's services, unitary council",
                ),
                h2("Keeping the purpose alive"),
                p(
                    (
                        "A shared purpose is easy to agree in a workshop and easy to forget a "
                        "month later. Keep it alive by opening every partnership meeting with it, "
                        "by checking proposals against it and by reporting progress towards it in "
                        "the same terms every time."
                    ),
                    (
                        "When new leaders join a partner organisation, take time to explain the "
                        "purpose and how it was agreed. A purpose that only the original group "
                        "understands will not survive changes of personnel."
                    ),
                    (
                        "Revisit the purpose once a year. Needs change, and a purpose that fitted "
                        "the place three years ago may no longer be the most important shared "
                        "problem."
                    ),
                ),
                reflect(
                    "Write a one-sentence shared purpose for a problem you share with partners. "
                    "Is it specific enough that each partner would act differently because of "
                    "it?",
                ),
            ),
            lesson(
                "governance-that-helps",
                "Governance that helps",
                25,
                "How to set up partnership boards and agreements that make decisions rather "
                "than just receive reports.",
                h2("What governance is for"),
                p(
                    "Governance answers three questions: who decides, how decisions are held to "
                    "account, and how partners resolve disagreement. Good partnership "
                    "governance makes it easier to act together. Poor governance adds a layer "
                    "of meetings that slows everything down.",
                    "Many local partnerships grew large and inclusive, with dozens of members "
                    "and long agendas of updates. In 2010 NLGN recommended moving from loose "
                    "Local Strategic Partnerships towards more focused, statutory Public "
                    "Service Boards able to take decisions. The same tension exists today in "
                    "health and wellbeing boards, community safety partnerships and integrated "
                    "care partnerships.",
                ),
                h2("Signs of governance that helps"),
                p(
                    bullets(
                        "Members can commit their organisation, or know exactly who can.",
                        "Agendas are mostly decisions, not updates.",
                        "There are few priorities, each with a named lead and a measure.",
                        "Decisions and results are published.",
                        "There is an agreed way to settle disagreements.",
                    ),
                ),
                case(
                    "a-public-service-board-for-one-borough",
                    "A borough replaces a large partnership with a small decision-making board.",
                ),
                details(
                    "Light-touch options before a formal board",
                    "Not every collaboration needs a board. A memorandum of understanding, a "
                    "lead partner agreement or a named senior sponsor in each organisation may "
                    "be enough for a small, time-limited piece of work.",
                ),
                h2("Reviewing your governance"),
                p(
                    (
                        "Governance should change as a partnership grows. A small group that "
                        "works well for a pilot may need more formal arrangements once it "
                        "controls shared money; a large board set up for a big programme may "
                        "become a burden once the programme ends."
                    ),
                    (
                        "Review your arrangements every year. Ask members whether meetings help "
                        "them decide and act, whether the right people attend, and whether "
                        "residents and front-line staff can see what the partnership does."
                    ),
                    (
                        "Be willing to stop meetings that no longer serve a purpose. Ending a "
                        "board or merging two partnerships can free leaders' time for the work "
                        "that matters, and it shows partners that the collaboration is about "
                        "results rather than structures."
                    ),
                ),
                reflect(
                    "Think of a partnership meeting you attend. What proportion of its time is "
                    "spent on decisions rather than updates, and what would you change?",
                ),
            ),
            lesson(
                "your-collaboration-plan",
                "Your collaboration plan",
                40,
                "Bring the course together in a short plan for working with partners on a real "
                "problem in your place.",
                h2("What your plan should cover"),
                p(
                    "Your collaboration plan is the main piece of work for this course. It "
                    "should be short, no more than two pages, and written so that you could "
                    "share it with your partners. It should cover:",
                    steps(
                        "The problem, described from the point of view of residents.",
                        "The partners involved, and what each needs from the work.",
                        "A shared purpose in one sentence.",
                        "Your first small, shared piece of work to build trust.",
                        "How decisions will be made and by whom.",
                        "How you will know it is working.",
                    ),
                ),
                h2("Testing your plan with your peer group"),
                p(
                    "Bring a draft to your peer group. Ask members from other sectors to read "
                    "it as if they were one of your partners. What would make them say yes? "
                    "What would worry them?",
                    "Their answers are often the most useful part of the course. People from "
                    "other sectors see the assumptions you cannot see yourself.",
                ),
                note(
                    "You will submit your plan as the course assignment. Your facilitator will "
                    "give feedback against the course rubric."
                ),
                h2("What a good plan looks like"),
                p(
                    (
                        "Strong plans are specific and modest. They name real people and real "
                        "dates, start with something partners can do within a few weeks, and say "
                        "clearly what each partner is asked to give. Weak plans describe a vision "
                        "and a structure but no first step."
                    ),
                    (
                        "Facilitators often see plans that depend entirely on the author's own "
                        "effort. Check that yours would survive if you were away for a month. Who "
                        "else in each partner organisation knows about it and has agreed to play "
                        "a part?"
                    ),
                    (
                        "Finally, check your plan against the earlier lessons in this course: "
                        "does it reflect how each partner sees the place, use influence rather "
                        "than authority, build trust in small steps and plan for disagreement?"
                    ),
                ),
                reflect(
                    "What is the one thing most likely to stop your plan working, and what will "
                    "you do about it in the next month?",
                    "Share your answer with your peer group and ask them to check in with you "
                    "at the next meeting.",
                ),
            ),
            lesson(
                "further-reading-on-systems-leadership",
                "Further reading on systems leadership",
                15,
                "Optional: ideas and sources for going further with leadership across "
                "organisations.",
                h2("Going further"),
                p(
                    "This lesson is optional. It suggests ways to take the ideas in this course "
                    "further, on your own or with your peer group.",
                    "Systems leadership is the idea that leaders can influence complex systems, "
                    "such as the public services in a place, without controlling them. It "
                    "emphasises curiosity, humility, working with others' perspectives and "
                    "learning by trying things.",
                ),
                h3("Themes to explore"),
                p(
                    bullets(
                        "Adaptive leadership: telling apart technical problems, which experts "
                        "can solve, from adaptive ones, which need people to change how they "
                        "work.",
                        "Place-based leadership: the role of councils, mayors and local anchor "
                        "institutions in convening a place.",
                        "Collaborative governance: how formal partnerships share power and "
                        "accountability.",
                    ),
                ),
                details(
                    "About the 2010 report behind this academy",
                    "NLGN's report <em>Greater than the sum of its parts</em> (March 2010) "
                    "looked at the Total Place pilots and recommended, among other things, a "
                    "Collaborative Leadership Academy to develop leadership across the public "
                    "sector.",
                ),
                h2("Learning with your peer group"),
                p(
                    (
                        "Reading is most useful when you test ideas against real situations. "
                        "Choose one idea from this list and try it in a meeting with partners "
                        "over the next month. For example, you could ask whether a problem you "
                        "are discussing is technical or adaptive, and notice how the conversation "
                        "changes."
                    ),
                    (
                        "Bring what happened to your peer group. Other members will have tried "
                        "different ideas in different settings, and hearing how a fire station "
                        "manager and a housing officer applied the same idea is often more "
                        "instructive than the idea itself."
                    ),
                    (
                        "You could also keep a short learning log: one paragraph a week on a "
                        "moment when you led across a boundary, what you did and what you would "
                        "do differently. Over a few months the log shows patterns that are hard "
                        "to see from week to week."
                    ),
                ),
                reflect(
                    "Which idea from this course would you most like to explore further, and "
                    "who in your place could you explore it with?",
                ),
                required=False,
            ),
        ),
    ],
}

COUNTING_AND_MAPPING = {
    "slug": "counting-and-mapping-public-resources",
    "title": "Counting and mapping public resources in a place",
    "summary": (
        "Learn how to add up all the public money spent in a place and map the buildings, land "
        "and people behind it, so that partners can decide together how to use them better."
    ),
    "search_description": (
        "An intermediate course on total counts of public spending and asset mapping across "
        "councils, the NHS, police, fire and other partners in one place."
    ),
    "description": paras(
        "Few places know how much public money is spent on their residents in total, or what "
        "it is spent on. Each organisation knows its own budget, but nobody adds them together.",
        "A total count does exactly that. Asset mapping does the same for buildings, land, "
        "vehicles and staff. Together they give partners a shared picture of their place and a "
        "strong basis for deciding what to change.",
        "On this course you plan and carry out a small total count and asset map with partners "
        "from your own place, and learn how to turn the results into a conversation that leads "
        "to action.",
    ),
    "outcomes": [
        "Explain what a total count and an asset map are, and when each is worth doing.",
        "Define the place, population and question for a count so that partners agree on "
        "its scope.",
        "Find and combine spending data from different organisations, and apportion it to a "
        "place fairly.",
        "Estimate the cost of administering funding and services, not only delivering them.",
        "Present findings in a way that starts a productive conversation between partners "
        "and with residents.",
    ],
    "who_it_is_for": paras(
        "Managers, finance officers, analysts and policy officers who want to understand how "
        "public money is used across their place. It suits people in councils, the NHS, "
        "police, fire and rescue, central government and the voluntary sector.",
        "You will need basic spreadsheet skills. You do not need to be a finance specialist.",
    ),
    "effort_hours": 15,
    "length_weeks": 5,
    "level": CoursePage.Level.INTERMEDIATE,
    "format": CoursePage.Format.ONLINE,
    "sectors": SECTORS_BUT_EDUCATION,
    "themes": ["data-and-evidence", "place-based-working"],
    "image": ("Course hero: counting and mapping", "#f6f1e7", "#1d3557", "#457b9d", "#e76f51"),
    "hero_image_alt": (
        "Abstract illustration: navy, blue and coral circles overlapping on a cream "
        "background, like areas marked on a map."
    ),
    "modules": [
        module(
            "what-a-total-count-is",
            "What a total count is",
            "What a total count of public resources is, why it is worth doing, and how to set "
            "its scope with partners.",
            lesson(
                "why-count-everything",
                "Why count everything",
                20,
                "What a total count of public spending is, and what it can change.",
                h2("A simple idea"),
                p(
                    "A total count adds up all the public money spent in or for one place in a "
                    "year, by every organisation: council, NHS, police, fire and rescue, "
                    "jobcentre, housing providers and others. It can be done for a whole area or "
                    "for one group of people, such as older people or families with young "
                    "children.",
                    "The idea is simple, but it is rarely done. Each organisation reports its "
                    "spending in its own way, to its own bodies, and over its own geography.",
                ),
                h2("What a count can show"),
                p(
                    bullets(
                        "How much money is really available in a place, often far more than "
                        "any single partner expects.",
                        "How much goes on reacting to crises compared with preventing them.",
                        "Where several organisations pay for similar things, such as "
                        "assessments, buildings or back offices.",
                        "How much is spent on administration rather than on services.",
                    ),
                ),
                note(
                    "In 2010 NLGN recommended that total counts of public resources and asset "
                    "mapping be carried out in every local area, as a catalyst for "
                    "collaboration. The Total Place pilots had shown how much a count could "
                    "reveal."
                ),
                h2("What a count cannot do"),
                p(
                    "A count does not tell you what to do. It describes where money goes, not "
                    "whether it is well spent. Its value lies in the conversation it starts "
                    "between partners, and in the questions it prompts: why do we spend so "
                    "much here, and so little there?",
                ),
                case(
                    "counting-the-public-pound-in-one-neighbourhood",
                    "How one neighbourhood's count led to shared buildings.",
                ),
                h2("Who should be involved"),
                p(
                    (
                        "A count needs three kinds of people: a senior sponsor in each partner "
                        "who will release data and act on the results, analysts or finance "
                        "officers who understand their own organisation's figures, and someone to "
                        "coordinate the work. Without senior sponsors, counts stall; without "
                        "analysts, the numbers are not trusted."
                    ),
                ),
                reflect(
                    "Estimate how much public money is spent each year on the people your "
                    "service works with, by all organisations. How confident are you in your "
                    "estimate?",
                    "Write your estimate down. You will compare it with real figures later in "
                    "the course.",
                ),
            ),
            lesson(
                "defining-the-place-and-the-question",
                "Defining the place and the question",
                25,
                "How to choose the geography, population and question for a count that "
                "partners will trust.",
                h2("Start with a question"),
                p(
                    "A count that tries to cover everything can take months and end in a large "
                    "number nobody knows what to do with. It is better to start with a question "
                    "partners care about, for example: 'How much do we all spend on people with "
                    "drug and alcohol problems, and how much of it is on crisis care?'",
                    "The question decides which organisations to include and which spending "
                    "to count.",
                ),
                h2("Choosing the geography"),
                p(
                    "Partners use different boundaries, so you will need to agree one for the "
                    "count. Common choices are a council area, a group of wards or a "
                    "neighbourhood. Whichever you choose, some partners will need to estimate "
                    "their share of spending that covers a wider area.",
                ),
                table(
                    "Choosing a geography for a count",
                    ["Geography", "Strengths", "Weaknesses"],
                    [
                        "Council area",
                        "Matches council budgets and many published statistics",
                        "Too large to show differences between neighbourhoods",
                    ],
                    [
                        "Group of wards",
                        "Matches local democracy and many datasets",
                        "Health and police data may need apportioning",
                    ],
                    [
                        "Neighbourhood",
                        "Close to residents' experience; good for asset mapping",
                        "Most spending must be estimated rather than measured",
                    ],
                ),
                h2("Agreeing the scope in writing"),
                p(
                    "Before anyone collects data, write a one-page scope and ask every partner "
                    "to agree it. It should state the question, the geography, the year, the "
                    "organisations included, and how spending over wider areas will be shared "
                    "out. This saves arguments later, when the numbers are on the table.",
                ),
                warning(
                    "Do not include personal data in a spending count. You are counting money "
                    "and assets, not people. If you need to link data about individuals, that "
                    "needs a separate legal basis and data-sharing agreement."
                ),
                h2("Setting a timescale"),
                p(
                    (
                        "Agree how long the count will take, and keep it short: six to ten weeks "
                        "is usually enough for a first count focused on one question. A deadline "
                        "linked to a real decision, such as partners' budget setting, helps keep "
                        "everyone involved."
                    ),
                ),
                reflect(
                    "What question would you most want a total count in your place to answer? "
                    "Which organisations would have to take part?",
                ),
            ),
            lesson(
                "where-the-spending-data-lives",
                "Where the spending data lives",
                25,
                "The main sources of spending data for each partner, and how to ask for them.",
                h2("Published sources"),
                p(
                    "Much of what you need is already published. Councils publish their "
                    "budgets and annual accounts, and report detailed spending to government "
                    "each year. NHS bodies publish annual reports and accounts. Police and crime "
                    "commissioners publish budgets and precepts. Government departments publish "
                    "figures for some programmes by local area.",
                    "Published data is a good starting point because nobody can dispute that "
                    "it exists. Its weakness is that it is rarely broken down by the place and "
                    "purpose you need.",
                ),
                h2("Asking partners directly"),
                p(
                    "For most counts you will also need data from partners' own finance "
                    "systems. Ask for it in a simple template, with clear definitions, and "
                    "explain exactly how it will be used and who will see it.",
                    "Finance teams are busy. Requests are more likely to succeed when a senior "
                    "leader in each organisation has agreed to the count and named a contact.",
                ),
                details(
                    "A simple data request template",
                    bullets(
                        "Organisation and contact name",
                        "Service or budget line",
                        "Total spend in the year, split into staff, buildings, other running "
                        "costs and payments to others",
                        "Geography the spend covers",
                        "How you would estimate the share for our place",
                        "Confidence in the figure: high, medium or low",
                    ),
                ),
                note(
                    "Ask partners to rate their confidence in each figure. It shows which "
                    "numbers need checking and makes it easier for partners to share rough "
                    "estimates honestly."
                ),
                h2("Voluntary and community organisations"),
                p(
                    "Do not forget charities and community groups. Much of their funding comes "
                    "from public bodies through grants and contracts, and they often deliver "
                    "the services residents value most. Count their publicly funded work, "
                    "taking care not to count the same money twice.",
                ),
                h2("Handling sensitive figures"),
                p(
                    (
                        "Some partners may be reluctant to share detailed budget data, especially "
                        "during contract negotiations or reorganisations. Agree at the start "
                        "which figures will be published, which will be shared only between "
                        "partners and which will be combined so that no single budget can be "
                        "identified."
                    ),
                ),
                reflect(
                    "Which partner in your place would be hardest to get spending data from, "
                    "and why? Who could help you open that door?",
                ),
            ),
        ),
        module(
            "doing-the-count",
            "Doing the count",
            "How to follow money through organisations, estimate what administration costs, "
            "and agree the numbers with partners.",
            lesson(
                "following-the-money",
                "Following the money",
                30,
                "How to combine partners' data without double counting, and how to share out "
                "spending that covers a wider area.",
                h2("Avoiding double counting"),
                p(
                    "Public money often passes through several organisations before it is "
                    "spent. A government grant goes to the council, which pays a charity to "
                    "run a service. If both the council and the charity report that spending, "
                    "you will count it twice.",
                    "The simplest rule is to count money where it is finally spent on staff, "
                    "buildings or goods, and to record transfers between partners separately.",
                ),
                h2("Sharing out wider spending"),
                p(
                    "Some spending covers a wider area than your place: a police force, a "
                    "hospital, a regional programme. You will need to estimate your place's "
                    "share. This is called apportioning.",
                    "Choose a basis that reflects how the service is used. Population is easy "
                    "but often misleading: a neighbourhood with high need may use a much larger "
                    "share of emergency services than its population suggests.",
                ),
                table(
                    "Common ways to apportion spending",
                    ["Service", "Possible basis", "Why"],
                    [
                        "Policing",
                        "Share of calls for service or recorded incidents",
                        "Tracks demand",
                    ],
                    ["Hospital care", "Share of admissions by residents' postcodes", "Tracks use"],
                    ["Jobcentre services", "Share of claimants", "Tracks caseload"],
                    [
                        "Fire and rescue",
                        "Share of incidents and prevention visits",
                        "Tracks activity",
                    ],
                ),
                note(
                    "Record every assumption you make in a simple log. When partners question a "
                    "figure, you can show exactly how it was reached, and change the assumption "
                    "if a better one is agreed."
                ),
                h2("Crisis and prevention"),
                p(
                    "As you combine data, tag each line of spending as preventive, early help or "
                    "crisis response. Partners often find that most money goes on crisis "
                    "response, and that this is spread across many organisations, none of which "
                    "can shift it alone.",
                ),
                h2("Keeping the work manageable"),
                p(
                    (
                        "Counting can grow without limit. Set a threshold below which small "
                        "budget lines are grouped together, and concentrate effort on the largest "
                        "items, which usually account for most of the spending. A count that is "
                        "roughly right and finished on time is far more useful than a precise "
                        "count that arrives too late to influence decisions."
                    ),
                ),
                reflect(
                    "For one service you know well, what would be the fairest basis for "
                    "estimating its spending in a single neighbourhood? What would the figure "
                    "hide?",
                ),
            ),
            lesson(
                "counting-the-cost-of-administration",
                "Counting the cost of administration",
                30,
                "How to estimate what it costs to bid for, manage and report on funding, with "
                "a worked example from the Total Place pilots.",
                h2("The hidden cost"),
                p(
                    "Every funding stream carries a cost beyond the money itself: writing bids, "
                    "agreeing contracts, monitoring, reporting, audit and evaluation. Because "
                    "this cost is spread across many people's time, it rarely appears in any "
                    "budget.",
                    "The Total Place pilots tried to put a figure on it. NLGN's 2010 report "
                    "highlighted a pilot that estimated it cost as much as £135m to spend £176m "
                    "on economic development projects.",
                ),
                table(
                    "The Total Place finding, and what it means",
                    ["Measure", "Figure"],
                    ["Value of economic development projects", "£176m"],
                    ["Estimated cost of delivering them", "up to £135m"],
                    ["Cost for every £100 of projects", "up to about £77"],
                ),
                p(
                    "The figures come from one pilot and depend on what it counted as a cost. "
                    "They should be read as a warning sign, not a rule. But they show how many "
                    "separate, small funding streams can absorb a large share of the money they "
                    "are meant to deliver.",
                ),
                h2("Estimating it in your place"),
                p(
                    steps(
                        "List every funding stream for the theme you are counting.",
                        "For each, list the tasks it needs: bidding, contracting, monitoring, "
                        "reporting, audit.",
                        "Ask each organisation to estimate staff days spent on each task in a "
                        "year.",
                        "Multiply by an agreed daily staff cost, including overheads.",
                        "Compare the total with the value of the funding.",
                    ),
                ),
                case(
                    "what-it-costs-to-spend-regeneration-money",
                    "A combined authority uses this method to argue for a single pot.",
                ),
                h2("Reducing the cost"),
                p(
                    (
                        "Once the cost is visible, partners can act on it. Options include "
                        "combining small funding streams into fewer, larger ones, agreeing one "
                        "set of monitoring requirements across funders, and asking government "
                        "departments to accept a single report from the place rather than one for "
                        "each grant."
                    ),
                ),
                h2("A word of caution"),
                p(
                    (
                        "Administration is not waste in itself. Monitoring and audit protect "
                        "public money. The aim is to remove duplication, such as several funders "
                        "asking for the same information in different formats, not to remove "
                        "proper accountability."
                    ),
                ),
                reflect(
                    "Which funding stream that your organisation receives or manages do you "
                    "think costs most to administer, compared with its value?",
                    "Estimate the staff days it takes each year and bring your estimate to your "
                    "peer group.",
                ),
            ),
            lesson(
                "checking-and-agreeing-the-numbers",
                "Checking and agreeing the numbers",
                20,
                "How to test your figures and reach numbers every partner will stand behind.",
                h2("Why agreement matters more than precision"),
                p(
                    "A total count will never be exact. Some figures will be estimates, and "
                    "partners may disagree about how to apportion spending. What matters is "
                    "that every partner agrees the figures are good enough to act on.",
                    "A number one partner disputes will become the subject of the next meeting, "
                    "instead of what to do about it.",
                ),
                h2("Testing the figures"),
                p(
                    bullets(
                        "Compare totals with published accounts: are they the right order of size?",
                        "Look for gaps: is any major organisation or service missing?",
                        "Look for overlaps: has any money been counted twice?",
                        "Check per-head figures against other places where you can.",
                    ),
                ),
                h2("A validation workshop"),
                p(
                    "Before publishing anything, hold a workshop with the finance and service "
                    "leads from every partner. Walk through the method, the assumptions and the "
                    "results. Agree changes in the room and record them.",
                ),
                quote(
                    "Our finance directors argued about apportionment for an hour, then agreed "
                    "the total. After that, nobody questioned the numbers again.",
                    "Head of policy and insight, metropolitan council",
                ),
                h2("Publishing responsibly"),
                p(
                    (
                        "Once partners have agreed the figures, decide together how and when to "
                        "publish them. Publishing a total count can attract attention from local "
                        "media and councillors, particularly if it shows large sums spent on "
                        "administration or on crisis services."
                    ),
                    (
                        "Agree the key messages in advance, and make sure every partner's "
                        "communications team has seen them. Explain the method and its limits in "
                        "plain English, and say what partners plan to do next."
                    ),
                    (
                        "Publishing openly builds trust with residents and with government. It "
                        "also makes it harder for any partner to quietly walk away from the "
                        "findings later."
                    ),
                ),
                h2("Keeping the count up to date"),
                p(
                    (
                        "A count is a snapshot of one year. If partners use it to make decisions, "
                        "agree how often it will be refreshed, and keep the method and the "
                        "assumption log so that the next count can be compared fairly with the "
                        "first."
                    ),
                ),
                reflect(
                    "Which figure in a count of your place do you think partners would argue "
                    "about most, and how would you settle it?",
                ),
            ),
        ),
        module(
            "mapping-assets-and-using-findings",
            "Mapping assets and using what you find",
            "How to map buildings, land and people across partners, and how to turn a count "
            "and a map into decisions.",
            lesson(
                "mapping-buildings-land-and-people",
                "Mapping buildings, land and people",
                25,
                "How to build a simple shared map of public assets in a place.",
                h2("What to map"),
                p(
                    "Asset mapping records the physical and human resources public bodies have "
                    "in a place. The most useful maps cover:",
                    bullets(
                        "buildings, with their use, size, running costs, opening hours and "
                        "condition",
                        "land, including sites that are empty or underused",
                        "staff who work in the area, and when they are there",
                        "vehicles and equipment that could be shared",
                        "community assets, such as halls and centres run by voluntary groups",
                    ),
                ),
                h2("Keeping it simple"),
                p(
                    "A shared spreadsheet with one row per asset and a postcode for each is "
                    "enough to start. Many councils already have mapping software that can "
                    "plot the results. Central government also keeps a register of its own "
                    "property, which can help you include jobcentres and other government "
                    "offices.",
                ),
                note(
                    "Ask partners how full each building is across the week, not just whether "
                    "it is in use. Many public buildings are busy for a few hours a day and "
                    "empty the rest of the time."
                ),
                h2("What maps often show"),
                p(
                    "Maps usually show clusters of buildings run by different partners within "
                    "a short walk of each other, each partly empty and each with its own "
                    "running costs. They also show gaps: places where residents have no public "
                    "service nearby at all.",
                ),
                case(
                    "counting-the-public-pound-in-one-neighbourhood",
                    "A neighbourhood maps 47 public buildings and brings 9 into shared use.",
                ),
                h2("Turning the map into options"),
                p(
                    (
                        "Once the map is complete, look for three kinds of opportunity: buildings "
                        "that could be shared, buildings that could be released and sold or "
                        "reused, and gaps where residents have no service nearby."
                    ),
                    (
                        "For each option, note which partners are involved, what it would cost to "
                        "change and what residents would gain. Keep the list short at first and "
                        "choose one or two options where partners are willing to act quickly."
                    ),
                    (
                        "Early, visible wins, such as a jobcentre work coach holding sessions in "
                        "a library, build support for larger changes later."
                    ),
                ),
                reflect(
                    "How many public buildings are within a ten-minute walk of where you work? "
                    "How many of them do you know the use of?",
                ),
            ),
            lesson(
                "from-numbers-to-a-conversation",
                "From numbers to a conversation",
                30,
                "How to present a count and asset map so that partners and residents act on them.",
                h2("Lead with the story"),
                p(
                    "The results of a count can be overwhelming: dozens of organisations, "
                    "hundreds of budget lines, large totals. Start instead with two or three "
                    "findings that surprise people and matter to residents. For example, the "
                    "share of spending that goes on crisis response, or the number of "
                    "organisations that assess the same family.",
                ),
                h2("Make it visual"),
                p(
                    "A simple chart showing spending by organisation and by type, and a map "
                    "showing buildings, do more than a long report. Keep every chart readable "
                    "in black and white, and describe it in words for people who cannot see it.",
                ),
                h2("Share it with residents"),
                p(
                    "Residents often have the clearest view of what the figures mean in "
                    "practice. Open meetings, short summaries in plain English and visits to "
                    "community groups help you test what you have found and gather ideas.",
                ),
                h2("Agree what happens next"),
                p(
                    "End every presentation of findings by agreeing one or two things partners "
                    "will do together: a building to share, a service to redesign, a funding "
                    "stream to combine. Without a next step, counts become reports that sit on "
                    "shelves.",
                ),
                warning(
                    "Avoid using the count to blame any one partner for high spending. Crisis "
                    "spending in one organisation is usually the result of gaps in others."
                ),
                h2("Keeping the conversation going"),
                p(
                    (
                        "A single presentation is not enough. Plan a series of conversations: "
                        "first with partner leaders, then with front-line managers, then with "
                        "residents and elected members. Each group will ask different questions "
                        "and notice different things, and each conversation strengthens the case "
                        "for change."
                    ),
                ),
                h2("Accessible findings"),
                p(
                    (
                        "Publish findings in formats everyone can use: accessible web pages "
                        "rather than only PDFs, charts with text descriptions, and summaries in "
                        "plain English. Offer to talk findings through with community groups "
                        "whose members may not read long reports."
                    ),
                ),
                reflect(
                    "If you presented a total count to your partners tomorrow, what one finding "
                    "would you lead with, and what would you ask them to do?",
                    "Draft three sentences and test them with your peer group.",
                ),
            ),
            lesson(
                "further-reading-on-public-spending-data",
                "Further reading on public spending data",
                15,
                "Optional: sources and ideas for deeper analysis of spending and assets in a "
                "place.",
                h2("Going further"),
                p(
                    "This lesson is optional. It points to the kinds of sources analysts use "
                    "when carrying out counts and asset maps.",
                ),
                h3("Kinds of source"),
                p(
                    bullets(
                        "Local authority revenue and capital statistics published by central "
                        "government each year.",
                        "Annual reports and accounts of NHS bodies, police and crime "
                        "commissioners, and fire and rescue authorities.",
                        "Benefit statistics by local area published by the Department for "
                        "Work and Pensions.",
                        "Public health profiles, which compare health outcomes between areas.",
                        "The government's register of central government property.",
                    ),
                ),
                details(
                    "A note on comparing places",
                    "Per-head spending figures are useful, but places differ in age, health and "
                    "deprivation. Compare with places that are similar, not just with the "
                    "national average.",
                ),
                h2("Working with what you find"),
                p(
                    (
                        "Published data rarely answers your question directly. Treat it as a way "
                        "to check the size of figures partners give you, and to spot gaps, rather "
                        "than as the count itself."
                    ),
                    (
                        "Keep a simple source log: for every figure, note where it came from, the "
                        "year it covers, the geography and any adjustment you made. This takes a "
                        "few minutes at the time and saves hours when someone asks how a number "
                        "was reached."
                    ),
                    (
                        "If you find a source particularly useful, tell your peer group and your "
                        "partners' analysts. Counts improve quickly when the people doing them "
                        "share what they know, and the next place to attempt a count can start "
                        "where you finished."
                    ),
                    (
                        "Finally, remember that data describes what services do, not what "
                        "residents experience. Pair every analysis with at least one conversation "
                        "with people who use the services you are counting."
                    ),
                ),
                h2("Sharing your method"),
                p(
                    (
                        "If you carry out a count, consider publishing the method alongside the "
                        "results, so that other places can learn from it and compare their "
                        "findings with yours."
                    ),
                ),
                reflect(
                    "Which one source would add most to your understanding of spending in your "
                    "place, and who in your organisation could help you use it?",
                ),
                required=False,
            ),
        ),
    ],
}

REDESIGNING_AROUND_THE_CITIZEN = {
    "slug": "redesigning-services-around-the-citizen",
    "title": "Redesigning services around the citizen",
    "summary": (
        "Learn to see public services as residents experience them, and to redesign them with "
        "partners so that people tell their story once and get the right help sooner."
    ),
    "search_description": (
        "A foundation course on redesigning public services around residents across councils, "
        "the NHS, police, jobcentres, housing and the voluntary sector."
    ),
    "description": paras(
        "People do not experience public services one organisation at a time. They experience "
        "forms, queues, phone calls and appointments, often with several organisations at "
        "once, each asking similar questions.",
        "On this course you learn how to map services from the resident's side, work with "
        "partners and residents to design something better, test it on a small scale and "
        "change the rules and measures that hold the old way of working in place.",
        "You work on a real service journey in your place with a peer group drawn from other "
        "sectors.",
    ),
    "outcomes": [
        "Map a resident's journey through several public services and identify where it "
        "breaks down.",
        "Explain the human and financial cost of services designed around organisations "
        "rather than people.",
        "Involve residents and front-line staff in understanding problems and designing solutions.",
        "Plan and run a small test of a joined-up service with partners.",
        "Share information between organisations lawfully and safely.",
        "Choose measures that reflect what matters to residents.",
    ],
    "who_it_is_for": paras(
        "Service managers and team leaders in councils, the NHS, police, fire and rescue, "
        "jobcentres, housing and the voluntary sector who want to improve how their service "
        "works with others.",
        "No design training is needed. You will need to be able to spend some time with "
        "residents or front-line colleagues during the course.",
    ),
    "effort_hours": 20,
    "length_weeks": 8,
    "level": CoursePage.Level.FOUNDATION,
    "format": CoursePage.Format.BLENDED,
    "sectors": SECTORS_BUT_EDUCATION,
    "themes": ["citizen-centred-services", "systems-leadership"],
    "image": ("Course hero: around the citizen", "#264653", "#e9c46a", "#2a9d8f", "#f4a261"),
    "hero_image_alt": (
        "Abstract illustration: warm yellow, orange and teal circles overlapping on dark "
        "green, as if services gather around one person."
    ),
    "modules": [
        module(
            "seeing-services-as-people-do",
            "Seeing services as people do",
            "How to understand public services from the resident's side, and what services "
            "designed around organisations cost people and the public purse.",
            lesson(
                "walking-in-residents-shoes",
                "Walking in residents' shoes",
                25,
                "How to map a resident's journey through several services and spot where it "
                "breaks down.",
                h2("Why start with the journey"),
                p(
                    "Every organisation can describe its own process. Few can describe what "
                    "happens to a resident before they arrive or after they leave. A journey "
                    "map follows a real person through every contact they have with public "
                    "services around one need, such as leaving hospital, losing a job or "
                    "escaping domestic abuse.",
                    "Seen this way, problems that are invisible inside each organisation become "
                    "obvious: the same questions asked five times, the wait between one "
                    "service ending and the next beginning, the letter nobody explained.",
                ),
                h2("How to map a journey"),
                p(
                    steps(
                        "Choose a need that involves several organisations.",
                        "With their consent, talk to three to five residents who have been "
                        "through it recently.",
                        "Write each contact on a timeline: who, when, how, what was asked and "
                        "what happened.",
                        "Mark the points where the resident waited, repeated themselves or "
                        "gave up.",
                        "Add the organisations' view: which team, which system, which rule.",
                    ),
                ),
                note(
                    "Ask residents what the experience felt like, not only what happened. "
                    "Confusion, worry and embarrassment are often the reasons people drop out "
                    "of services."
                ),
                h2("What to do with the map"),
                p(
                    "Share the map with managers from every organisation on it, ideally in the "
                    "same room. Ask each to find their part and say what they see. It is often "
                    "the first time they have seen how their work fits with everyone else's.",
                ),
                quote(
                    "I had signed off that letter a hundred times. Seeing it on the wall next "
                    "to four others asking the same thing was embarrassing.",
                    "Service manager, revenues and benefits",
                ),
                h2("Keeping it real"),
                p(
                    (
                        "Resist the temptation to draw an ideal journey from policy documents. "
                        "Maps drawn from real experiences are messier, but they show what "
                        "actually happens, including the workarounds staff use and the places "
                        "where residents find help outside public services altogether."
                    ),
                ),
                reflect(
                    "Choose one resident journey that crosses your service. How many "
                    "organisations do you think a resident deals with along the way?",
                    "Sketch the journey as you imagine it now. You will compare it with what "
                    "residents tell you.",
                ),
            ),
            lesson(
                "the-cost-of-fragmentation",
                "The cost of fragmentation",
                25,
                "What it costs residents and the public purse when every service has its own "
                "forms, rules and systems.",
                h2("Fifty forms"),
                p(
                    "In 2010 NLGN reported that one Total Place pilot had found as many as 50 "
                    "different benefits, each with its own form, rules and administrative "
                    "machinery. Each had been designed separately, for good reasons, by a "
                    "different part of government.",
                    "For a resident on a low income, that meant a maze: finding out what they "
                    "were entitled to, proving the same facts again and again, and waiting for "
                    "several decisions that could conflict.",
                ),
                h2("The cost to residents"),
                p(
                    bullets(
                        "Time and money spent travelling, phoning and copying documents.",
                        "Stress, which falls hardest on people already in crisis.",
                        "Help missed because people give up or never find out about it.",
                        "Problems that get worse while they wait, such as rent arrears.",
                    ),
                ),
                h2("The cost to the public purse"),
                p(
                    "Every separate form needs its own staff to process it, its own computer "
                    "system, its own appeals and its own fraud checks. When residents give up, "
                    "their problems often reach more expensive services later: emergency "
                    "housing, hospital or the courts.",
                ),
                table(
                    "Where fragmentation adds cost",
                    ["Stage", "Cost to residents", "Cost to services"],
                    ["Finding help", "Not knowing what exists", "Advice lines and signposting"],
                    ["Applying", "Repeating the same facts", "Processing many similar forms"],
                    ["Waiting", "Debts and stress grow", "More contacts chasing progress"],
                    ["Dropping out", "Needs go unmet", "Crisis services later on"],
                ),
                case(
                    "one-front-door-for-financial-help",
                    "Partners count the forms and replace them with one conversation.",
                ),
                h2("Designing it out"),
                p(
                    (
                        "Fragmentation is rarely anyone's intention, so it is rarely anyone's job "
                        "to fix. The first step is to make it visible by counting the forms, "
                        "assessments and hand-offs a resident meets, as the Total Place pilots "
                        "did. The second is to agree which partner will lead on simplifying one "
                        "part of the journey, and with what permissions."
                    ),
                ),
                h2("A question to keep asking"),
                p(
                    (
                        "For any new form or process, ask who else already collects the same "
                        "information, and whether the resident could be asked once instead."
                    ),
                ),
                reflect(
                    "How many separate forms or assessments might a resident complete to get "
                    "the help your service and its partners offer? What is the same across "
                    "them?",
                ),
            ),
            lesson(
                "listening-to-residents-and-front-line-staff",
                "Listening to residents and front-line staff",
                25,
                "How to involve residents and front-line staff in understanding a problem, "
                "safely and respectfully.",
                h2("Two kinds of expertise"),
                p(
                    "Residents are experts in their own lives and in what services feel like "
                    "from outside. Front-line staff are experts in how services really work, "
                    "including the workarounds that never appear in a policy. Managers need "
                    "both perspectives to understand a problem.",
                ),
                h2("Listening to residents"),
                p(
                    "Go to where people already are: community centres, food banks, waiting "
                    "rooms, support groups. Explain who you are and what you will do with what "
                    "they tell you. Pay people for their time when you ask for more than a "
                    "short conversation.",
                    "Ask open questions about recent, real experiences: 'Tell me about the last "
                    "time you tried to get help with...' is better than 'What do you think of "
                    "our service?'",
                ),
                warning(
                    "Take care when talking to people about difficult experiences. Know where "
                    "to refer someone who needs help, do not record personal details you do "
                    "not need, and follow your organisation's safeguarding procedures."
                ),
                h2("Listening to front-line staff"),
                p(
                    "Front-line staff can feel that managers only ask for their views when a "
                    "decision has already been made. Ask early, listen without defending the "
                    "current system, and tell them what you did with their ideas.",
                    "Mixed groups of staff from different organisations are particularly "
                    "useful. A housing officer and a work coach who serve the same residents "
                    "often discover they could solve each other's problems.",
                ),
                quote(
                    "Ask the people at the front door. They know exactly where the system "
                    "breaks, because they spend all day patching it.",
                    "Work coach team leader, jobcentre",
                ),
                h2("Making sense of what you hear"),
                p(
                    (
                        "After a round of conversations, bring together the people who listened "
                        "and sort what you heard into themes. Look for problems that came up "
                        "again and again, and for surprises. Share the themes back with the "
                        "residents and staff who took part, so that they can see their views were "
                        "taken seriously."
                    ),
                ),
                reflect(
                    "When did you last hear directly from a resident about their experience of "
                    "your service alongside others? What stopped it happening more often?",
                    "Plan one conversation with a resident or front-line colleague before the "
                    "next live session.",
                ),
            ),
        ),
        module(
            "designing-together",
            "Designing together",
            "How partners and residents agree a shared problem, test a joined-up service on a "
            "small scale and share the information it needs safely.",
            lesson(
                "starting-with-a-shared-problem",
                "Starting with a shared problem",
                20,
                "How to frame a problem so that several organisations own it together.",
                h2("Frame the problem from the resident's side"),
                p(
                    "Organisations tend to describe problems in their own terms: 'high demand "
                    "at the front desk', 'repeat calls', 'delayed discharges'. Each framing "
                    "points towards a solution inside one organisation.",
                    "Framing the same problem from the resident's side opens it up: 'older "
                    "people wait in hospital because nobody has arranged their care at home'. "
                    "Now several organisations can see their part.",
                ),
                h2("A useful format"),
                p(
                    "Try writing the problem as: <em>[Who] need [what], but [what gets in the "
                    "way], which means [consequence for them and for services]</em>.",
                    "For example: 'Tenants in financial difficulty need help with rent, "
                    "benefits and debt, but have to approach five organisations separately, "
                    "which means arrears grow and some are evicted.'",
                ),
                case(
                    "keeping-tenants-in-their-homes",
                    "Partners in Salford frame eviction as a shared problem.",
                ),
                note(
                    "A good problem statement does not contain a solution. 'We need a shared "
                    "database' is a solution. The problem is whatever a shared database is "
                    "meant to fix."
                ),
                h2("Testing the problem with partners"),
                p(
                    (
                        "Share your draft problem statement with managers from each organisation "
                        "involved, and with a few residents if you can. Ask them three questions: "
                        "is this the real problem, does it matter to you, and can you see your "
                        "part in solving it?"
                    ),
                    (
                        "Expect to rewrite it several times. Each partner will notice something "
                        "the statement leaves out, and residents often point out that the problem "
                        "starts earlier than any organisation thought."
                    ),
                    (
                        "When partners can all say yes to the three questions, you have a problem "
                        "worth designing for. Keep the final statement visible at every meeting, "
                        "so that discussions about solutions can be checked against it."
                    ),
                    (
                        "A shared problem also helps later, when partners disagree about a "
                        "solution. Returning to the statement and asking which option does most "
                        "to solve it for residents is a fair way to settle arguments."
                    ),
                ),
                reflect(
                    "Write a problem statement in the format above for a journey you mapped "
                    "earlier. Which organisations can see their part in it?",
                ),
            ),
            lesson(
                "testing-a-joined-up-service",
                "Testing a joined-up service",
                30,
                "How to test a new way of working on a small scale before changing a whole "
                "service.",
                h2("Test small, learn fast"),
                p(
                    "Big redesigns are risky. They take months to plan, and by the time they "
                    "launch the problem may have changed. A small test, with a few residents "
                    "and a few staff, shows quickly what works and what does not.",
                    "A test might be one worker holding joint conversations for a month, one "
                    "shared clinic a week, or one estate where partners agree to act on each "
                    "other's referrals without reassessment.",
                ),
                h2("Planning a test"),
                p(
                    steps(
                        "Decide what you want to learn, not just what you want to prove.",
                        "Keep it small: a few weeks, a few residents, a few staff.",
                        "Agree which rules you will set aside, and get permission in writing.",
                        "Decide how you will know whether it helped residents.",
                        "Meet weekly to review what happened and adjust.",
                    ),
                ),
                details(
                    "What if the test fails?",
                    "A test that shows an idea does not work has done its job. Record what you "
                    "learned, share it with partners and try something different. The failure "
                    "to avoid is a large programme that nobody is allowed to stop.",
                ),
                h2("Involving residents in the test"),
                p(
                    "Ask the residents who take part what it was like, during the test as well "
                    "as at the end. Their feedback often reveals problems staff do not notice, "
                    "such as a letter that still arrives from the old system.",
                ),
                quote(
                    "We ran the joint visit for six weeks with one worker and twelve tenants. "
                    "It taught us more than a year of planning would have.",
                    "Head of tenancy sustainment, housing association",
                ),
                h2("Recording what you learn"),
                p(
                    (
                        "Keep a short log during the test: what you tried each week, what "
                        "happened to residents, which rules got in the way and what you changed. "
                        "The log becomes the evidence for a decision to continue, change or stop, "
                        "and it helps partners who were not involved understand what the test "
                        "showed."
                    ),
                ),
                reflect(
                    "Describe the smallest test you could run of a joined-up service in your "
                    "place. Whose permission would you need?",
                ),
            ),
            lesson(
                "sharing-information-safely",
                "Sharing information safely",
                30,
                "How to share personal information between organisations lawfully, with "
                "residents' trust.",
                h2("Why sharing matters"),
                p(
                    "Joined-up services almost always need organisations to share information "
                    "about the people they serve. Without it, residents must tell their story "
                    "again and again, and warning signs seen by one service are missed by "
                    "others.",
                    "Fear of breaking data protection law is one of the most common reasons "
                    "partners give for not sharing. In practice, the law allows sharing for "
                    "good reasons when it is done properly.",
                ),
                h2("The basics"),
                p(
                    bullets(
                        "Be clear about the purpose of sharing and share only what is needed "
                        "for it.",
                        "Identify the lawful basis for sharing under UK data protection law. "
                        "For public bodies this is often that the sharing is needed to carry "
                        "out a public task.",
                        "Tell residents what will be shared, with whom and why.",
                        "Keep information secure and decide how long it will be kept.",
                        "Record decisions in a data-sharing agreement and a data protection "
                        "impact assessment where needed.",
                    ),
                ),
                warning(
                    "Consent is not always the right lawful basis. If a resident cannot "
                    "realistically refuse, for example because they need the service, consent "
                    "may not be freely given. Ask your data protection officer."
                ),
                note(
                    "Safeguarding is different. Where someone is at risk of serious harm, "
                    "information can and should be shared to protect them. Follow your local "
                    "safeguarding procedures."
                ),
                h2("Involve the experts early"),
                p(
                    "Invite data protection officers and information governance leads from "
                    "every partner to the start of the work, not the end. Give them a clear "
                    "description of what you want to do and why. They are far more helpful as "
                    "designers than as reviewers.",
                ),
                h2("Telling residents"),
                p(
                    (
                        "Residents are more likely to trust a joined-up service when they "
                        "understand what happens to their information. Explain it in plain "
                        "English at the first contact, in a short leaflet or on a web page, and "
                        "give a named contact for questions. Front-line staff should be able to "
                        "explain it in a sentence or two."
                    ),
                ),
                reflect(
                    "What information would partners need to share for your test to work? "
                    "What would residents need to be told?",
                ),
            ),
        ),
        module(
            "changing-the-system",
            "Changing the system",
            "How to change the rules and measures that hold the old way of working in place, "
            "and how to keep a new service going and spread it.",
            lesson(
                "removing-rules-that-get-in-the-way",
                "Removing rules that get in the way",
                25,
                "How to tell which rules are fixed and which can be changed, and how to change "
                "them.",
                h2("Not every rule is a law"),
                p(
                    "When a test of a new service runs into a barrier, it is usually a rule: "
                    "'we can only accept referrals through the portal', 'the assessment must "
                    "be done by our own staff', 'this budget can only be spent on...'. Some of "
                    "these rules are set in law. Many are local policies, habits or "
                    "misunderstandings.",
                ),
                table(
                    "Where rules come from and who can change them",
                    ["Source", "Example", "Who can change it"],
                    ["Law", "A statutory duty to assess", "Parliament; rarely local"],
                    ["National guidance", "A funding condition", "The department, sometimes"],
                    ["Local policy", "An eligibility threshold", "Your board or council"],
                    ["Local practice", "A form that must be completed", "Often the manager"],
                ),
                p(
                    "Keep a list of every rule that gets in the way of your test. For each, "
                    "find out where it really comes from. You will often find that the "
                    "biggest barriers can be removed by a manager in a partner organisation.",
                ),
                h2("When the barrier is national"),
                p(
                    "Some barriers are national, such as separate funding streams with "
                    "separate conditions. Total Place and later programmes showed that places "
                    "with good evidence can negotiate flexibilities with government, "
                    "especially when several partners ask together.",
                ),
                h2("Asking for permission"),
                p(
                    (
                        "When a rule sits in a partner organisation, ask the person who owns it "
                        "to set it aside for your test, with a clear time limit and a promise to "
                        "report back. Most managers will agree to a small, time-limited exception "
                        "when they understand why it matters to residents."
                    ),
                    (
                        "Record each permission in writing. If the test succeeds, the record "
                        "shows exactly which rules need to change for good, and who agreed to "
                        "change them."
                    ),
                    (
                        "When a rule cannot be set aside, design around it and note the cost. A "
                        "list of rules that could not be changed, with the harm each causes, is "
                        "powerful evidence for a conversation with government or a regulator."
                    ),
                ),
                reflect(
                    "Name one rule that gets in the way of joined-up working in your area. "
                    "Where does it really come from, and who could change it?",
                ),
            ),
            lesson(
                "measuring-what-matters-to-people",
                "Measuring what matters to people",
                25,
                "How to choose measures that reflect residents' outcomes, not just each "
                "organisation's activity.",
                h2("What gets measured shapes behaviour"),
                p(
                    "Organisations tend to measure what they do: calls answered, assessments "
                    "completed, people seen within a target time. These measures matter, but "
                    "they can reward each organisation for passing people on rather than "
                    "solving their problem.",
                    "A joined-up service needs at least some shared measures that reflect what "
                    "residents care about, such as 'help in place within two weeks of first "
                    "contact' or 'still in their home a year later'.",
                ),
                h2("A balanced set"),
                p(
                    bullets(
                        "<strong>Outcome</strong>: what changed for residents?",
                        "<strong>Experience</strong>: how did residents find the service?",
                        "<strong>Flow</strong>: how long did it take from first contact to help?",
                        "<strong>Cost</strong>: what did it cost all partners together, not "
                        "each one separately?",
                    ),
                ),
                case(
                    "frequent-callers-to-emergency-services",
                    "Success measured across all emergency services together.",
                ),
                warning(
                    "Watch for measures that move demand rather than reduce it. A fall in calls "
                    "to one service is not a success if they reappear at another."
                ),
                h2("Collecting the data"),
                p(
                    (
                        "Shared measures need shared data. Agree early which partner will collect "
                        "each measure, how often, and from which system. Where no system holds "
                        "the data you need, a simple shared spreadsheet kept by the team running "
                        "the service is often enough to begin with."
                    ),
                    (
                        "Residents' experience can be measured with a few short questions asked "
                        "at the end of the service, or in a follow-up call. Keep the questions "
                        "the same over time so that you can see change."
                    ),
                    (
                        "Report shared measures to every partner in the same format, at the same "
                        "time. When each board sees the same picture, conversations about what to "
                        "do next become much easier."
                    ),
                ),
                h2("Beware of too many measures"),
                p(
                    (
                        "A long list of measures spreads attention thin. Choose no more than five "
                        "or six shared measures for a joined-up service, and make sure each one "
                        "would lead partners to do something different if it moved the wrong way. "
                        "A measure nobody acts on is not worth collecting."
                    ),
                ),
                reflect(
                    "What is one measure you report that could reward your service for "
                    "passing a problem to a partner? What shared measure could sit alongside "
                    "it?",
                ),
            ),
            lesson(
                "sustaining-and-spreading-change",
                "Sustaining and spreading change",
                25,
                "How to keep a joined-up service going after the test, and help it spread.",
                h2("Why good tests fade"),
                p(
                    "Many successful tests quietly end. The enthusiastic staff move on, the "
                    "temporary funding stops, or the old processes creep back because nobody "
                    "changed the systems behind them.",
                    "Sustaining change means building the new way of working into the things "
                    "that outlast individuals: budgets, job descriptions, contracts, IT "
                    "systems and partnership agreements.",
                ),
                h2("Spreading, not copying"),
                p(
                    "What works in one neighbourhood may not work in the next. Rather than "
                    "copying the details, spread the principles and the method: map the "
                    "journey, test small, share information properly, measure what matters. "
                    "Let each place adapt the design to its own residents and partners.",
                ),
                details(
                    "A checklist for sustaining change",
                    bullets(
                        "Is the funding recurring, and agreed by every partner who benefits?",
                        "Are the new roles in permanent job descriptions?",
                        "Have the old forms and processes been switched off?",
                        "Is the data-sharing agreement signed for the long term?",
                        "Is there a named senior sponsor in each partner?",
                    ),
                ),
                quote(
                    "The test worked because of three brilliant people. Making it last meant "
                    "designing it so that it would work without them.",
                    "Director of place partnerships, integrated care board",
                ),
                h2("Telling the story"),
                p(
                    (
                        "Change spreads through stories as much as through reports. A short "
                        "account of one resident's experience before and after the new service, "
                        "told with their permission, will persuade more leaders than a table of "
                        "figures."
                    ),
                    (
                        "Share what did not work as well as what did. Other places trying "
                        "something similar will learn most from your mistakes, and honesty about "
                        "them builds credibility for your results."
                    ),
                    (
                        "Invite managers from other areas to visit and see the service working. "
                        "Seeing front-line staff from different organisations working as one team "
                        "is often what convinces a sceptical leader to try it."
                    ),
                ),
                reflect(
                    "If your test succeeded, what would need to change in each partner "
                    "organisation to keep it going for five years?",
                    "Share your list with your peer group and ask which item they think is "
                    "hardest.",
                ),
            ),
        ),
    ],
}

POOLED_BUDGETS = {
    "slug": "pooled-budgets-and-shared-accountability",
    "title": "Pooled budgets and shared accountability",
    "summary": (
        "Learn how partners put money, decisions and risk together: pooled budgets, a single "
        "capital pot, public service boards and deals with government, and how to govern them."
    ),
    "search_description": (
        "An advanced course for senior public-sector leaders on pooled budgets, shared risk, "
        "public service boards and agreements between places and government."
    ),
    "description": paras(
        "Public money mostly reaches a place in separate streams, each tied to one "
        "organisation and its own rules. Pooling brings some of that money together so that "
        "partners can spend it on shared priorities.",
        "Pooling is powerful and difficult. It raises hard questions about who decides, who "
        "carries the risk and who answers to whom. This course looks at the main ways to pool "
        "money, the governance that makes pooling work, and how places can negotiate more "
        "freedom from central government.",
        "You will build the outline of a business case for pooling in your own place and test "
        "it with leaders from other sectors.",
    ),
    "outcomes": [
        "Explain why public money follows organisations rather than people, and what that costs.",
        "Compare the main ways of pooling budgets and choose one to suit a purpose.",
        "Design governance for a pooled budget, including decisions, risk sharing and scrutiny.",
        "Describe how places negotiate agreements with government for more control of public "
        "money.",
        "Build the outline of a business case for pooling with partners in your place.",
    ],
    "who_it_is_for": paras(
        "Senior leaders, finance directors, commissioners and partnership managers who already "
        "work with other organisations and want to share budgets and accountability with them.",
        "It suits people from councils, the NHS, police, fire and rescue, central government, "
        "housing and the voluntary sector. We recommend completing "
        "<em>Leading across organisational boundaries</em> first, or having similar "
        "experience.",
    ),
    "effort_hours": 24,
    "length_weeks": 8,
    "level": CoursePage.Level.ADVANCED,
    "format": CoursePage.Format.BLENDED,
    "sectors": SECTORS_BUT_EDUCATION,
    "themes": ["pooled-budgets", "systems-leadership", "place-based-working"],
    "image": ("Course hero: pooled budgets", "#003049", "#fcbf49", "#eae2b7", "#d62828"),
    "hero_image_alt": (
        "Abstract illustration: gold, cream and red circles overlapping on dark blue, like "
        "separate budgets joining into one."
    ),
    "modules": [
        module(
            "the-case-for-pooling",
            "The case for pooling",
            "Why public money follows organisations rather than people, the main ways to pool "
            "it, and how places negotiate more control with government.",
            lesson(
                "why-money-follows-organisations",
                "Why money follows organisations, not people",
                25,
                "How public money reaches a place, and why separate budgets make joined-up "
                "services hard.",
                h2("How money reaches a place"),
                p(
                    "Public money reaches a place through many channels. Councils receive "
                    "council tax, business rates and government grants. The NHS is funded "
                    "through integrated care boards. Police are funded by the Home Office and a "
                    "local precept. Jobcentres are part of a national department. Each channel "
                    "comes with its own rules, timescales and reporting.",
                ),
                h2("What separate budgets do"),
                p(
                    "Separate budgets create separate incentives. If a council invests in "
                    "support that keeps older people well at home, much of the saving appears "
                    "in the NHS, in fewer hospital admissions. If the NHS invests in mental "
                    "health support, some of the saving appears in policing. The organisation "
                    "that pays is often not the one that benefits.",
                    "This is sometimes called the wrong pocket problem. It makes prevention "
                    "hard to fund, because no single budget holder can justify it on its own.",
                ),
                quote(
                    "We could prove our service saved money. We just could not prove it saved "
                    "ours.",
                    "Head of commissioning, county council",
                ),
                h2("What pooling offers"),
                p(
                    "Pooling puts some money from several organisations into a shared budget "
                    "for agreed purposes. It lets partners invest where the benefit is greatest "
                    "for residents, even if the saving lands elsewhere, and it removes the "
                    "arguments about who pays for each person.",
                    "Pooling is not the answer to every problem. It takes time to set up, "
                    "needs careful governance and can create new boundaries around the pool. "
                    "This course helps you judge when it is worth it.",
                ),
                h2("Counting the wrong pocket"),
                p(
                    (
                        "A useful first step is to follow one group of residents, such as frail "
                        "older people, through a year of public spending by every partner. Mark "
                        "where money is spent and where savings from prevention would land. The "
                        "picture usually shows that no single organisation could ever justify the "
                        "investment alone, which is the strongest argument for pooling."
                    ),
                ),
                reflect(
                    "Think of a service in your place whose benefits land mostly in another "
                    "organisation's budget. How is it funded today, and how secure is that "
                    "funding?",
                ),
            ),
            lesson(
                "ways-to-pool",
                "Ways to pool",
                30,
                "Aligned budgets, pooled budgets, lead commissioning and a single capital pot: "
                "how they differ and when to use each.",
                h2("A range of options"),
                p(
                    "Pooling is not all or nothing. Partners can choose how closely to tie "
                    "their money together, from simply planning side by side to handing control "
                    "of a shared fund to one body.",
                ),
                table(
                    "Main ways partners combine money",
                    ["Approach", "How it works", "Suits"],
                    [
                        "Aligned budgets",
                        "Each partner keeps its own budget but plans and reports jointly",
                        "Early partnerships building trust",
                    ],
                    [
                        "Pooled budget",
                        "Partners pay into one fund managed under a formal agreement",
                        "Shared services for one group of people",
                    ],
                    [
                        "Lead commissioning",
                        "One partner buys services for all, using others' money",
                        "Services where one partner has the expertise",
                    ],
                    [
                        "Single capital pot",
                        "Separate capital grants combined into one flexible fund",
                        "Regeneration, transport and housing investment",
                    ],
                ),
                h2("Pooling in health and care"),
                p(
                    "In England, section 75 of the National Health Service Act 2006 lets NHS "
                    "bodies and councils pool budgets and delegate functions to each other. "
                    "The Better Care Fund, which began in 2015, requires health and care "
                    "partners in every area to pool some of their money.",
                ),
                h2("A single capital pot"),
                p(
                    "In 2010 NLGN recommended giving councils full discretion over spending on "
                    "regeneration, transport and housing through a single capital pot. The "
                    "argument was that many small, separate capital grants cost a great deal to "
                    "administer and stopped places investing in their own priorities. Some "
                    "combined authorities now receive more flexible, combined funding from "
                    "government.",
                ),
                case(
                    "what-it-costs-to-spend-regeneration-money",
                    "A combined authority makes the case for one capital pot.",
                ),
                h2("Choosing an approach"),
                p(
                    (
                        "Start with the purpose, not the mechanism. Ask what partners want the "
                        "money to achieve, how much flexibility they need and how much trust "
                        "already exists between them. Aligned budgets are a sensible first step "
                        "for many partnerships, and can move to a formal pool once partners have "
                        "seen the benefits of planning together."
                    ),
                ),
                reflect(
                    "Which of the four approaches would suit a problem you share with partners? "
                    "What would have to be true for you to move one step closer together?",
                ),
            ),
            lesson(
                "deals-between-places-and-government",
                "Deals between places and government",
                25,
                "How places negotiate more control of public money with central government, "
                "from Place Proposition Agreements to devolution deals.",
                h2("Why central government matters"),
                p(
                    "Local partners can pool the money they control, but much public spending "
                    "in a place is decided nationally. Employment support, skills funding and "
                    "many capital programmes are designed in Whitehall, with national rules.",
                    "Total Place showed that local partners hit a ceiling when central "
                    "government departments did not join up too.",
                ),
                h2("Place Proposition Agreements"),
                p(
                    "NLGN's 2010 report proposed a new kind of deal between places and "
                    "government, which it called Place Proposition Agreements. Under these, a "
                    "place would set out how it could deliver better services for less money, "
                    "in return for control over more public money and responsibility for "
                    "services such as employment and skills.",
                    "The report also proposed a Department for Devolved Government to drive "
                    "devolution across Whitehall, replacing the Department for Communities and "
                    "Local Government and the Cabinet Office.",
                ),
                h2("What happened next"),
                p(
                    "Since then, community budgets, city deals and devolution deals with "
                    "combined authorities have all followed a similar logic: a place proposes "
                    "what it will achieve, and government agrees to pass down money and "
                    "powers. Each has shown how much depends on local partners having a "
                    "credible, shared plan and evidence to back it.",
                ),
                details(
                    "What makes a strong proposal to government",
                    bullets(
                        "A clear account of what will improve for residents.",
                        "Evidence from a total count of what is spent now.",
                        "Agreement from every local partner, not just the council.",
                        "Proposals for how the place will be held to account.",
                        "A realistic view of risks and how they will be shared.",
                    ),
                ),
                h2("Building a relationship with government"),
                p(
                    (
                        "Deals depend on relationships as well as proposals. Places that succeed "
                        "usually have regular contact with officials in several departments, "
                        "invite them to see local work, and share evidence openly, including "
                        "about what has not worked. Officials are more willing to pass down money "
                        "and powers to places they know and trust."
                    ),
                ),
                reflect(
                    "If your place could ask government for control of one national funding "
                    "stream, which would you choose, and what would you offer in return?",
                ),
            ),
        ),
        module(
            "governing-together",
            "Governing together",
            "How partners govern shared money: public service boards, agreements for sharing "
            "risk and benefit, and democratic scrutiny.",
            lesson(
                "public-service-boards",
                "Public service boards",
                25,
                "What a public service board is, how it differs from a looser partnership, and "
                "what makes one work.",
                h2("From talking shop to decision-maker"),
                p(
                    "Many places have partnership boards that bring public services together. "
                    "Too often they are large, meet rarely and receive updates rather than make "
                    "decisions. In 2010 NLGN recommended strengthening Local Strategic "
                    "Partnerships and moving towards more statutory, incorporated and focused "
                    "Public Service Boards.",
                    "The idea is a smaller board whose members can commit their organisations, "
                    "with a few shared priorities, some shared money and clear accountability.",
                ),
                h2("Features of an effective board"),
                p(
                    bullets(
                        "Members who can make decisions for their organisation.",
                        "A small number of priorities that no partner can achieve alone.",
                        "A shared budget, even a modest one, to fund joint work.",
                        "One set of published measures for the priorities.",
                        "An agreed way to resolve disagreements.",
                        "Links to elected members and to residents.",
                    ),
                ),
                note(
                    "In Wales, public services boards were made statutory by the Well-being of "
                    "Future Generations (Wales) Act 2015. In England, similar roles are played "
                    "by a mix of health and wellbeing boards, community safety partnerships "
                    "and local partnership arrangements."
                ),
                case(
                    "a-public-service-board-for-one-borough",
                    "A borough sets up a small board with a joint fund and three priorities.",
                ),
                h2("Getting the membership right"),
                p(
                    (
                        "The hardest decision in setting up a board is who sits on it. A board "
                        "that tries to include everyone becomes too large to decide anything. A "
                        "board that leaves out an important partner, often the voluntary sector "
                        "or a central government agency, loses legitimacy and insight."
                    ),
                    (
                        "Many places solve this with two tiers: a small board of leaders who can "
                        "commit resources, and a wider forum that meets less often, shapes "
                        "priorities and hears progress. The two must be connected, for example by "
                        "the forum electing some board members or setting questions the board "
                        "must answer."
                    ),
                    (
                        "Whatever the arrangement, members should attend in person rather than "
                        "sending deputies who cannot commit their organisation. If that is not "
                        "possible, the deputy needs clear authority agreed in advance."
                    ),
                ),
                reflect(
                    "Which partnership board in your place comes closest to a public service "
                    "board? What would it need to make real decisions?",
                ),
            ),
            lesson(
                "sharing-risk-and-benefit",
                "Sharing risk and benefit",
                30,
                "How partners agree in advance who carries an overspend and who gains from a "
                "saving.",
                h2("The question every finance director asks"),
                p(
                    "Before agreeing to a pooled budget, every finance director will ask: what "
                    "happens if it overspends? And if it saves money, who gets the saving? "
                    "These questions are reasonable. A pooled budget without clear answers "
                    "will collapse at the first difficult winter.",
                ),
                table(
                    "Common ways to share risk in a pooled budget",
                    ["Approach", "How it works", "Watch out for"],
                    [
                        "In proportion",
                        "Overspends and savings are shared in proportion to contributions",
                        "Larger partners may feel they carry most of the risk",
                    ],
                    [
                        "Capped",
                        "Each partner's extra liability is capped at an agreed amount",
                        "What happens when the cap is reached",
                    ],
                    [
                        "Host carries risk",
                        "The partner hosting the pool carries overspends for a fee",
                        "The host may become cautious",
                    ],
                    [
                        "Reserve",
                        "A contingency fund is set aside in good years",
                        "Money tied up that could be spent on services",
                    ],
                ),
                h2("Sharing benefits"),
                p(
                    "Savings need rules too. Partners may agree to reinvest savings in the pool, "
                    "return them in proportion to contributions, or share them according to "
                    "where they arose. Whatever the choice, write it down before there is "
                    "money to argue about.",
                ),
                warning(
                    "Do not leave risk-sharing for later. Partners who agree a pooled budget "
                    "and plan to settle risk-sharing afterwards usually find that the first "
                    "overspend ends the partnership."
                ),
                case(
                    "a-shared-budget-for-leaving-hospital",
                    "NHS and council partners agree a risk share for discharge.",
                ),
                h2("Exit arrangements"),
                p(
                    (
                        "Partners should also agree how a partner can leave the pool: how much "
                        "notice it must give, what happens to staff and contracts funded from the "
                        "pool, and how any surplus or deficit is settled. Agreeing exit terms "
                        "does not make leaving more likely. It makes partners more willing to "
                        "join, because they know they are not locked in forever."
                    ),
                ),
                h2("Writing it down"),
                p(
                    (
                        "Record the risk share, benefit share and exit terms in the formal "
                        "agreement that sets up the pool, and review them each year alongside the "
                        "budget."
                    ),
                ),
                reflect(
                    "Which risk-sharing approach would your organisation's finance director "
                    "accept for a pooled budget, and why?",
                    "If you do not know, ask them. Their answer will tell you a lot.",
                ),
            ),
            lesson(
                "scrutiny-and-democratic-accountability",
                "Scrutiny and democratic accountability",
                25,
                "How shared budgets and boards can be held to account by elected members, "
                "parliament and the public.",
                h2("Who holds a partnership to account?"),
                p(
                    "Each public body answers to someone: councillors, a board, a police and "
                    "crime commissioner, ministers. When partners share money and decisions, "
                    "accountability can become blurred. Nobody is quite sure who answers for "
                    "the results.",
                    "Good shared accountability makes it clear who decides what, and gives "
                    "elected representatives and residents a way to question the partnership "
                    "as a whole.",
                ),
                h2("Local scrutiny"),
                p(
                    "Council scrutiny committees can examine partnership work, and can invite "
                    "leaders from other organisations to give evidence. Joint committees of "
                    "several councils, or of councillors and NHS board members, can oversee "
                    "pooled budgets together.",
                ),
                h2("National scrutiny"),
                p(
                    "NLGN's 2010 report proposed a Total Place Progress Committee: a joint "
                    "committee of MPs and local council leaders to scrutinise how well "
                    "government departments were joining up behind places. It reflected the "
                    "view that central government needed to be held to account for "
                    "collaboration as much as local partners.",
                ),
                details(
                    "Questions scrutiny should ask of a pooled budget",
                    bullets(
                        "What has changed for residents, and how do we know?",
                        "Is the money being spent on the agreed priorities?",
                        "Are any partners withdrawing effort or money?",
                        "How are risks being shared in practice?",
                        "What have partners learned, and what will they change?",
                    ),
                ),
                h2("Involving residents"),
                p(
                    (
                        "Scrutiny is not only for elected members. Residents can be involved "
                        "through open meetings, citizens' panels or published reports written in "
                        "plain English. Some partnerships invite residents who use a service to "
                        "present their experience to the board each year."
                    ),
                    (
                        "Involving residents keeps attention on outcomes rather than on "
                        "organisational interests, and gives partners early warning when a "
                        "service is not working as intended."
                    ),
                ),
                h2("Accountability to government"),
                p(
                    (
                        "Where a place has negotiated money or powers from government, "
                        "accountability runs upwards as well. Agree with officials what will be "
                        "reported, how often and in what form, and try to align it with what "
                        "local scrutiny already receives, so that partners are not producing two "
                        "versions of the same report."
                    ),
                ),
                reflect(
                    "How are elected members in your place involved in overseeing work that "
                    "partners do together? What would help them question it better?",
                ),
            ),
        ),
        module(
            "making-pooling-work",
            "Making pooling work",
            "How to build the business case for pooling, agree shared outcomes and keep the "
            "partnership together when things go wrong.",
            lesson(
                "building-the-business-case",
                "Building the business case",
                35,
                "How to make a business case for pooling that every partner's board can approve.",
                h2("One case, several audiences"),
                p(
                    "A business case for pooling must convince several boards, each with its "
                    "own priorities and tests. It should be one document, agreed by all "
                    "partners, with a short section for each showing what it means for them.",
                ),
                h2("What to include"),
                p(
                    steps(
                        "The problem, described from the resident's side.",
                        "What partners spend on it now, from a total count.",
                        "What the pool will pay for and what it will achieve.",
                        "The model of pooling and why it was chosen.",
                        "Governance, risk sharing and exit arrangements.",
                        "Costs and savings over several years, and where they fall.",
                        "How success will be measured and reported.",
                    ),
                ),
                note(
                    "Show where savings land, partner by partner. A case that saves money "
                    "overall but costs one partner more will need a way to compensate that "
                    "partner."
                ),
                h2("Be honest about uncertainty"),
                p(
                    "Savings from prevention are uncertain and slow to appear. Boards trust "
                    "cases that show a range of outcomes and say what will be measured to "
                    "check progress, more than cases that promise a precise saving.",
                ),
                case(
                    "a-shared-budget-for-leaving-hospital",
                    "A pooled discharge budget and what it achieved.",
                ),
                h2("Working with finance teams"),
                p(
                    (
                        "Involve finance officers from every partner from the start. They will "
                        "need to agree the figures, and they know the internal tests each board "
                        "will apply. A business case written by service managers alone often "
                        "fails at the finance committee."
                    ),
                    (
                        "Ask each finance lead to check how the pool would appear in their "
                        "organisation's accounts, what approvals are needed, and how any VAT or "
                        "legal questions will be handled. These details can delay a pool by "
                        "months if they are discovered late."
                    ),
                    (
                        "Finally, plan the timing. Partners set budgets at different points in "
                        "the year, so a business case approved in the wrong month may have to "
                        "wait a year for funding."
                    ),
                ),
                reflect(
                    "Whose board would be hardest to convince of your business case, and what "
                    "evidence would persuade them?",
                    "Draft one paragraph written for that board and share it with your peer group.",
                ),
            ),
            lesson(
                "agreeing-shared-outcomes",
                "Agreeing shared outcomes",
                25,
                "How to agree outcomes and measures that every partner is accountable for.",
                h2("Outcomes, not activity"),
                p(
                    "A pooled budget should be judged on what it changes for residents, not "
                    "on how much activity it funds. Agree a small number of outcomes, "
                    "described in plain English, that all partners can see their part in.",
                ),
                h2("From outcomes to measures"),
                p(
                    "For each outcome, choose one or two measures that can be collected "
                    "reliably and reported often enough to guide decisions. Include at least "
                    "one measure of residents' experience.",
                ),
                table(
                    "Example: outcomes and measures for a pooled discharge budget",
                    ["Outcome", "Measure"],
                    [
                        "People leave hospital as soon as they are well enough",
                        "Average days waiting once medically ready",
                    ],
                    [
                        "People stay well at home afterwards",
                        "Readmissions within 30 days",
                    ],
                    [
                        "People feel involved in decisions",
                        "Share who say they were listened to",
                    ],
                ),
                warning(
                    "Avoid reporting different versions of the same measure to different "
                    "boards. Agree one definition and one source of data, and use it everywhere."
                ),
                h2("Reporting together"),
                p(
                    (
                        "Once outcomes and measures are agreed, decide how they will be reported. "
                        "A single dashboard, produced monthly by one analyst on behalf of all "
                        "partners, is more useful than several reports prepared separately."
                    ),
                    (
                        "Report the measures with a short commentary agreed by the partners: what "
                        "has changed, why they think it changed and what they will do next. "
                        "Numbers without a shared explanation invite each board to draw its own "
                        "conclusions."
                    ),
                    (
                        "Review the measures once a year. Some will turn out to be hard to "
                        "collect or easy to game. Changing a measure is fine, as long as partners "
                        "agree the change together and explain it openly."
                    ),
                ),
                h2("Baselines"),
                p(
                    (
                        "Before the pool starts, record where each measure stands. Without a "
                        "baseline, partners cannot tell whether things have improved, and "
                        "arguments about success become arguments about memory. If data for a "
                        "baseline does not exist, collect it for a few months before making "
                        "changes."
                    ),
                ),
                reflect(
                    "Write one shared outcome for a pooled budget in your place, with one "
                    "measure. Would every partner accept being held to account for it?",
                ),
            ),
            lesson(
                "when-things-go-wrong",
                "When things go wrong",
                25,
                "How to keep a partnership together through overspends, failures and changes "
                "of leadership.",
                h2("Every partnership will be tested"),
                p(
                    "A pooled budget will overspend in a hard winter. A new chief executive "
                    "will question the arrangement. A serious incident will raise the question "
                    "of who was responsible. Partnerships that survive these moments have "
                    "prepared for them.",
                ),
                h2("Prepare before the crisis"),
                p(
                    bullets(
                        "Agree risk-sharing and dispute resolution in writing at the start.",
                        "Brief new leaders in every partner as soon as they arrive.",
                        "Report problems early and jointly, not partner by partner.",
                        "Agree how partners can leave the pool, and with how much notice.",
                    ),
                ),
                h2("Leading through it"),
                p(
                    "When something goes wrong, the instinct of each organisation is to "
                    "protect itself. Leaders who keep the partnership together talk to each "
                    "other before they talk to their own boards, focus on residents rather "
                    "than blame, and look for what the system can learn.",
                ),
                quote(
                    "Our worst month was also the month we learned most. We got through it "
                    "because we had agreed the rules when we still liked each other.",
                    "Director of finance, integrated care board",
                ),
                h2("Learning without blame"),
                p(
                    (
                        "After a crisis, hold a joint review with every partner. Focus on what "
                        "happened in the system rather than on who made a mistake: where "
                        "information did not flow, where rules clashed, where decisions waited "
                        "for approval."
                    ),
                    (
                        "Invite front-line staff to take part. They usually saw the problem "
                        "coming before their managers did, and their account of what happened is "
                        "often the most useful."
                    ),
                    (
                        "Agree a short list of changes and publish them to every partner's board. "
                        "A partnership that learns openly from a difficult episode often comes "
                        "out of it stronger and more trusted than before."
                    ),
                ),
                h2("Looking after people"),
                p(
                    (
                        "Crises put pressure on staff as well as on budgets. Leaders who "
                        "acknowledge the strain on front-line teams, and make sure partners "
                        "support each other's staff, protect the relationships the partnership "
                        "depends on."
                    ),
                ),
                reflect(
                    "What is the most likely crisis your pooled budget or partnership could "
                    "face in its first year? What would you want to have agreed before it "
                    "happens?",
                ),
            ),
            lesson(
                "further-reading-on-devolution-and-pooling",
                "Further reading on devolution and pooling",
                15,
                "Optional: ideas and sources for going further with pooled budgets and devolution.",
                h2("Going further"),
                p(
                    "This lesson is optional. It suggests themes to explore after the course, "
                    "on your own or with your peer group.",
                ),
                h3("Themes to explore"),
                p(
                    bullets(
                        "The history of Total Place, community budgets and city deals, and "
                        "what each taught about joining up central and local government.",
                        "The Better Care Fund and other pooled health and care budgets, "
                        "including published evaluations.",
                        "Devolution deals with combined authorities, and the more flexible "
                        "funding some now receive.",
                        "Statutory public services boards in Wales.",
                    ),
                ),
                details(
                    "About the 2010 report behind this academy",
                    "NLGN's report <em>Greater than the sum of its parts</em> (March 2010) made "
                    "several recommendations covered in this course: Place Proposition "
                    "Agreements, a single capital pot, a Total Place Progress Committee and "
                    "Public Service Boards.",
                ),
                h2("How to use these themes"),
                p(
                    (
                        "You do not need to read widely to get value from this lesson. Pick one "
                        "theme, find one evaluation or report about it, and read it with a "
                        "question from your own place in mind: what would this mean for the "
                        "partners I work with?"
                    ),
                    (
                        "Evaluations of pooled budgets are often more useful for what went wrong "
                        "than for what went right. Look for the reasons partners gave for "
                        "withdrawing, the points where governance slowed decisions, and the "
                        "measures that proved hard to collect. These are the problems you are "
                        "most likely to meet yourself."
                    ),
                    (
                        "Consider reading with a colleague from another sector. A finance "
                        "director and a service manager will notice different things in the same "
                        "report, and comparing notes is a good way to start a conversation about "
                        "pooling in your own place."
                    ),
                    (
                        "If your peer group agrees, spend part of your next meeting on what each "
                        "member read and what they would take from it."
                    ),
                ),
                h2("A final thought"),
                p(
                    (
                        "Pooling and devolution are means, not ends. The test of any arrangement "
                        "is whether residents get better help, sooner, for the money spent."
                    ),
                ),
                reflect(
                    "Which of the report's recommendations seems most relevant to your place "
                    "today, and why?",
                ),
                required=False,
            ),
        ),
    ],
}

COURSES = [
    LEADING_ACROSS_BOUNDARIES,
    COUNTING_AND_MAPPING,
    REDESIGNING_AROUND_THE_CITIZEN,
    POOLED_BUDGETS,
]
