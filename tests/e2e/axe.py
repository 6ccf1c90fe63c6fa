"""The one accessibility check every browser test uses: axe-core (from npm) run in the page."""

import json
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
})"""


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text())
    return page.evaluate(RUN_AXE, WCAG_TAGS)["violations"]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
    ]
    details = json.dumps(summary, indent=2)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{details}"


def assert_no_axe_violations_without_scripts(browser, context, url: str) -> None:
    """axe runs as a script in the page, which a context with JavaScript switched off cannot
    run: the page is opened again, as the same person, in a context that runs scripts."""
    checking = browser.new_context(storage_state=context.storage_state())
    tab = checking.new_page()
    response = tab.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert_no_axe_violations(tab)
    checking.close()
