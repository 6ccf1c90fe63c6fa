"""Peer review prefers the set: the ``Preference`` the peer groups register with
``cohorts.peer_review``, so that a reviewer is handed work by the other members of their own
action learning set before work by the rest of the cohort. It only breaks ties between pieces
with as many reviews (the hand-out's rule 3), so when the set has no work left to review, or
its work already has more reviews than others', the reviewer falls back to the cohort.

Only a published set counts: until the facilitator publishes, the sets are a proposal nobody
has been told of. Only members count (a place active or completed): work by someone who has
left is not handed out anyway."""

from .models import Enrolment, PeerSetMember


class OwnSet:
    """The reviewer's own published set."""

    def preferred_authors(self, reviewer) -> list[int]:
        """The enrolment ids of the other members of ``reviewer``'s published set in their
        cohort (``reviewer``: an ``Enrolment``, or its id): one query."""
        own_set = PeerSetMember.objects.published().filter(enrolment=reviewer).values("peer_set")
        return list(
            PeerSetMember.objects.filter(
                peer_set__in=own_set, enrolment__in=Enrolment.objects.members()
            )
            .exclude(enrolment=reviewer)
            .values_list("enrolment_id", flat=True)
        )


own_set = OwnSet()
