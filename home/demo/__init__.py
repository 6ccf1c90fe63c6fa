"""Demo data for ``manage.py load_demo``. The words (pages, courses, case studies, themes and
people) are TOML files in ``data/``, read by ``loader``; each module here turns one part of them
into pages, snippets or users with a ``load_*`` function that creates what is missing, brings
what differs back in line with the data and leaves everything else alone, so running the
command twice changes nothing. The cohorts (``cohorts.py``) stay code: their dates count from
today.

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
