"""My learning: the learner's own page (``selectors.my_learning``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..selectors.my_learning import my_learning as read_my_learning


@login_required
@require_http_methods(["GET"])
def my_learning(request):
    learning = read_my_learning(request.user)
    context = {"learning": learning, "is_empty": learning.is_empty}
    return render(request, "cohorts/learning/my_learning.html", context)
