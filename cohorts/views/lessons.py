"""Marking a lesson complete (or taking the mark back): a plain form post, no JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from courses.access import can_read_lesson
from courses.models import LessonPage

from ..forms.learning import LessonCompleteForm
from ..services.lessons import lesson_complete as complete
from ..services.lessons import lesson_uncomplete as uncomplete


@login_required
@require_http_methods(["POST"])
def lesson_complete(request, lesson_id: int):
    """A refused post answers 400 with the reason and a link back to the lesson."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not can_read_lesson(request.user, lesson):
        raise Http404
    lesson_url = lesson.get_url(request) or reverse("my_learning")

    def refused(message: str):
        context = {"lesson": lesson, "lesson_url": lesson_url, "message": message}
        return render(request, "cohorts/learning/lesson_complete_refused.html", context, status=400)

    form = LessonCompleteForm(request.POST)
    if not form.is_valid():
        return refused(form.errors["action"][0])
    undo = form.cleaned_data["action"] == LessonCompleteForm.UNDO
    try:
        (uncomplete if undo else complete)(user=request.user, lesson=lesson)
    except ValidationError as error:
        return refused(" ".join(error.messages))
    messages.success(
        request, "Lesson marked as not complete" if undo else "Lesson marked as complete"
    )
    return redirect(lesson_url)
