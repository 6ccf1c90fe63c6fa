"""Reads about cohorts, one module per capability: ``places`` (places taken and left), ``learners``
(the learner table, its summary and the at-risk rule), ``completion`` (completion by module),
``applications`` (the queue), ``my_learning``, ``cohort_home``, ``facilitation`` (the cohorts a
person runs), ``sessions`` (sessions, announcements, calendars), ``reports`` (the programme
report), ``assessments`` (a cohort's assessments, due dates and the written-work page),
``quizzes``, ``peer_reviews`` (who reviewed whom), ``marking`` (the queue), ``due_dates`` and
``results`` (where learners stand on them: due next, in progress, waiting to be marked,
outcomes). Progress itself is worked out by ``cohorts.progress``; who may see what is decided
by ``cohorts.access``.

Every list is read in a fixed number of queries, however many learners or cohorts there are;
``tests/cohorts/test_query_counts.py`` holds them to it at 10, 100 and 1,000."""
