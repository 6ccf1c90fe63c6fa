"""CSV downloads for facilitators and programme managers: the learner table of a cohort and the
programme report.

Every file is UTF-8 with a byte order mark, so Excel opens names with accents correctly, and
every cell that a spreadsheet would read as a formula (text beginning ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with a single quote, so a learner who calls
themselves ``=HYPERLINK(…)`` cannot plant a live formula in a facilitator's spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from .models import Cohort
from .selectors.learners import LearnerRow
from .selectors.reports import CourseReport

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

LEARNER_HEADER = (
    "Name",
    "Email",
    "Organisation",
    "Sector",
    "Progress (%)",
    "Last activity",
    "Status",
    "At risk",
)

PROGRAMME_HEADER = (
    "Course",
    "Cohort",
    "Status",
    "Start",
    "End",
    "Applications",
    "Active",
    "Completed",
    "Completion rate (%)",
    "At risk",
    "Sectors",
)


def safe_cell(value) -> str:
    """The text of one cell, neutralised if a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return f"'{text}"
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The whole file: byte order mark, header row, then one line per row (CRLF, as RFC 4180
    and Excel expect)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(
        csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def filename(*parts: str, on: date | None = None, extension: str = "csv") -> str:
    """A file name that is safe in a header and on every file system: the slugs of ``parts``
    and the date, for example ``leading-across-boundaries-spring-2027-2026-05-01.csv``."""
    on = on or timezone.localdate()
    stem = "-".join(filter(None, (slugify(part) for part in parts))) or "export"
    return f"{stem[:120].strip('-')}-{on.isoformat()}.{extension}"


def local_iso(moment: datetime | None) -> str:
    """A moment as an ISO 8601 date-time in the academy's time zone (Europe/London)."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def sector_mix(sectors: Sequence[tuple[str, int]]) -> str:
    """``[("Local government", 12), ("NHS and health", 9)]`` as "Local government 12, NHS and
    health 9"."""
    return ", ".join(f"{name} {count}" for name, count in sectors)


# --- The learner table ----------------------------------------------------------------------


def learner_header(assessments: Sequence = ()) -> list[str]:
    """The learner table's columns, then one per assessment of the course (its title)."""
    return [*LEARNER_HEADER, *(assessment.title for assessment in assessments)]


def learner_table_rows(rows: Iterable[LearnerRow]) -> Iterable[list]:
    for row in rows:
        yield [
            row.name,
            row.email,
            row.organisation,
            row.sector,
            row.progress,
            local_iso(row.last_activity),
            row.status_label,
            "Yes" if row.at_risk else "No",
            # "Passed", "Resubmit", "Not passed (40%)" (a quiz's best score), "Not started"
            *(outcome.text for outcome in row.outcomes),
        ]


def learners_csv(
    cohort: Cohort, rows: Sequence[LearnerRow], assessments: Sequence = ()
) -> HttpResponse:
    """The learner table as CSV; ``assessments`` are the course's, in the order of each row's
    ``outcomes``."""
    name = filename(cohort.course.title, cohort.name, "learners")
    return csv_response(name, learner_header(assessments), learner_table_rows(rows))


# --- The programme report -------------------------------------------------------------------


def programme_report_rows(report: Iterable[CourseReport]) -> Iterable[list]:
    for course in report:
        for row in course.cohorts:
            cohort = row.cohort
            yield [
                course.course.title,
                cohort.name,
                cohort.get_status_display(),
                cohort.start_date.isoformat(),
                cohort.end_date.isoformat(),
                row.applications,
                row.active,
                row.completed,
                row.completion_rate,
                row.at_risk,
                sector_mix(row.sectors),
            ]


def programme_report_csv(report: Sequence[CourseReport]) -> HttpResponse:
    name = filename("academy", "programme", "report")
    return csv_response(name, PROGRAMME_HEADER, programme_report_rows(report))
