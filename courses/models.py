"""Learning content: the course catalogue (courses, modules, lessons) and the place-based
case-study library, all Wagtail pages. ``courses`` never imports ``cohorts``: cohorts build on
courses, not the other way round."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from academy.rich_text import govuk_rich_text

from .access import can_read_assessment, can_read_lesson
from .blocks import (
    RICH_TEXT_FEATURES,
    DocumentBlock,
    LessonStreamBlock,
    OutcomeFigureBlock,
    QuizQuestionBlock,
    QuoteBlock,
    RubricCriterionBlock,
)
from .panels import COURSE_PANELS, LESSON_PANELS, render_panels


class Theme(index.Indexed, models.Model):
    """A theme that runs through courses and case studies: systems leadership, pooled budgets…
    A snippet in Wagtail's admin (``courses.viewsets.ThemeViewSet``)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=250, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HeroImageMixin(models.Model):
    """A hero image that must carry alt text."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required with an image.",
    )

    hero_panels = [
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], "Hero image")
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": "Add alt text that describes the image"})


class CourseIndexPage(Page):
    """The catalogue at /courses/: every live course, filterable by sector, theme, level and
    format (``courses.catalogue``)."""

    introduction = models.CharField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    def get_context(self, request, *args, **kwargs):
        from .catalogue import paginate, parse_filters
        from .selectors import catalogue_courses, course_facets

        context = super().get_context(request, *args, **kwargs)
        filters = parse_filters(request.GET, course_facets())
        context["listing"] = paginate(catalogue_courses(self, filters), filters)
        return context

    def route(self, request, path_components):
        """A lesson's address (``<course>/<module>/<lesson>/`` below the catalogue) is found in
        one query, not two a level; anything else is routed as Wagtail routes it."""
        from .selectors import lesson_at

        lesson = lesson_at(self, path_components)
        if lesson is not None:
            return lesson.route(request, [])
        return super().route(request, path_components)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1


class CoursePage(HeroImageMixin, Page):
    """A course: what it is, who it suits and what you will be able to do. Cohorts run it."""

    class Level(models.TextChoices):
        FOUNDATION = "foundation", "Foundation"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        BLENDED = "blended", "Blended (online and in person)"

    summary = models.CharField(max_length=300, help_text="One or two sentences for the catalogue.")
    description = RichTextField(features=RICH_TEXT_FEATURES)
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=250, icon="tick"))],
        help_text="What a learner will be able to do by the end. One outcome a line.",
    )
    who_it_is_for = RichTextField("who it is for", features=RICH_TEXT_FEATURES)
    effort_hours = models.PositiveSmallIntegerField("effort (hours)")
    length_weeks = models.PositiveSmallIntegerField("length (weeks)")
    level = models.CharField(max_length=20, choices=Level.choices)
    format = models.CharField(max_length=20, choices=Format.choices)
    sectors = ParentalManyToManyField(
        "academy.Sector", blank=True, related_name="courses", help_text="Sectors it suits."
    )
    themes = ParentalManyToManyField(Theme, blank=True, related_name="courses")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        FieldPanel("who_it_is_for"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("effort_hours"), FieldPanel("length_weeks")]),
                FieldRowPanel([FieldPanel("level"), FieldPanel("format")]),
            ],
            heading="Commitment",
        ),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        *HeroImageMixin.hero_panels,
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("who_it_is_for"),
        index.SearchField("learning_outcomes"),
        index.FilterField("level"),
        index.FilterField("format"),
    ]

    def modules(self):
        return ModulePage.objects.child_of(self).live().order_by("path")

    def lessons(self):
        """Every live lesson of the course, in course order."""
        return LessonPage.objects.descendant_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import breadcrumbs, course_modules

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = breadcrumbs(self)
        context["description_html"] = govuk_rich_text(self.description)
        context["who_it_is_for_html"] = govuk_rich_text(self.who_it_is_for)
        context["outline"] = course_modules(self)
        context["panels"] = render_panels(COURSE_PANELS, request, self)
        return context

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]


class ModulePage(Page):
    """A module of a course. Modules are ordered as the pages are ordered in the tree."""

    introduction = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        """Its lessons, then its assessments, from the course's cached outline."""
        from .selectors import breadcrumbs, module_contents

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = breadcrumbs(self)
        context["introduction_html"] = govuk_rich_text(self.introduction)
        contents = module_contents(self)
        context["lessons"], context["assessments"] = contents.lessons, contents.assessments
        return context

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.AssessmentPage"]


