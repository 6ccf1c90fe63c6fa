"""The digest: one email gathering what a person chose to receive daily or weekly. Each item is
written by its own kind (its context's ``subject``, ``summary`` and ``url``); an item that is
no longer relevant is left out, and a digest left with nothing is not sent."""

from collections.abc import Sequence

from ..models import OutboxEmail
from .engine import DIGEST
from .kinds import EVERYONE, Kind


def digest_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    from .messages import contexts

    items_by_digest: dict[int, list[OutboxEmail]] = {row.pk: [] for row in rows}
    items = list(
        OutboxEmail.objects.filter(digest_id__in=items_by_digest)
        .select_related("user")
        .order_by("due_at", "pk")
    )
    for item, context in zip(items, contexts(items), strict=True):
        if isinstance(context, dict):
            item.context = context
            items_by_digest[item.digest_id].append(item)
    made: list[dict | None] = []
    for row in rows:
        gathered = items_by_digest[row.pk]
        if not gathered:
            made.append(None)
            continue
        daily = row.params.get("delivery") == OutboxEmail.Delivery.DAILY
        count = len(gathered)
        made.append(
            {
                "subject": f"Your {'daily' if daily else 'weekly'} digest: "
                f"{count} update{'' if count == 1 else 's'}",
                "period": "today" if daily else "this week",
                "items": [
                    {
                        "subject": item.context["subject"],
                        "summary": item.context.get("summary", ""),
                        "url": item.context.get("url", ""),
                    }
                    for item in gathered
                ],
            }
        )
    return made


digest = Kind(
    name=DIGEST,
    label="Digests",
    description="The daily or weekly email gathering what you chose to receive that way.",
    template="emails/digest",
    context=digest_context,
    audience=EVERYONE,
    digestible=False,
    can_switch_off=False,
    order=1000,
)
