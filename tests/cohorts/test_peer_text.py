"""A post's plain text shown as safe HTML: line breaks kept, web addresses made into links
that pass nothing on, and any HTML or script shown as the characters typed, never run."""

import re

import pytest

from cohorts.peer_text import clean, to_html

REL = 'rel="nofollow noopener noreferrer"'


def test_line_breaks_and_paragraphs_are_kept():
    html = to_html("First line\nsecond line\n\nA new paragraph")

    assert html == "<p>First line<br>second line</p>\n<p>A new paragraph</p>"


def test_windows_line_ends_and_surrounding_space_are_tidied():
    assert to_html("  one\r\ntwo\r\n\r\nthree  ") == "<p>one<br>two</p>\n<p>three</p>"


def test_an_empty_text_is_no_html():
    assert to_html("") == ""
    assert to_html(" \n ") == ""


def test_web_addresses_become_safe_links():
    html = to_html("See https://example.org/report?year=2027&part=2 for more")

    assert html == (
        '<p>See <a href="https://example.org/report?year=2027&amp;part=2" '
        f"{REL}>https://example.org/report?year=2027&amp;part=2</a> for more</p>"
    )


@pytest.mark.parametrize(
    ("text", "address", "after"),
    [
        ("Read http://example.org/a.", "http://example.org/a", "."),
        ("(see https://example.org/b)", "https://example.org/b", ")"),
        ("https://en.wikipedia.org/wiki/Action_learning_(method)!", None, "!"),
        ("Two: https://example.org/c, https://example.org/d", "https://example.org/d", ""),
    ],
)
def test_the_sentence_keeps_its_punctuation(text, address, after):
    html = to_html(text)

    if address is None:
        address = "https://en.wikipedia.org/wiki/Action_learning_(method)"
    assert f'<a href="{address}" {REL}>{address}</a>{after}' in html


def test_html_and_script_are_shown_as_text_never_run():
    html = to_html('<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>')

    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        '<a href="javascript:alert(1)">click</a>',
        "vbscript:msgbox(1)",
    ],
)
def test_no_other_kind_of_address_becomes_a_link(text):
    assert "<a " not in to_html(text)


def test_a_link_cannot_break_out_of_its_attribute():
    html = to_html('https://example.org/"onmouseover="alert(1)')

    assert re.findall(r"<a [^>]*>", html) == [f'<a href="https://example.org/" {REL}>']


def test_the_sanitiser_keeps_only_paragraphs_breaks_and_safe_links():
    """The second line of defence, on HTML that the steps before it would never make."""
    html = clean(
        '<p onclick="x()">Hi<br><a href="javascript:alert(1)">a</a>'
        '<a href="https://example.org" target="_blank" rel="opener">b</a>'
        '<a href="data:text/html,x">c</a><script>alert(1)</script><iframe></iframe></p>'
    )

    assert html == (
        f'<p>Hi<br><a {REL}>a</a><a href="https://example.org" {REL}>b</a><a {REL}>c</a></p>'
    )


def test_a_bare_scheme_is_not_a_link():
    assert to_html("https:// is how addresses start") == "<p>https:// is how addresses start</p>"
