"""The cohorts app's pages, one module per capability. Learners: ``my_learning``,
``cohort_home``, ``enrolment`` (join, withdraw), ``lessons`` (mark complete) and ``calendars``.
The people who run cohorts (/facilitate/): ``facilitation`` (the cohorts they run),
``dashboard`` (a cohort's dashboard and learner CSV), ``applications``, ``sessions``,
``announcements`` and ``reports`` (the programme report). ``decorators`` applies the access
rules of ``cohorts.access``: whatever the person may not see answers 404, never 403."""
