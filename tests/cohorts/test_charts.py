"""The server-drawn SVG charts: accessible names, one bar per item, figures printed as text,
and the dashboard's table of the same numbers beside the chart."""

import re
from xml.etree import ElementTree

import pytest

from cohorts.charts import BAR_COLOUR, TRACK_WIDTH, Bar, bar_chart, module_completion_chart
from cohorts.selectors.completion import module_completion

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, complete, course_with_lessons, lessons_of

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))  # noqa: S314 (our own markup)


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = parse(
        bar_chart(
            chart_id="demo",
            title="Completion by module",
            description="Share of learners.",
            bars=[Bar("One", 40, "4 of 10 learners"), Bar("Two", 100)],
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "demo-title demo-desc"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.get("id") == "demo-title" and title.text == "Completion by module"
    assert desc.get("id") == "demo-desc"
    assert "One: 40% (4 of 10 learners)." in desc.text
    assert "Two: 100%." in desc.text


def test_each_bar_has_its_label_and_percentage_as_text():
    svg = parse(
        bar_chart(
            chart_id="demo",
            title="t",
            description="d",
            bars=[Bar("First module", 25), Bar("Second module", 0), Bar("Third", 100)],
        )
    )
    groups = svg.findall(f"{SVG}g")
    assert len(groups) == 3
    texts = [[t.text for t in group.findall(f"{SVG}text")] for group in groups]
    assert texts == [["First module", "25%"], ["Second module", "0%"], ["Third", "100%"]]
    filled = [group.findall(f"{SVG}rect")[1] for group in groups]
    assert [int(rect.get("width")) for rect in filled] == [TRACK_WIDTH // 4, 0, TRACK_WIDTH]
    assert {rect.get("fill") for rect in filled} == {BAR_COLOUR}


def test_every_bar_has_an_outlined_track_so_an_empty_bar_is_still_visible():
    svg = parse(bar_chart(chart_id="c", title="t", description="d", bars=[Bar("Empty", 0)]))
    track = svg.find(f"{SVG}g").findall(f"{SVG}rect")[0]
    assert track.get("stroke") and int(track.get("width")) == TRACK_WIDTH


def test_percentages_out_of_range_are_clamped():
    svg = parse(
        bar_chart(chart_id="c", title="t", description="d", bars=[Bar("A", 140), Bar("B", -5)])
    )
    values = [g.findall(f"{SVG}text")[1].text for g in svg.findall(f"{SVG}g")]
    assert values == ["100%", "0%"]


def test_text_is_escaped():
    markup = str(
        bar_chart(
            chart_id="c",
            title="<script>alert(1)</script>",
            description="Tom & Jerry",
            bars=[Bar('<img src=x onerror="boom">', 10)],
        )
    )
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup and "Tom &amp; Jerry" in markup
    parse(markup)  # still well-formed


def test_long_labels_are_shortened_in_the_chart_only():
    label = "A module with a very long title " * 5
    svg = parse(bar_chart(chart_id="c", title="t", description="d", bars=[Bar(label, 10)]))
    shown = svg.find(f"{SVG}g").find(f"{SVG}text").text
    assert len(shown) <= 70 and shown.endswith("…")


@pytest.mark.django_db
def test_the_module_chart_and_table_on_the_dashboard_agree(client):
    course_page = course_with_lessons(modules=3, lessons=2)
    runner = UserFactory(groups=["Facilitators"])
    cohort = CohortFactory(course=course_page, facilitators=[runner])
    lessons = lessons_of(course_page)
    first, second, _third = (EnrolmentFactory(cohort=cohort) for _ in range(3))
    complete(first, lessons[:4])  # modules 1 and 2
    complete(second, lessons[:3])  # module 1, half of module 2
    rows = module_completion(cohort)
    assert [row.completed for row in rows] == [2, 1, 0]

    client.force_login(runner)
    html = client.get(f"/facilitate/cohorts/{cohort.pk}/").content.decode()
    svg = parse(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    groups = svg.findall(f"{SVG}g")
    assert len(groups) == 3
    chart = [(g.findall(f"{SVG}text")[0].text, g.findall(f"{SVG}text")[1].text) for g in groups]
    assert chart == [
        ("Module 1 of Leading across boundaries", "66%"),
        ("Module 2 of Leading across boundaries", "33%"),
        ("Module 3 of Leading across boundaries", "0%"),
    ]
    table = html[html.index("Completion by module: the figures in the chart") :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">([^<]+)</td>', table)
    assert cells == ["2", "2 of 3", "66%", "2", "1 of 3", "33%", "2", "0 of 3", "0%"]
    assert '<caption class="govuk-table__caption' in html


@pytest.mark.django_db
def test_the_module_chart_describes_the_cohort():
    course_page = course_with_lessons(modules=2, lessons=1)
    cohort = CohortFactory(course=course_page)
    EnrolmentFactory(cohort=cohort)
    svg = parse(module_completion_chart(module_completion(cohort)))
    assert svg.find(f"{SVG}title").text == "Completion by module"
    assert "1 learner who" in svg.find(f"{SVG}desc").text
    assert len(svg.findall(f"{SVG}g")) == 2
