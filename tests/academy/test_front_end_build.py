"""The built stylesheet refers only to files we ship: every url(…) in build/css/academy.css is a
file in build/, as served under STATIC_URL. collectstatic with hashed names (production) fails on
any reference it cannot find, so a missing file here is a deploy that cannot start."""

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

import pytest

BUILD = Path(__file__).resolve().parents[2] / "build"
CSS = BUILD / "css" / "academy.css"
URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>.*?)(?P=quote)\s*\)""", re.DOTALL)
IMPORT = re.compile(r"""@import\s+(?P<quote>["'])(?P<url>.*?)(?P=quote)""")


def references(css: str) -> list[str]:
    found = [match["url"] for match in URL.finditer(css)]
    found += [match["url"] for match in IMPORT.finditer(css)]
    return [url for url in found if not url.startswith(("data:", "#"))]


def shipped_file(reference: str) -> Path | None:
    """The file in build/ that a reference from css/academy.css is served from, or None."""
    static_url = settings.STATIC_URL
    url = urljoin(f"{static_url}css/academy.css", reference)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith(static_url):
        return None
    path = (BUILD / unquote(parts.path.removeprefix(static_url))).resolve()
    if not path.is_relative_to(BUILD.resolve()) or not path.is_file():
        return None
    return path


def test_references_are_found_and_resolved_against_static_url():
    css = (
        'a{background:url("/static/js/academy.js")}'
        "b{mask:url(../vendor/axe.min.js)}"
        "c{background:url('data:image/svg+xml,<svg/>')}"
        "d{filter:url(#shadow)}"
        'e{background:url("/static/govuk/assets/images/govuk-crest.svg")}'
        'f{background:url("https://example.org/logo.svg")}'
    )
    found = references(css)
    assert found == [
        "/static/js/academy.js",
        "../vendor/axe.min.js",
        "/static/govuk/assets/images/govuk-crest.svg",
        "https://example.org/logo.svg",
    ]
    assert shipped_file(found[0]) == (BUILD / "js" / "academy.js").resolve()
    assert shipped_file(found[1]) == (BUILD / "vendor" / "axe.min.js").resolve()
    assert shipped_file(found[2]) is None
    assert shipped_file(found[3]) is None


def test_every_url_in_the_stylesheet_is_a_file_we_ship():
    if not CSS.exists():
        pytest.fail("build/css/academy.css is missing: run `npm run build` (make test does)")
    missing = [url for url in references(CSS.read_text()) if shipped_file(url) is None]
    assert missing == [], (
        f"build/css/academy.css refers to files that are not in build/ under "
        f"{settings.STATIC_URL}: {sorted(set(missing))}"
    )
