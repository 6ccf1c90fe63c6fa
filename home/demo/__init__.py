"""Demo data for ``manage.py load_demo``. The words and facts (pages, courses and their
assessments, rubrics, case studies, themes, people, and the cohorts with their learners, sessions
and work) are TOML files in ``data/``, read by ``loader``; each module here turns one part of
them into pages, snippets, users or cohort rows with a ``load_*`` function that creates what is
missing, brings what differs back in line with the data and leaves everything else alone, so
running the command twice changes nothing. Cohort dates are given in days from today
(``starts_in_days = -35``) and worked out when the demo is loaded, so it is always current.

To add a part, describe its file with a dataclass, write a ``load_*(summary)`` function beside
these and call it from the command."""

from collections import defaultdict
from dataclasses import dataclass, field

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
OUTCOMES = (CREATED, UPDATED, UNCHANGED)


@dataclass
class Summary:
    """What a run of ``load_demo`` did, kind by kind ("pages", "users"...)."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    )
    details: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self, kind: str, outcome: str, label: str) -> None:
        self.counts[kind][outcome] += 1
        self.details.append(f"{kind}: {outcome} {label}")

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind.capitalize()}: {c[CREATED]} created, {c[UPDATED]} updated, "
            f"{c[UNCHANGED]} unchanged"
            for kind, c in self.counts.items()
        ]
