"""Our own brand on GOV.UK Frontend: no crown, no GOV.UK logo, no GDS Transport font."""

from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "build" / "css" / "academy.css"


def test_the_compiled_css_uses_a_system_font_stack():
    if not CSS.exists():
        pytest.fail("build/css/academy.css is missing: run `npm run build` (make test does)")
    css = CSS.read_text()
    assert "GDS Transport" not in css
    assert "system-ui" in css
    assert "@font-face" not in css


@pytest.mark.django_db
def test_pages_show_the_academy_logotype_and_no_crown(client):
    html = client.get("/search/").content.decode()
    assert "Collaborative Leadership Academy</a>" in html
    assert "govuk-header__logotype" not in html
    assert "crown" not in html.lower()
    assert "GOV.UK" not in html
    assert 'href="#main-content"' in html
