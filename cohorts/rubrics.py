"""Marking against a rubric (``courses.Rubric``): the marker's (or reviewer's) choice of one
level per criterion, checked against the rubric and added up. Pure: no queries. Marks and peer
reviews keep the result (``Mark.criteria``), so they read the same if the rubric changes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Scored:
    criteria: list[dict]  # [{"criterion", "name", "level", "descriptor", "points"}, …]
    total: int
    max_total: int
    pass_points: int

    @property
    def suggests_pass(self) -> bool:
        return self.total >= self.pass_points


def criteria_of(rubric) -> list[dict]:
    """The rubric's criteria as plain data: ``{"id", "name", "guidance", "levels": [{"id",
    "descriptor", "points"}]}``, in order."""
    rows = []
    for criterion in rubric.criteria:
        rows.append(
            {
                "id": criterion.id,
                "name": criterion.value["name"],
                "guidance": criterion.value["guidance"],
                "levels": [
                    {
                        "id": level.id,
                        "descriptor": level.value["descriptor"],
                        "points": level.value["points"],
                    }
                    for level in criterion.value["levels"].bound_blocks
                ],
            }
        )
    return rows


def score(rubric, chosen: dict[str, str]) -> Scored:
    """Check that ``chosen`` (criterion id → level id) picks one level of each criterion of
    ``rubric`` and nothing else, and add up the points. ``ValidationError`` keyed by the
    criterion's form field (``criterion-<id>``) for a criterion left out or given a level that
    is not one of its own (another criterion's or another rubric's)."""
    criteria = criteria_of(rubric)
    errors: dict[str, str] = {}
    picked: list[dict] = []
    for criterion in criteria:
        level_id = chosen.get(criterion["id"])
        level = next((lv for lv in criterion["levels"] if lv["id"] == level_id), None)
        if level is None:
            errors[f"criterion-{criterion['id']}"] = (
                f"Choose a level for “{criterion['name']}”"
                if not level_id
                else f"Choose one of the levels of “{criterion['name']}”"
            )
            continue
        picked.append(
            {
                "criterion": criterion["id"],
                "name": criterion["name"],
                "level": level["id"],
                "descriptor": level["descriptor"],
                "points": level["points"],
            }
        )
    unknown = set(chosen) - {criterion["id"] for criterion in criteria}
    if unknown:
        errors["__all__"] = "The marks name a criterion that is not on this rubric"
    if errors:
        raise ValidationError(errors)
    return Scored(
        criteria=picked,
        total=sum(row["points"] for row in picked),
        max_total=sum(max(lv["points"] for lv in c["levels"]) for c in criteria),
        pass_points=rubric.pass_points,
    )
