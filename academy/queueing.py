"""Putting tasks on the broker once the database work that calls for them is done (after a
commit, or by a sweeper). The database is the source of truth, the broker only carries work:
when the broker cannot take the messages, ``publish`` returns the error at once (one connection
for all the messages, one attempt to make it, no retries) instead of raising it, and the
caller's sweeper queues the work again later. Nothing waits on a broker that is down."""

from collections.abc import Iterable


def publish(task, argument_lists: Iterable[tuple], *, countdown=None) -> Exception | None:
    """Queue ``task`` once with each tuple of ``argument_lists``. Returns ``None``, or the error
    that stopped the broker taking them, for the caller to log."""
    try:
        with task.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            for arguments in argument_lists:
                task.apply_async(arguments, connection=connection, countdown=countdown, retry=False)
    except Exception as error:  # the broker is down or unreachable: the work waits
        return error
    return None
