"""The outbox: every email the academy sends is first a row, written with the change that causes
it, then sent by the worker exactly once as far as the database can tell (``engine``). Kinds of
email register themselves (``kinds``); each person chooses per kind (``preferences``)."""

from .engine import dispatch, enqueue, history, send, sweep
from .kinds import EVERYONE, LEARNERS, STAFF, Kind, Notice, register_kind
from .messages import absolute

__all__ = [
    "EVERYONE",
    "LEARNERS",
    "STAFF",
    "Kind",
    "Notice",
    "absolute",
    "dispatch",
    "enqueue",
    "history",
    "register_kind",
    "send",
    "sweep",
]