class LessonPage(Page):
    """A lesson. Not public: who may read it is decided by ``courses.access.can_read_lesson``."""

    body = StreamField(LessonStreamBlock())
    estimated_minutes = models.PositiveSmallIntegerField(default=20)
    required_for_completion = models.BooleanField(
        default=True, help_text="Learners must complete this lesson to complete the course."
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required_for_completion")]),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    @property
    def course(self) -> "CoursePage | None":
        return CoursePage.objects.ancestor_of(self).first()

    def serve(self, request, *args, **kwargs):
        """Anonymous visitors are asked to sign in; a signed-in person without access gets a
        404, so the lesson's existence leaks nothing. Previews do not come through here."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_lesson(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        """Not in the sitemap: a crawler would only be sent to sign in."""
        return []

    def get_context(self, request, *args, **kwargs):
        """Breadcrumbs and the previous and next lesson come from the course's cached outline
        (``courses.outline``): no query once cached."""
        from .selectors import lesson_breadcrumbs, lesson_neighbours, lesson_outline

        context = super().get_context(request, *args, **kwargs)
        outline = lesson_outline(self)
        context["breadcrumbs"] = lesson_breadcrumbs(self, outline)
        context["previous_lesson"], context["next_lesson"] = lesson_neighbours(self, outline)
        context["panels"] = render_panels(LESSON_PANELS, request, self)
        return context

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []


class Rubric(index.Indexed, models.Model):
    """Criteria by levels, each level with a descriptor and points, reusable across assessments.
    A marker picks a level per criterion; the total suggests the outcome (*pass* at or above
    ``pass_points``, else *resubmit*) and the marker decides. A snippet in Wagtail's admin."""

    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=300, blank=True)
    criteria = StreamField([("criterion", RubricCriterionBlock())], min_num=1)
    pass_points = models.PositiveSmallIntegerField(
        "points to pass",
        help_text="The total at or above which work passes. Markers cannot pass work below it.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("criteria"),
        FieldPanel("pass_points"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> int:
        return sum(max(level["points"] for level in c.value["levels"]) for c in self.criteria)

    def grid(self) -> list[tuple]:
        """The rubric as a table, a row a criterion: each criterion's value with its levels,
        weakest first, padded with None to the most levels any criterion has."""
        width = max((len(c.value["levels"]) for c in self.criteria), default=0)
        rows = []
        for criterion in self.criteria:
            levels = list(criterion.value["levels"])
            rows.append((criterion.value, levels + [None] * (width - len(levels))))
        return rows

    def clean(self):
        super().clean()
        if self.pk is None and not self.criteria:
            return
        if self.pass_points is not None and self.pass_points > self.max_points:
            raise ValidationError(
                {"pass_points": f"Work can score at most {self.max_points} points on this rubric"}
            )


class AssessmentPage(Page):
    """What learners do to show what they have learned: a reflective assignment, a quiz or a
    peer review, inside a module. The definition belongs to the course; each cohort's due date
    is ``due_offset_days`` after the cohort starts unless its facilitators set another
    (``cohorts.models.AssessmentDueDate``). Learners take it at /cohorts/<id>/assessments/<id>/;
    served here, the page sends a learner there (``cohorts.wagtail_hooks``)."""

    class Kind(models.TextChoices):
        REFLECTIVE = "reflective", "Reflective assignment"
        QUIZ = "quiz", "Quiz"
        PEER_REVIEW = "peer_review", "Peer review"

    class Late(models.TextChoices):
        ACCEPT = "accept", "Accept late work and flag it"
        REFUSE = "refuse", "Refuse work after the due date"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REFLECTIVE)
    instructions = RichTextField(features=RICH_TEXT_FEATURES)
    required_for_completion = models.BooleanField(
        default=True, help_text="Learners must pass this to complete the course."
    )
    estimated_minutes = models.PositiveSmallIntegerField(default=30)
    due_offset_days = models.PositiveSmallIntegerField(
        "due (days after the cohort starts)",
        default=14,
        help_text="Each cohort's facilitators can set another date for their cohort.",
    )
    late_work = models.CharField(max_length=10, choices=Late.choices, default=Late.ACCEPT)
    # Reflective assignments and peer reviews
    rubric = models.ForeignKey(
        Rubric,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="Work is marked against it. Needed for assignments and peer reviews.",
    )
    min_words = models.PositiveIntegerField("fewest words", default=0)
    max_words = models.PositiveIntegerField("most words", default=1000)
    max_files = models.PositiveSmallIntegerField(
        "files a learner may attach",
        default=0,
        validators=[MaxValueValidator(5)],
        help_text="0 for none; up to 5 (PDF, Word, OpenDocument text, plain text, PNG, JPEG).",
    )
    anonymous_marking = models.BooleanField(
        default=False, help_text="Markers see no names until marks are released."
    )
    # Quizzes
    questions = StreamField([("question", QuizQuestionBlock())], blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)", default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        "attempts allowed", default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # Peer reviews
    reviews_required = models.PositiveSmallIntegerField(
        "reviews each learner gives",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    anonymous_reviews = models.BooleanField(
        default=True, help_text="Learners do not see whose work they review, or who reviewed."
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required_for_completion")]),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("due_offset_days"), FieldPanel("late_work")]),
                FieldPanel("estimated_minutes"),
            ],
            heading="Due date",
        ),
        MultiFieldPanel(
            [
                FieldPanel("rubric"),
                FieldRowPanel([FieldPanel("min_words"), FieldPanel("max_words")]),
                FieldRowPanel([FieldPanel("max_files"), FieldPanel("anonymous_marking")]),
            ],
            heading="Written work (assignments and peer reviews)",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldPanel("questions"),
            ],
            heading="Quiz",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("reviews_required"), FieldPanel("anonymous_reviews")])],
            heading="Peer review",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("instructions")]

    @property
    def is_quiz(self) -> bool:
        return self.kind == self.Kind.QUIZ

    @property
    def is_peer_review(self) -> bool:
        return self.kind == self.Kind.PEER_REVIEW

    @property
    def is_marked(self) -> bool:
        """Marked by a facilitator against the rubric (assignments and peer reviews)."""
        return self.kind != self.Kind.QUIZ

    def clean(self):
        super().clean()
        errors = {}
        if self.is_marked and self.rubric_id is None:
            errors["rubric"] = "Choose the rubric the work is marked against"
        if self.is_marked and self.min_words > self.max_words:
            errors["max_words"] = "The most words must be at least the fewest"
        if self.is_marked and self.max_words == 0 and self.max_files == 0:
            errors["max_files"] = "Allow some words or some files, or learners cannot submit"
        if self.is_quiz and not self.questions:
            errors["questions"] = "Add at least one question"
        if errors:
            raise ValidationError(errors)

    def serve(self, request, *args, **kwargs):
        """The definition, as editors preview it. Learners and the people who run cohorts are
        sent to their cohort's page for it before this runs (``cohorts.wagtail_hooks``);
        anonymous visitors are asked to sign in, and anyone else gets a 404
        (``courses.access.can_read_assessment``)."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_assessment(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        """Not in the sitemap: learners take it inside their cohort."""
        return []

    def get_context(self, request, *args, **kwargs):
        from .selectors import breadcrumbs

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = breadcrumbs(self)
        context["instructions_html"] = govuk_rich_text(self.instructions)
        if self.is_marked and self.rubric is not None:
            rows = self.rubric.grid()
            context["rubric_rows"] = rows
            context["rubric_levels"] = range(1, len(rows[0][1]) + 1 if rows else 1)
        return context

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []


class CaseStudyIndexPage(Page):
    """The case-study library at /case-studies/, filterable by sector, theme, place and year."""

    introduction = models.CharField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    def get_context(self, request, *args, **kwargs):
        from .catalogue import paginate, parse_filters
        from .selectors import case_study_facets, library_case_studies

        context = super().get_context(request, *args, **kwargs)
        filters = parse_filters(request.GET, case_study_facets(self))
        context["listing"] = paginate(library_case_studies(self, filters), filters)
        return context

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CaseStudyPage"]
    max_count = 1


class CaseStudyPage(HeroImageMixin, Page):
    """A place-based case study: what partners in one place did together, and what came of it."""

    place = models.ForeignKey(
        "academy.Place", on_delete=models.PROTECT, related_name="case_studies"
    )
    partner_sectors = ParentalManyToManyField(
        "academy.Sector", related_name="case_studies", help_text="The sectors that took part."
    )
    themes = ParentalManyToManyField(Theme, blank=True, related_name="case_studies")
    year = models.PositiveSmallIntegerField(help_text="The year the work took place or began.")
    summary = models.CharField(max_length=300)
    illustrative = models.BooleanField(
        "illustrative example",
        default=False,
        help_text="Tick when this is a teaching example rather than a real, sourced case.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the facts come from (for a real case)."
    )
    challenge = RichTextField("the challenge", features=RICH_TEXT_FEATURES)
    what_partners_did = RichTextField("what partners did", features=RICH_TEXT_FEATURES)
    outcomes = StreamField([("figure", OutcomeFigureBlock())], blank=True)
    lessons_for_leaders = RichTextField(features=RICH_TEXT_FEATURES)
    quotes = StreamField([("quote", QuoteBlock())], blank=True)
    downloads = StreamField([("document", DocumentBlock())], blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("year"),
                FieldPanel("partner_sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("illustrative"),
                FieldPanel("source"),
            ],
            heading="About the case",
        ),
        FieldPanel("challenge"),
        FieldPanel("what_partners_did"),
        FieldPanel("outcomes"),
        FieldPanel("lessons_for_leaders"),
        FieldPanel("quotes"),
        FieldPanel("downloads"),
        *HeroImageMixin.hero_panels,
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("challenge"),
        index.SearchField("what_partners_did"),
        index.SearchField("lessons_for_leaders"),
        index.FilterField("year"),
    ]

    def clean(self):
        super().clean()
        if not self.illustrative and not self.source.strip():
            raise ValidationError(
                {"source": "Say where the facts come from, or tick 'illustrative example'"}
            )

    @property
    def headline_figure(self):
        """The first outcome figure, shown in the library."""
        for block in self.outcomes:
            return block.value
        return None

    def get_context(self, request, *args, **kwargs):
        from .selectors import breadcrumbs

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = breadcrumbs(self)
        context["challenge_html"] = govuk_rich_text(self.challenge)
        context["what_partners_did_html"] = govuk_rich_text(self.what_partners_did)
        context["lessons_for_leaders_html"] = govuk_rich_text(self.lessons_for_leaders)
        return context

    parent_page_types = ["courses.CaseStudyIndexPage"]
    subpage_types: list[str] = []
