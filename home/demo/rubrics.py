"""The rubrics the demo course's assignments are marked against, from ``data/rubrics.toml``.

A rubric's criteria and levels are StreamField blocks, and marks refer to them by block id.
The demo gives each block an id made from the rubric's name and the block's place, the same
on every run, so the demo's marks keep pointing at real levels and a second run finds the
rubric unchanged."""

import uuid
from dataclasses import dataclass

from courses.models import Rubric

from . import CREATED, UNCHANGED, UPDATED, Summary
from .case_studies import stream_content, wanted_stream_content
from .loader import DATA, DemoDataError, read, shown

RUBRICS = DATA / "rubrics.toml"

# Every block id the demo makes is a UUID in this namespace, named by where the block sits.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://academy.test/demo/blocks")


def block_id(*where) -> str:
    """A StreamField block id that is the same on every run for the same ``where``."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in where)))


@dataclass(frozen=True)
class LevelData:
    points: int
    descriptor: str


@dataclass(frozen=True)
class CriterionData:
    name: str
    levels: list[LevelData]  # from the weakest to the strongest
    guidance: str = ""


@dataclass(frozen=True)
class RubricData:
    name: str
    pass_points: int
    criteria: list[CriterionData]
    description: str = ""


@dataclass(frozen=True)
class Rubrics:
    """``data/rubrics.toml``: a ``[[rubrics]]`` table for each rubric, with its
    ``[[rubrics.criteria]]``."""

    rubrics: list[RubricData]


def criteria_stream(spec: RubricData) -> list[dict]:
    """The rubric's criteria as a raw StreamField value, with the demo's fixed block ids."""
    return [
        {
            "type": "criterion",
            "id": block_id("rubric", spec.name, n),
            "value": {
                "name": criterion.name,
                "guidance": criterion.guidance,
                "levels": [
                    {
                        "type": "item",
                        "id": block_id("rubric", spec.name, n, m),
                        "value": {"descriptor": level.descriptor, "points": level.points},
                    }
                    for m, level in enumerate(criterion.levels)
                ],
            },
        }
        for n, criterion in enumerate(spec.criteria)
    ]


def load_rubrics(summary: Summary) -> dict[str, Rubric]:
    """Create or bring back in line each demo rubric; returns them by name."""
    rubrics = {}
    for spec in read(RUBRICS, Rubrics).rubrics:
        for criterion in spec.criteria:
            points = [level.points for level in criterion.levels]
            if len(set(points)) != len(points):
                raise DemoDataError(
                    f"{shown(RUBRICS)}: {spec.name}: give each level of “{criterion.name}” "
                    "different points"
                )
        wanted = {"description": spec.description, "pass_points": spec.pass_points}
        stream = criteria_stream(spec)
        rubric = Rubric.objects.filter(name=spec.name).first()
        if rubric is None:
            rubric = Rubric(name=spec.name, criteria=stream, **wanted)
            outcome = CREATED
        else:
            outcome = UNCHANGED
            for name, value in wanted.items():
                if getattr(rubric, name) != value:
                    setattr(rubric, name, value)
                    outcome = UPDATED
            if stream_content(rubric.criteria) != wanted_stream_content(rubric, "criteria", stream):
                rubric.criteria = stream
                outcome = UPDATED
        if outcome != UNCHANGED:
            rubric.full_clean()
            rubric.save()
        summary.record("rubrics", outcome, spec.name)
        rubrics[spec.name] = rubric
    return rubrics
