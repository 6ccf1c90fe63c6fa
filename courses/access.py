"""Who may read a lesson: the one decision, made here.

Lessons are not public. Staff who work on content (editors, moderators: anyone who may edit or
publish the page) may read every lesson. Other apps add rules with ``register_lesson_rule`` —
the cohorts app (``cohorts.access.lesson_rule``) grants the people who run a cohort of the
course, whatever its status, and learners with a place on a running one. ``courses`` itself
never imports ``cohorts``."""

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


def can_read_lesson(user, lesson) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Learners far outnumber staff: their rules are asked first, the page permissions after.
    if any(rule(user, lesson) for rule in _rules):
        return True
    permissions = lesson.permissions_for_user(user)
    return permissions.can_edit() or permissions.can_publish()
