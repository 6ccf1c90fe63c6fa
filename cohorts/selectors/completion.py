"""Completion by module, for the dashboard's chart: for each live module, how many of the
cohort's learners (active or completed) have completed all of its required lessons."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from wagtail.models import Page

from courses.models import ModulePage
from courses.selectors import course_lessons

from ..models import Cohort, LessonCompletion
from ..progress import percent
from .places import places_taken


@dataclass
class ModuleCompletion:
    module: ModulePage
    lessons: int
    completed: int  # learners who have completed every required lesson of the module
    learners: int

    @property
    def percent(self) -> int:
        return percent(self.completed, self.learners)


def module_completion(cohort: Cohort) -> list[ModuleCompletion]:
    """The database counts, per learner and module, how many required lessons are done: one
    query per module, none per learner."""
    modules = list(ModulePage.objects.child_of(cohort.course).live().order_by("path"))
    lessons = [lesson for lesson in course_lessons(cohort.course) if lesson.required_for_completion]
    module_of = {lesson.pk: lesson.path[: -Page.steplen] for lesson in lessons}
    required_per_module = Counter(module_of.values())
    learners = cohort.enrolments.members()
    total = places_taken(cohort)
    completed: Counter = Counter()
    lesson_ids_by_module = defaultdict(list)
    for lesson_id, path in module_of.items():
        lesson_ids_by_module[path].append(lesson_id)
    for module in modules:
        ids = lesson_ids_by_module.get(module.path)
        if not ids:
            continue
        completed[module.path] = (
            LessonCompletion.objects.filter(enrolment__in=learners, lesson_id__in=ids)
            .values("enrolment_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=len(ids))
            .count()
        )
    return [
        ModuleCompletion(
            module, required_per_module.get(module.path, 0), completed[module.path], total
        )
        for module in modules
    ]
