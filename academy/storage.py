"""Where private files live: learners' uploads (and, later, certificates). Stored through
Django's storage API under the ``private`` alias of ``STORAGES``: a folder outside
``MEDIA_ROOT`` by default (``PRIVATE_ROOT``), so the web server never serves them, and
S3-compatible storage by changing that alias's backend. Files leave only through views that
check access."""

import logging
import weakref

from django.core.files.storage import Storage, storages
from django.db import transaction

logger = logging.getLogger(__name__)


class PrivateStorage(Storage):
    """The ``private`` storage of ``STORAGES``, looked up on every use. A ``FileField`` keeps
    the storage it was given when its model was defined; this stands in for it, so that the
    field always reaches what the settings name now (a change of ``STORAGES`` makes Django
    build its storages again)."""

    def __getattribute__(self, name):
        if name.startswith("__") and name.endswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["private"], name)


def private_storage() -> Storage:
    """The private storage (``FileField(storage=private_storage)``)."""
    return PrivateStorage()


class _Committed:
    """Registered with ``transaction.on_commit``: called when the transaction commits. If the
    transaction rolls back instead, Django drops it unrun, and its finaliser deletes the file."""

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _discard_unless_committed(state: dict, storage, name: str) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
    except Exception:  # the transaction is gone either way; say which file is left
        logger.exception("file of a rolled-back transaction not deleted", extra={"file": name})


def discard_on_rollback(storage, name: str, *, using: str | None = None) -> None:
    """Delete the file ``name``, just written to ``storage`` inside a transaction, if that
    transaction does not commit (it, or a savepoint around the write, rolls back; or the
    connection closes first). Storage is not transactional: without this, a failed submission
    would leave its files behind with no row naming them.

    Django has no rollback hook; it has ``on_commit``, and on a rollback it drops the callbacks
    registered inside, unrun. So the file is deleted when its callback is dropped without having
    run (``weakref.finalize``). Call it inside ``transaction.atomic``."""
    state = {"committed": False}
    committed = _Committed(state)
    weakref.finalize(committed, _discard_unless_committed, state, storage, name)
    transaction.on_commit(committed, using=using)
