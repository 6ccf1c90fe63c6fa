"""Charts drawn on the server as SVG: no JavaScript, nothing to load, and readable by a screen
reader. Each chart is an image with a title and a description (``role="img"`` labelled by
both), prints its figures as text beside every bar so colour never carries the meaning alone,
and is always shown next to a table of the same numbers (docs/facilitators.md)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from .selectors.completion import ModuleCompletion

# Sizes in SVG user units; the chart scales to the width of its container.
WIDTH = 640
LABEL_HEIGHT = 22  # the line of text above each bar
BAR_HEIGHT = 24
GAP = 18  # between one bar and the next label
TRACK_WIDTH = 520  # the bar at 100%; its percentage is printed to its right
FONT_SIZE = 16
LABEL_CHARACTERS = 70

# The academy's teal on white (contrast 7.9:1) and GOV.UK's dark grey outline (7.6:1): both
# pass the 3:1 that WCAG 1.4.11 asks of graphics, and text is GOV.UK's black.
BAR_COLOUR = "#005a5b"
TRACK_COLOUR = "#ffffff"
OUTLINE_COLOUR = "#505a5f"
TEXT_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int  # 0 to 100
    detail: str = ""  # said in the description, for example "3 of 10 learners"


def bar_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """A horizontal bar chart, one bar per item, each with its label above and its percentage
    beside it. ``chart_id`` must be unique on the page: the title and description take their
    ids from it. Every piece of text is escaped."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    row_height = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = max(row_height * len(bars), row_height)
    summary = " ".join(
        f"{bar.label}: {bar.percent}%{f' ({bar.detail})' if bar.detail else ''}." for bar in bars
    )
    rows = format_html_join(
        "", "{}", ((_bar(bar, index * row_height),) for index, bar in enumerate(bars))
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="academy-chart" id="{chart_id}"'
        ' role="img" aria-labelledby="{title_id} {desc_id}" width="100%"'
        ' viewBox="0 0 {width} {height}" font-size="{font_size}" fill="{text}">'
        '<title id="{title_id}">{title}</title>'
        '<desc id="{desc_id}">{description} {summary}</desc>'
        "{rows}</svg>",
        chart_id=chart_id,
        title_id=title_id,
        desc_id=desc_id,
        width=WIDTH,
        height=height,
        font_size=FONT_SIZE,
        text=TEXT_COLOUR,
        title=title,
        description=description,
        summary=summary,
        rows=rows,
    )


def _bar(bar: Bar, top: int) -> SafeString:
    percent = max(0, min(100, int(bar.percent)))
    filled = round(TRACK_WIDTH * percent / 100)
    bar_top = top + LABEL_HEIGHT
    return format_html(
        '<g class="academy-chart__bar">'
        '<text x="0" y="{label_y}">{label}</text>'
        '<rect x="1" y="{bar_top}" width="{track}" height="{bar_height}"'
        ' fill="{track_colour}" stroke="{outline}" stroke-width="1"/>'
        '<rect x="1" y="{bar_top}" width="{filled}" height="{bar_height}" fill="{bar_colour}"/>'
        '<text x="{value_x}" y="{value_y}" font-weight="bold">{percent}%</text>'
        "</g>",
        label_y=top + LABEL_HEIGHT - 6,
        label=Truncator(bar.label).chars(LABEL_CHARACTERS),
        bar_top=bar_top,
        track=TRACK_WIDTH,
        bar_height=BAR_HEIGHT,
        track_colour=TRACK_COLOUR,
        outline=OUTLINE_COLOUR,
        filled=filled,
        bar_colour=BAR_COLOUR,
        value_x=TRACK_WIDTH + 12,
        value_y=bar_top + BAR_HEIGHT - 6,
        percent=percent,
    )


def module_completion_chart(
    modules: Sequence[ModuleCompletion], *, chart_id: str = "module-completion"
) -> SafeString:
    """Completion by module on a facilitator's dashboard, from
    ``selectors.completion.module_completion``: the share of learners who have completed
    every required lesson of each module."""
    learners = modules[0].learners if modules else 0
    bars = [
        Bar(
            label=row.module.title,
            percent=row.percent,
            detail=f"{row.completed} of {row.learners} learner{'s' if row.learners != 1 else ''}",
        )
        for row in modules
    ]
    return bar_chart(
        chart_id=chart_id,
        title="Completion by module",
        description=(
            f"The share of the cohort's {learners} learner{'s' if learners != 1 else ''}"
            " who have completed every required lesson of each module."
        ),
        bars=bars,
    )
