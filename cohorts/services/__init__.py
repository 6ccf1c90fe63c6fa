"""Writes about cohorts, one module per capability: ``cohorts`` (changing a cohort under its
row lock), ``enrolment`` (taking and giving up places, deciding applications, the waiting list),
``completion`` (the moment an enrolment is complete), ``lessons`` (marking lessons complete,
activity), ``sessions`` (live sessions), ``announcements`` and ``calendars`` (calendar tokens),
``assessment_results`` (where a learner stands on an assessment), ``submissions`` (handing in
written work) and ``submission_files`` (the files attached to it).

Every function is one transaction. A rule a person can break (applying twice, a full or
finished cohort, someone else's enrolment, a capacity below the places taken) raises Django's
``ValidationError`` with a message fit to show them, keyed by the form field it is about when
there is one, and writes nothing. Emails leave through Celery tasks queued on commit, so a
rolled-back decision never sends one."""
