"""Completion by module, for the dashboard's chart: for each live module, how many of the
cohort's learners (active or completed) have completed all of its required lessons (which
lessons are required is the lesson requirement's to say: ``requirements.lessons``)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Value, When

from courses.models import ModulePage
from courses.selectors import course_outline

from ..models import Cohort, LessonCompletion
from ..progress import percent
from ..requirements.lessons import required_lessons_by_module
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
    """The database counts, per learner and module, how many required lessons are done, and
    returns the learners who did them all, labelled by module: one query, none per learner or
    per module."""
    modules = [module for module, _ in course_outline(cohort.course)]
    ids_by_module = required_lessons_by_module(cohort.course)
    total = places_taken(cohort)
    completed: Counter = Counter()
    counted = [module for module in modules if ids_by_module.get(module.path)]
    if counted:
        module_of = Case(
            *(
                When(lesson_id__in=ids_by_module[module.path], then=Value(n))
                for n, module in enumerate(counted)
            ),
            output_field=IntegerField(),
        )
        required = Case(
            *(
                When(module=n, then=Value(len(ids_by_module[module.path])))
                for n, module in enumerate(counted)
            ),
            output_field=IntegerField(),
        )
        finished = (
            LessonCompletion.objects.filter(
                enrolment__in=cohort.enrolments.members(),
                lesson_id__in=[pk for ids in ids_by_module.values() for pk in ids],
            )
            .annotate(module=module_of)
            .values("enrolment_id", "module")
            .annotate(n=Count("pk"))
            .filter(n__gte=required)
            .values_list("module", flat=True)
        )
        completed.update(counted[n].path for n in finished)
    return [
        ModuleCompletion(
            module, len(ids_by_module.get(module.path, ())), completed[module.path], total
        )
        for module in modules
    ]
