"""The accessibility helper itself: it must find a real violation, or its silence means nothing."""

from .axe import axe_violations


def test_axe_finds_violations_on_a_broken_page(page):
    page.set_content(
        '<html><head><title>Broken</title></head><body><main><img src="x.png">'
        '<input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label", "html-has-lang"} <= found
