"""Each rule of the cohorts app has one home (docs/decisions.md §34). A second copy of a rule
is found by its telltale text: the condition or the words only its home should hold. Each
check here is the one grep §34 gives for the rule."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (the rule, its telltale, the files that may hold it)
HOMES = [
    (
        "places taken: enrolments that hold a place",
        r"MEMBER_STATUSES|members\(\)\.count\(\)",
        {"cohorts/models/cohorts.py", "cohorts/selectors/places.py"},
    ),
    (
        "a cohort's status as a condition on its dates",
        r"(start|end)_date__(lt|lte|gt|gte)\b",
        {"cohorts/models/cohorts.py"},
    ),
    (
        "a learner's place on a running cohort",
        r"\.running\(|RUNNING, through|cohort__in=Cohort",
        # The programme report lists the running cohorts themselves, not anyone's place.
        {"cohorts/models/cohorts.py", "cohorts/access.py", "cohorts/selectors/reports.py"},
    ),
    (
        "what counts towards completion",
        r"required_for_completion",
        {"cohorts/requirements/lessons.py", "cohorts/requirements/assessments.py"},
    ),
    (
        "who runs cohorts, and programme managers' access to every cohort",
        r"is_programme_manager|is_facilitator|FACILITATORS\b|facilitators=user",
        {"cohorts/access.py"},
    ),
    (
        "a cohort's capacity and its course, checked under the cohort's row lock",
        r"capacity cannot be less than|its course cannot change",
        {"cohorts/services/cohorts.py"},
    ),
    (
        "one way for services to refuse: ValidationError",
        r"CohortError",
        set(),
    ),
]


# The bench counts places too (the cohort it measures, the learners it adds).
ALSO_SCANNED = {HOMES[0][0]: ["bench/*.py"]}


def sources(rule: str) -> list[Path]:
    patterns = ["cohorts/**/*.py", "templates/cohorts/**/*", *ALSO_SCANNED.get(rule, [])]
    files = [path for pattern in patterns for path in ROOT.glob(pattern)]
    return sorted(path for path in files if path.is_file() and "migrations" not in path.parts)


@pytest.mark.parametrize(("rule", "telltale", "homes"), HOMES, ids=[rule for rule, *_ in HOMES])
def test_each_rule_lives_in_its_home_only(rule, telltale, homes):
    pattern = re.compile(telltale)
    strays = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources(rule)
        if str(path.relative_to(ROOT)) not in homes
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert strays == [], f"{rule}: a copy outside {sorted(homes) or 'anywhere'}"


def test_programme_managers_are_granted_every_cohort_in_one_function():
    access = (ROOT / "cohorts/access.py").read_text()
    assert (
        len(re.findall(r"is_programme_manager\(", access)) == 2
    )  # every cohort; the programme report
