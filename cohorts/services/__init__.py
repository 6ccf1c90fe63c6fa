"""Writes about cohorts, one module per capability: ``enrolment`` (taking and giving up places,
deciding applications, the waiting list), ``completion`` (the moment an enrolment is complete),
``lessons`` (marking lessons complete, activity), ``sessions`` (live sessions),
``announcements`` and ``calendars`` (calendar tokens).

Every function is one transaction. A rule a person can break (applying twice, a full or
finished cohort, someone else's enrolment) raises ``CohortError`` with a message fit to show
them, and writes nothing. Emails leave through Celery tasks queued on commit, so a rolled-back
decision never sends one."""


class CohortError(Exception):
    """A request that breaks a rule of the academy; ``message`` is written for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
