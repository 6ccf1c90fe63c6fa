"""What a learner must do to complete a course, one module per kind of requirement. Each
registers itself with the progress engine (``cohorts.progress``) from ``CohortsConfig.ready``;
the engine never imports them."""
