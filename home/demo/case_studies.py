"""The demo case-study library at /case-studies/: place-based teaching examples.

Every case here is illustrative: the places are real but the stories, people and results are
written for teaching. Two cases start from findings published by NLGN in "Greater than the sum
of its parts" (March 2010); those cases name it as their source and say which facts come from
it.

The helpers at the top (``upsert_page`` and friends) are shared with ``home.demo.courses``."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from wagtail.models import Page
from wagtail.search import index

from academy.models import Place
from courses.models import CaseStudyIndexPage, CaseStudyPage

from . import CREATED, UNCHANGED, UPDATED, Summary
from .images import demo_image

K = Place.Kind

NLGN_SOURCE = (
    'NLGN, "Greater than the sum of its parts", March 2010 (one Total Place pilot\'s finding). '
    "The place, the partnership and every other figure in this case are illustrative."
)


# --- Shared page helpers -----------------------------------------------------------------------


def upsert_page(
    summary: Summary,
    parent: Page,
    model: type[Page],
    fields: dict,
    *,
    streams: dict | None = None,
    relations: dict | None = None,
    kind: str = "pages",
) -> Page | None:
    """Create the ``model`` page with ``fields["slug"]`` under ``parent``, or bring an existing
    one back in line: plain ``fields``, StreamField ``streams`` (raw ``[{"type", "value"}]``
    lists) and many-to-many ``relations`` (lists of objects). A new revision is published only
    when something differs, so a second run adds no revisions."""
    streams = streams or {}
    relations = relations or {}
    label = f"{fields['title']} ({parent.url_path[len('/home') :]}{fields['slug']}/)"
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is None:
        page = model(**fields, **streams)
        for name, objects in relations.items():
            getattr(page, name).set(objects)
        parent.add_child(instance=page)
        publish(page)
        summary.record(kind, CREATED, label)
        return page

    page = existing.specific
    if not isinstance(page, model):
        summary.warn(f"{label} is a {type(page).__name__}, not a {model.__name__}: skipped")
        return None
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    for name, raw in streams.items():
        if stream_content(getattr(page, name)) != wanted_stream_content(page, name, raw):
            setattr(page, name, raw)
            changed = True
    for name, objects in relations.items():
        manager = getattr(page, name)
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in objects}:
            manager.set(objects)
            changed = True
    if changed or not page.live:
        publish(page)
        summary.record(kind, UPDATED, label)
    else:
        summary.record(kind, UNCHANGED, label)
    return page


def publish(page: Page) -> None:
    """Publish a new revision and index the page at once, as ``home.demo.pages`` does."""
    page.save_revision(log_action=True).publish()
    index.insert_or_update_object(page)


def stream_content(stream) -> list[tuple]:
    """A StreamField value as (block type, JSON-ready value) pairs, without block ids, in the
    form Wagtail stores it, so that stored and wanted content compare equal."""
    return [
        (child.block_type, _jsonish(child.block.get_prep_value(child.value))) for child in stream
    ]


def wanted_stream_content(page: Page, field_name: str, raw: list[dict]) -> list[tuple]:
    stream_block = page._meta.get_field(field_name).stream_block
    return stream_content(stream_block.to_python(raw))


def raw_stream(blocks: list[tuple]) -> list[dict]:
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _jsonish(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def paras(*texts: str) -> str:
    """Rich text made of paragraphs; a text that already starts with a tag goes in as it is."""
    return "".join(text if text.startswith("<") else f"<p>{text}</p>" for text in texts)


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# --- The library -------------------------------------------------------------------------------

INDEX_PAGE = {
    "title": "Case studies",
    "slug": "case-studies",
    "introduction": (
        "What happened when public services in one place decided to work as one: the problem "
        "they shared, what partners did, what changed and what leaders learned. Filter by "
        "sector, theme and place."
    ),
    "search_description": (
        "Place-based case studies of councils, the NHS, police, fire, jobcentres, housing and "
        "the voluntary sector working together, with the results they achieved."
    ),
}


def figure(label: str, value: str, unit: str = "") -> tuple[str, dict]:
    return ("figure", {"label": label, "value": value, "unit": unit})


def said(quote: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"quote": quote, "attribution": attribution})


# Fields of each case, in the order they appear in the library.
CASE_STUDIES = [
    {
        "slug": "one-front-door-for-financial-help",
        "title": "One front door for people who need financial help",
        "place": ("Birmingham", K.LOCAL_AUTHORITY),
        "sectors": [
            "local-government",
            "central-government",
            "housing",
            "voluntary-and-community",
        ],
        "themes": ["citizen-centred-services", "data-and-evidence"],
        "year": 2023,
        "source": NLGN_SOURCE,
        "image": ("Case study hero: one front door", "#0b3c5d", "#f2c14e", "#5fa8d3", "#e4572e"),
        "hero_image_alt": (
            "Abstract illustration: overlapping yellow, blue and orange circles on deep blue, "
            "suggesting several services meeting at one door."
        ),
        "summary": (
            "A council, the jobcentre, a housing association and advice charities counted every "
            "form a struggling household had to fill in, then built one conversation to replace "
            "them."
        ),
        "search_description": (
            "Illustrative case: Birmingham partners replace dozens of separate application "
            "forms with one conversation for households in financial difficulty."
        ),
        "challenge": paras(
            "In 2010 NLGN reported that one Total Place pilot had found as many as 50 different "
            "benefits, each with its own form, rules and administrative machinery. Partners in "
            "this illustrative Birmingham example asked whether the same was still true for "
            "their residents.",
            "A household in rent arrears might apply separately for Universal Credit, a council "
            "tax reduction, a discretionary housing payment, free school meals, a hardship "
            "grant and help with energy bills. Each application asked for the same proof of "
            "income and identity. Each was assessed by a different team with its own rules and "
            "timescales. People gave up part way through, and arrears grew while they waited.",
        ),
        "what_partners_did": paras(
            "Managers from the council's revenues and benefits service, the local jobcentre, "
            "the largest housing association and two advice charities met every fortnight for "
            "six months. They started by following ten real households through the system, "
            "with their consent, and writing down every form, phone call and visit.",
            bullets(
                "They listed every scheme a resident on a low income might apply for and found "
                "31 separate application routes run by five organisations.",
                "They agreed one shared 'tell us once' conversation, held by whichever "
                "organisation the resident contacted first, covering all the schemes at once.",
                "They signed a data-sharing agreement so that proof of income and identity "
                "collected once could be used by every partner, with the resident's consent.",
                "They trained 40 front-line staff from all five organisations together, in "
                "mixed groups, so each knew what the others could offer.",
            ),
        ),
        "outcomes": [
            figure("Separate benefits, each with its own form (one Total Place pilot, 2010)", "50"),
            figure("Application routes found in the local count", "31"),
            figure("Average days from first contact to help in place, down from 38", "9", "days"),
            figure("Households helped in the first year", "2140", "households"),
        ],
        "lessons_for_leaders": paras(
            "Count before you redesign. Until the partners listed every form side by side, each "
            "organisation believed its own process was reasonable. The problem only became "
            "visible when someone looked from the resident's side.",
            "Give front-line staff permission to act for the whole system. The biggest change "
            "was not a new IT system but a shared agreement that any partner could start help "
            "on behalf of all of them.",
            "Settle information sharing early. The data-sharing agreement took three months, "
            "longer than anything else. Involve your data protection officers from the first "
            "meeting, not the last.",
        ),
        "quotes": [
            said(
                "We had each designed a sensible form. Put together, they were a wall.",
                "Head of revenues and benefits, city council",
            ),
            said(
                "The first time a jobcentre work coach booked someone straight into a council "
                "hardship payment, the whole group cheered.",
                "Partnership manager, jobcentre",
            ),
        ],
    },
    {
        "slug": "what-it-costs-to-spend-regeneration-money",
        "title": "What it costs to spend regeneration money",
        "place": ("West Midlands", K.COMBINED_AUTHORITY),
        "sectors": ["local-government", "central-government", "education", "other"],
        "themes": ["pooled-budgets", "data-and-evidence"],
        "year": 2019,
        "source": NLGN_SOURCE,
        "image": (
            "Case study hero: regeneration money",
            "#14213d",
            "#fca311",
            "#90be6d",
            "#e5e5e5",
        ),
        "hero_image_alt": (
            "Abstract illustration: amber, green and pale grey circles on navy, overlapping "
            "like funding streams joining into one."
        ),
        "summary": (
            "Councils and partners added up what they spent applying for, managing and reporting "
            "on economic development funding, and made the case for one capital pot."
        ),
        "search_description": (
            "Illustrative case: West Midlands partners count the administrative cost of many "
            "small regeneration funds and move towards a single capital pot."
        ),
        "challenge": paras(
            "NLGN's 2010 report on Total Place described a pilot that calculated it cost as much "
            "as £135m to spend £176m on economic development projects. In this illustrative "
            "case, leaders across a combined authority suspected that their own funding was "
            "going the same way.",
            "Money for regeneration, skills and business support arrived in many separate pots "
            "from different government departments. Each pot had its own bidding round, "
            "eligibility rules, monitoring returns and audit. Small teams in every council "
            "spent much of their year writing bids and reports rather than running projects.",
        ),
        "what_partners_did": paras(
            "A working group of finance and regeneration managers from the councils, the "
            "combined authority, a further education college and the local business board "
            "agreed a simple method for counting the cost of administration.",
            bullets(
                "They listed every economic development funding stream that came into the area "
                "over three years, with its value and its rules.",
                "They estimated staff time spent on bidding, managing, monitoring and audit for "
                "each stream, in every organisation involved, and priced it.",
                "They compared that cost with the value of each stream and shared the results "
                "openly with government officials.",
                "They used the evidence to negotiate a single, flexible capital pot for "
                "regeneration, transport and housing, with one set of reporting requirements.",
            ),
        ),
        "outcomes": [
            figure(
                "Cost to deliver £176m of economic development projects (one Total Place "
                "pilot, 2010)",
                "135",
                "£m",
            ),
            figure("Separate funding streams found in the local count", "23"),
            figure("Funding streams brought into one capital pot", "14"),
            figure("Staff time freed from bidding and reporting each year", "19", "posts"),
        ],
        "lessons_for_leaders": paras(
            "Make the invisible cost visible. Nobody budgets for the cost of administering a "
            "fund, so nobody sees it. A credible count, agreed by finance officers from every "
            "partner, changed the conversation with government.",
            "Use the count to ask for something specific. The partners did not just publish a "
            "figure: they proposed a single pot with clear accountability in return.",
            "Keep the method simple and open. Other partners and government officials trusted "
            "the figures because they could see how they were built.",
        ),
        "quotes": [
            said(
                "We were spending a fortune to spend a fortune. Once it was on one page, nobody "
                "could defend it.",
                "Director of finance, metropolitan borough council",
            ),
            said(
                "The single pot came with harder questions about results, and we welcomed them.",
                "Head of economic strategy, combined authority",
            ),
        ],
    },
    {
        "slug": "keeping-tenants-in-their-homes",
        "title": "Keeping tenants in their homes",
        "place": ("Salford", K.LOCAL_AUTHORITY),
        "sectors": ["housing", "local-government", "central-government", "fire-and-rescue"],
        "themes": ["citizen-centred-services", "place-based-working"],
        "year": 2022,
        "source": "",
        "image": (
            "Case study hero: keeping tenants housed",
            "#264653",
            "#e9c46a",
            "#2a9d8f",
            "#f4a261",
        ),
        "hero_image_alt": (
            "Abstract illustration: warm yellow and orange circles overlapping teal ones on a "
            "dark green background, suggesting homes and the services around them."
        ),
        "summary": (
            "A housing association, the council, the jobcentre and the fire service spotted "
            "tenants heading for eviction early and offered one joined-up visit."
        ),
        "search_description": (
            "Illustrative case: Salford housing, council, jobcentre and fire service partners "
            "cut evictions for rent arrears with early, joined-up home visits."
        ),
        "challenge": paras(
            "Evictions for rent arrears were rising. When the housing association looked back "
            "at tenants it had evicted, most had been known to at least three other public "
            "services in the year before: the council's council tax team, the jobcentre, and "
            "often the fire service, which had visited after a kitchen fire or a hoarding "
            "concern.",
            "Each service had seen a warning sign, but none knew the others had seen one too. "
            "By the time court action began, debts were too large to clear.",
        ),
        "what_partners_did": paras(
            "Tenancy, benefits, jobcentre and fire safety managers agreed a short list of early "
            "warning signs, such as two missed rent payments, a change in benefit, a council "
            "tax reminder or a safe and well visit that raised concerns. Where a tenant showed "
            "two or more signs, one named worker arranged a single visit on behalf of all the "
            "partners.",
            "On the visit the worker could check benefit entitlement, set up a repayment plan, "
            "book a fire safety check and refer to debt advice, without passing the tenant "
            "between organisations.",
        ),
        "outcomes": [
            figure("Fall in evictions for rent arrears over two years", "38", "%"),
            figure("Tenants offered a joined-up visit in the first year", "612", "tenants"),
            figure("Tenants with a repayment plan still in place after six months", "74", "%"),
        ],
        "lessons_for_leaders": paras(
            "Look backwards to see forwards. Reviewing past evictions together showed partners "
            "where the early signs had been, and built a shared sense of responsibility.",
            "One named worker matters more than a new process. Tenants said the difference "
            "was having one person who knew their whole situation.",
            "Agree what each partner gives up. The fire service changed how it recorded safe "
            "and well visits; the jobcentre shared notice of benefit changes sooner. Both needed "
            "senior sign-off.",
        ),
        "quotes": [
            said(
                "We were all knocking on the same door, one after another.",
                "Station manager, community safety, fire and rescue service",
            ),
            said(
                "For the first time, somebody asked me about everything at once.",
                "Tenant, speaking at a partnership review",
            ),
        ],
    },
    {
        "slug": "counting-the-public-pound-in-one-neighbourhood",
        "title": "Counting the public pound in one neighbourhood",
        "place": ("Leeds", K.LOCAL_AUTHORITY),
        "sectors": [
            "local-government",
            "nhs-and-health",
            "police-and-justice",
            "voluntary-and-community",
        ],
        "themes": ["data-and-evidence", "place-based-working"],
        "year": 2021,
        "source": "",
        "image": (
            "Case study hero: counting the public pound",
            "#f1faee",
            "#1d3557",
            "#457b9d",
            "#e63946",
        ),
        "hero_image_alt": (
            "Abstract illustration: navy, mid-blue and red circles overlapping on a pale "
            "background, like a map of services in one neighbourhood."
        ),
        "summary": (
            "Partners in one Leeds neighbourhood carried out a total count of public spending "
            "and mapped every public building, then moved services under fewer roofs."
        ),
        "search_description": (
            "Illustrative case: a total count and asset map of public spending in one Leeds "
            "neighbourhood leads to shared buildings and a joined-up offer."
        ),
        "challenge": paras(
            "The neighbourhood, home to about 20,000 people, had some of the highest levels of "
            "need in the city. Every organisation could say what it spent there, but nobody "
            "knew the total, or how much went on buildings and administration rather than on "
            "services.",
            "Residents complained that services were scattered: a health centre at one end of "
            "the high street, a police office that was rarely open, a library with reduced "
            "hours and a community centre that could not afford its heating bills.",
        ),
        "what_partners_did": paras(
            "The council, the local NHS, the police and the voluntary sector network agreed to "
            "a total count: every pound of public money spent on or for the people of the "
            "neighbourhood in one year, by every organisation. Analysts from each partner "
            "worked in one room for six weeks.",
            "Alongside the count they mapped every public asset: buildings, land, vehicles "
            "and the staff who were based in the area. The map showed 47 buildings, many half "
            "empty for most of the week.",
            "Partners then held three open meetings with residents to share the findings and "
            "ask what a better arrangement would look like.",
        ),
        "outcomes": [
            figure("Public spending in the neighbourhood each year", "186", "£m"),
            figure("Public buildings mapped", "47", "buildings"),
            figure("Buildings brought into shared use", "9", "buildings"),
            figure("Running costs saved each year", "1.2", "£m"),
        ],
        "lessons_for_leaders": paras(
            "A total count is a conversation starter, not an answer. The figure itself changed "
            "little; the discussion it started between partners and with residents changed a "
            "great deal.",
            "Analysts need a mandate. The count worked because chief officers had each "
            "released their analysts' time and agreed in advance to share data.",
            "Map people, not only property. Knowing which staff worked in the area, and when, "
            "was as useful as knowing which buildings were empty.",
        ),
        "quotes": [
            said(
                "We thought we knew the neighbourhood. The map showed we knew our own bit of it.",
                "Neighbourhood inspector, police",
            ),
            said(
                "Residents were not surprised by the total. They were surprised we had never "
                "added it up before.",
                "Chief executive, voluntary sector network",
            ),
        ],
    },
    {
        "slug": "frequent-callers-to-emergency-services",
        "title": "Helping people who call emergency services most often",
        "place": ("Greater Manchester", K.POLICE_FORCE_AREA),
        "sectors": [
            "police-and-justice",
            "nhs-and-health",
            "fire-and-rescue",
            "voluntary-and-community",
        ],
        "themes": ["systems-leadership", "citizen-centred-services"],
        "year": 2020,
        "source": "",
        "image": ("Case study hero: frequent callers", "#22223b", "#9a8c98", "#c9ada7", "#4a4e69"),
        "hero_image_alt": (
            "Abstract illustration: muted lilac and rose circles overlapping on a dark "
            "background, suggesting calls from one person reaching several services."
        ),
        "summary": (
            "Police, ambulance, mental health, fire and a charity found that a small number of "
            "people made thousands of emergency calls, and built one plan around each person."
        ),
        "search_description": (
            "Illustrative case: Greater Manchester police, health, fire and voluntary partners "
            "reduce emergency calls with one shared plan for each frequent caller."
        ),
        "challenge": paras(
            "Each emergency service kept its own list of people who called most often. When the "
            "lists were compared, the same names appeared on all of them. Many of the callers "
            "were lonely, unwell or in crisis, and every call led to a response that solved "
            "nothing for long.",
            "No single service owned the problem. Each had tried to manage calls down on its "
            "own, sometimes in ways that moved the calls to another service.",
        ),
        "what_partners_did": paras(
            "A multi-agency team met every week to agree one plan for each person, with one "
            "lead worker who knew them well. Plans covered health care, housing, debt and "
            "company as well as how each service would respond to a call.",
            "A local charity provided peer support workers with lived experience of mental "
            "ill health, who had more time to listen than any emergency service.",
        ),
        "outcomes": [
            figure("People supported in the first year", "84", "people"),
            figure("Fall in emergency calls from the people supported", "61", "%"),
            figure("Fall in emergency department attendances by the same group", "43", "%"),
        ],
        "lessons_for_leaders": paras(
            "Shared lists reveal shared problems. Comparing data took a morning and changed "
            "the way leaders saw the issue.",
            "Stop moving demand around. Success was measured across all services together, so "
            "no partner could claim a win by pushing calls to another.",
            "Value the voluntary sector as an equal partner. The peer support workers were the "
            "reason many people engaged at all.",
        ),
        "quotes": [
            said(
                "Every service was answering the call. Nobody was answering the person.",
                "Inspector, partnership and prevention, police",
            ),
            said(
                "I stopped calling 999 when someone started calling me.",
                "Person supported by the service, in a feedback session",
            ),
        ],
    },
    {
        "slug": "a-shared-budget-for-leaving-hospital",
        "title": "A shared budget for getting people home from hospital",
        "place": ("Birmingham and Solihull", K.INTEGRATED_CARE_SYSTEM),
        "sectors": ["nhs-and-health", "local-government", "voluntary-and-community"],
        "themes": ["pooled-budgets", "systems-leadership"],
        "year": 2024,
        "source": "",
        "image": (
            "Case study hero: getting people home",
            "#003049",
            "#fcbf49",
            "#eae2b7",
            "#d62828",
        ),
        "hero_image_alt": (
            "Abstract illustration: gold, cream and red circles overlapping on dark blue, like "
            "separate budgets combined into one."
        ),
        "summary": (
            "The NHS, two councils and a home support charity pooled their discharge budgets "
            "and agreed one set of decisions about who goes home, when and with what help."
        ),
        "search_description": (
            "Illustrative case: Birmingham and Solihull NHS, council and charity partners pool "
            "discharge budgets to get people home from hospital sooner."
        ),
        "challenge": paras(
            "Hundreds of people each day were well enough to leave hospital but waiting for "
            "care at home, a care home place or equipment. Hospital, social care and community "
            "health teams each held part of the budget, and each had to approve its share. "
            "Delays while organisations agreed who would pay were common.",
        ),
        "what_partners_did": paras(
            "The partners put their discharge and short-term care budgets into one pooled "
            "budget under a formal agreement between the NHS and the councils. A single "
            "discharge team, drawn from all partners, could commit the whole budget without "
            "asking each organisation for approval.",
            "They agreed in advance how overspends and underspends would be shared, and "
            "reported monthly to a joint committee of councillors and NHS board members.",
        ),
        "outcomes": [
            figure("Pooled discharge budget each year", "18.5", "£m"),
            figure("Fall in the average wait to leave hospital once well enough", "2.5", "days"),
            figure("People home with support within 24 hours of being ready", "68", "%"),
        ],
        "lessons_for_leaders": paras(
            "Pool decisions, not only money. The budget mattered because one team could use it "
            "without asking permission three times.",
            "Agree the risk share before you need it. Partners settled how to share an "
            "overspend while relations were good, which made the first bad winter easier.",
            "Report jointly. A single report to a joint committee stopped each organisation "
            "telling a different story about the same patients.",
        ),
        "quotes": [
            said(
                "The patient never cared whose budget it was. Now neither do we.",
                "Director of place partnerships, integrated care board",
            ),
        ],
    },
    {
        "slug": "a-public-service-board-for-one-borough",
        "title": "A public service board for one borough",
        "place": ("Solihull", K.LOCAL_AUTHORITY),
        "sectors": [
            "local-government",
            "police-and-justice",
            "nhs-and-health",
            "central-government",
        ],
        "themes": ["systems-leadership", "pooled-budgets", "place-based-working"],
        "year": 2012,
        "source": "",
        "image": (
            "Case study hero: public service board",
            "#2b2d42",
            "#8d99ae",
            "#ef233c",
            "#edf2f4",
        ),
        "hero_image_alt": (
            "Abstract illustration: grey, red and white circles overlapping on charcoal, like "
            "partners seated around one table."
        ),
        "summary": (
            "Leaders of the council, police, NHS and jobcentre replaced a loose partnership "
            "with a board that held shared budgets and agreed three priorities for the borough."
        ),
        "search_description": (
            "Illustrative case: Solihull public service leaders form a public service board "
            "with shared priorities, a small pooled fund and joint accountability."
        ),
        "challenge": paras(
            "The borough's local strategic partnership had more than 30 members, met four times "
            "a year and had a long list of priorities. Meetings were mostly updates. It had no "
            "money of its own and no power to make decisions that bound its members.",
        ),
        "what_partners_did": paras(
            "Chief officers agreed to form a smaller public service board of eight members, "
            "each able to commit their organisation. The board chose three priorities where no "
            "partner could succeed alone: worklessness among young people, falls among older "
            "people and repeat domestic abuse.",
            "Each partner put a small share of its budget into a joint fund for the three "
            "priorities, and the board published one set of outcome measures that all members "
            "were held to account for in public.",
        ),
        "outcomes": [
            figure("Members, down from 32 in the old partnership", "8", "members"),
            figure("Joint fund for three shared priorities", "3.4", "£m"),
            figure("Young people not in work or training, change over three years", "-21", "%"),
        ],
        "lessons_for_leaders": paras(
            "Smaller and sharper beats large and inclusive for decisions. The board kept a "
            "wider forum for engagement, but made decisions with people who could commit "
            "resources.",
            "Three priorities are enough. Focusing on a few shared problems let the board show "
            "results and build trust for harder choices later.",
            "Public accountability keeps partners honest. Publishing one set of measures made "
            "it hard for any partner to quietly step back.",
        ),
        "quotes": [
            said(
                "We stopped reporting to each other and started deciding together.",
                "Chief executive, metropolitan borough council",
            ),
            said(
                "Putting money in the pot was the moment it became real for my organisation.",
                "Chief superintendent, local policing",
            ),
        ],
    },
]


def load_case_studies(summary: Summary, home_page, themes: dict, places: dict) -> list:
    """The case-study library at /case-studies/ and every demo case study, in a fixed order.
    ``themes`` is what ``load_themes`` returns; ``places`` what ``load_places`` returns."""
    from academy.models import Sector

    index_page = upsert_page(summary, home_page, CaseStudyIndexPage, dict(INDEX_PAGE))
    if index_page is None:
        return []
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    case_studies = []
    for spec in CASE_STUDIES:
        image_title, *colours = spec["image"]
        place = (
            places.get(spec["place"])
            or Place.objects.get_or_create(name=spec["place"][0], kind=spec["place"][1])[0]
        )
        fields = {
            "title": spec["title"],
            "slug": spec["slug"],
            "search_description": spec["search_description"],
            "summary": spec["summary"],
            "place_id": place.pk,
            "year": spec["year"],
            "illustrative": True,
            "source": spec["source"],
            "challenge": spec["challenge"],
            "what_partners_did": spec["what_partners_did"],
            "lessons_for_leaders": spec["lessons_for_leaders"],
            "hero_image_id": demo_image(image_title, *colours, summary=summary).pk,
            "hero_image_alt": spec["hero_image_alt"],
        }
        page = upsert_page(
            summary,
            index_page,
            CaseStudyPage,
            fields,
            streams={
                "outcomes": raw_stream(spec["outcomes"]),
                "quotes": raw_stream(spec["quotes"]),
            },
            relations={
                "partner_sectors": [sectors[slug] for slug in spec["sectors"]],
                "themes": [themes[slug] for slug in spec["themes"]],
            },
            kind="case studies",
        )
        if page is not None:
            case_studies.append(page)
    return case_studies
