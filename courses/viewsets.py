"""The themes' and the rubrics' pages in Wagtail's admin (Snippets → Themes, Snippets →
Rubrics), registered by ``wagtail_hooks``.

Wagtail mounts a *create* address under every snippet chooser, even one with no Create tab; a
POST to it then fails with a server error. Neither chooser has a Create tab (themes and rubrics
are added from their own snippet pages), so their create addresses answer 404.

A rubric an assessment uses cannot be deleted. The database protects it from live assessments
(``AssessmentPage.rubric``) and Wagtail's reference index sees those; a draft that chose it
counts too (publishing it later would leave the assessment with no rubric). The delete page
says which assessments use it, and a deletion posted anyway is refused with a message, never
a server error."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from .models import AssessmentPage, Rubric, Theme
from .selectors import rubric_assessments


class ChooserCreateNotFound(SnippetCreateView):
    def dispatch(self, request, *args, **kwargs):
        raise Http404("This chooser creates nothing.")


class ChooserWithoutCreate(SnippetChooserViewSet):
    create_view_class = ChooserCreateNotFound


class ThemeViewSet(SnippetViewSet):
    model = Theme
    chooser_viewset_class = ChooserWithoutCreate


class RubricDeleteView(DeleteView):
    """Deletes a rubric no assessment uses (``selectors.rubric_assessments``: as published or
    in its latest draft). For one in use, the page lists the assessments and offers no button;
    a deletion posted anyway (from a page opened before the rubric was chosen, say) brings the
    editor back to it, told why."""

    @cached_property
    def assessments(self) -> list[AssessmentPage]:
        return list(rubric_assessments(self.object).only("title").order_by("title"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessments"] = self.assessments
        context["is_protected"] = bool(context.get("is_protected") or self.assessments)
        return context

    def refuse(self):
        used_by = len(self.assessments)
        one = used_by == 1
        messages.error(
            self.request,
            f"This rubric cannot be deleted: {used_by or 'an'} assessment{'' if one else 's'} "
            f"{'is' if one else 'are'} marked against it. Choose another rubric for "
            f"{'it' if one else 'them'} first.",
        )
        return HttpResponseRedirect(self.get_delete_url())

    def form_valid(self, form):
        if self.assessments or (self.usage and self.usage.is_protected):
            return self.refuse()
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self.refuse()


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "table"
    menu_label = "Rubrics"
    list_display = [
        "name",
        Column("max_points", label="Most points"),
        Column("pass_points", label="Points to pass"),
    ]
    delete_view_class = RubricDeleteView
    delete_template_name = "courses/admin/rubric_confirm_delete.html"
    chooser_viewset_class = ChooserWithoutCreate
