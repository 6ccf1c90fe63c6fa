"""Background work about cohorts. Their emails go through the academy's outbox
(``cohorts.notifications``, ``academy.tasks``)."""
