"""Who may read a lesson, and who may read an assessment's own page: the one place these
decisions are made.

Lessons and assessments are not public. Staff who work on content (editors, moderators: anyone
who may edit or publish the page, ``works_on``) may read every lesson and every assessment.
Other apps add lesson rules with ``register_lesson_rule`` — the cohorts app
(``cohorts.access.lesson_rule``) grants the people who run a cohort of the course, whatever its
status, and learners with a place on a running one. An assessment's own page shows its
definition, as editors preview it, and no one else reads it there: learners take it, and the
people who run cohorts see it, inside a cohort (``/cohorts/<id>/assessments/<id>/``), where the
cohorts app sends them before the page is served (``cohorts.wagtail_hooks``). ``courses``
itself never imports ``cohorts``."""

from collections.abc import Callable

LessonRule = Callable[[object, object], bool]
_rules: list[LessonRule] = []


def register_lesson_rule(rule: LessonRule) -> LessonRule:
    """Add a rule ``(user, lesson) -> bool``; any rule that says yes grants access."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def unregister_lesson_rule(rule: LessonRule) -> None:
    """Remove a rule added with ``register_lesson_rule`` (tests use it to clean up)."""
    if rule in _rules:
        _rules.remove(rule)


def works_on(user, page) -> bool:
    """Staff who work on content: an active superuser, or anyone active who may edit or
    publish ``page``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() or permissions.can_publish()


def can_read_lesson(user, lesson) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Learners far outnumber staff: their rules are asked first, the page permissions after.
    if any(rule(user, lesson) for rule in _rules):
        return True
    return works_on(user, lesson)


def can_read_assessment(user, assessment) -> bool:
    """An assessment's own page (its definition, with the right answers to a quiz): content
    staff only."""
    return works_on(user, assessment)
