"""``html_datetime``: the value of every ``<time datetime="…">`` we write is valid HTML."""

from datetime import UTC, date, datetime

from django.template import Context, Template

import pytest


def render(value) -> str:
    return Template("{% load html_time %}{{ value|html_datetime }}").render(
        Context({"value": value})
    )


def test_a_moment_is_written_to_the_second_in_uk_time_with_its_offset():
    # HTML allows at most three digits of a second; Django's date:'c' writes six.
    assert render(datetime(2026, 12, 1, 0, 6, 41, 219901, tzinfo=UTC)) == (
        "2026-12-01T00:06:41+00:00"
    )
    assert render(datetime(2026, 7, 1, 9, 30, 0, 5, tzinfo=UTC)) == "2026-07-01T10:30:00+01:00"


def test_a_moment_already_put_in_a_time_zone_keeps_it():
    html = Template(
        '{% load tz html_time %}{{ value|timezone:"America/New_York"|html_datetime }}'
    ).render(Context({"value": datetime(2026, 12, 1, 15, 0, 0, 123, tzinfo=UTC)}))
    assert html == "2026-12-01T10:00:00-05:00"


@pytest.mark.parametrize(("value", "written"), [(date(2027, 3, 28), "2027-03-28"), (None, "")])
def test_a_date_is_written_as_a_date_and_nothing_as_nothing(value, written):
    assert render(value) == written
