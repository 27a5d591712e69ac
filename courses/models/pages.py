"""The catalog, its courses and their modules, as Wagtail pages.

Pages own their request flow (enrol, mark done, take the quiz) through small
override points; the work itself is done by `courses.services`.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, TabbedInterface, ObjectList
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.admin_forms import ModulePageForm
from courses.blocks import LessonStreamBlock
from courses.tree import course_path_of
from courses.permissions import AgencyScopedPageForm, CourseScopedPermissionsMixin
from lms.cache import SharedPageCacheMixin
from lms.routing import TypedChildRouteMixin


class Level(models.TextChoices):
    BASIC = "dasar", _("Dasar")
    INTERMEDIATE = "menengah", _("Menengah")
    ADVANCED = "lanjutan", _("Lanjutan")


class CourseIndexPage(TypedChildRouteMixin, SharedPageCacheMixin, Page):
    """The catalog: every live course, filtered by agency, law, level and text."""

    intro = RichTextField(_("pengantar"), blank=True)
    per_page = 12

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("katalog kursus")
        verbose_name_plural = _("katalog kursus")

    def child_route_model(self):
        return CoursePage

    def get_courses(self):
        return CoursePage.objects.live().public().child_of(self).order_by("title")

    def get_context(self, request, *args, **kwargs):
        from courses.filters import CourseFilter
        from courses.selectors import catalog_filter_key, catalog_page, course_cards_for_user
        from lms.cache import CONTENT, scope_version

        context = super().get_context(request, *args, **kwargs)
        # The courses are found only when the cached page misses (`public()` itself queries).
        course_filter = CourseFilter(request.GET or None, queryset=CoursePage.objects.none(), request=request)
        page_obj, cards = catalog_page(
            catalog=self, course_filter=course_filter, courses=self.get_courses,
            page_number=request.GET.get("halaman"), per_page=self.per_page,
        )
        context.update(
            filter=course_filter,
            page_obj=page_obj,
            courses=course_cards_for_user(user=request.user, courses=cards),
            is_filtered=course_filter.is_bound and any(v for v in course_filter.data.values()),
            # The filter form is the same for everyone with the same query: a cached fragment.
            shared_content_version=scope_version(CONTENT),
            filter_key=catalog_filter_key(course_filter),
        )
        return context


class CoursePage(SharedPageCacheMixin, CourseScopedPermissionsMixin, RoutablePageMixin, TypedChildRouteMixin, Page):
    """A course of one agency: an ordered set of modules ending in a certificate."""

    agency = models.ForeignKey(
        "lms.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="courses"
    )
    legal_bases = ParentalManyToManyField(
        "lms.LegalBasis", verbose_name=_("dasar hukum"), blank=True, related_name="courses"
    )
    summary = models.TextField(_("ringkasan"), help_text=_("Dua atau tiga kalimat untuk katalog."))
    description = RichTextField(_("deskripsi"), blank=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, default=Level.BASIC)
    duration_minutes = models.PositiveIntegerField(
        _("perkiraan durasi (menit)"), default=60, validators=[MinValueValidator(1)]
    )
    lesson_hours = models.PositiveSmallIntegerField(
        _("jam pelajaran (JP)"), default=2, help_text=_("Jumlah JP yang dicatat pada sertifikat.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku sertifikat (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila sertifikat berlaku tanpa batas waktu."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prasyarat"),
        blank=True,
        symmetrical=False,
        related_name="required_by",
        help_text=_("Kursus yang harus diselesaikan sebelum mendaftar."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("agency"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("duration_minutes")]),
                FieldRowPanel([FieldPanel("lesson_hours"), FieldPanel("validity_months")]),
                FieldPanel("legal_bases", widget=forms.CheckboxSelectMultiple),
                FieldPanel("prerequisites"),
            ],
            heading=_("Detail kursus"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("level"),
        index.FilterField("agency"),
    ]
    base_form_class = AgencyScopedPageForm
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("kursus")
        verbose_name_plural = _("kursus")

    def child_route_model(self):
        return ModulePage

    def course_path(self) -> str:
        return self.path

    def child_routed(self, child) -> None:
        child.__dict__["course"] = self  # ModulePage.course, without its query

    def get_modules(self):
        return ModulePage.objects.live().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import completion_next_steps, course_outline_for_user
        from lms.cache import CONTENT, scope_version

        context = super().get_context(request, *args, **kwargs)
        outline = context["outline"] = course_outline_for_user(user=request.user, course=self)
        if outline.is_completed:  # the certificate it earned
            context["next_steps"] = completion_next_steps(user=request.user, course=self)
        # The course's description and facts are the same for everyone: cached as a fragment
        # under the content version, so a logged-in officer's page reuses them too.
        # A preview shows a draft: its key never matches a live entry (nor another preview).
        preview = getattr(request, "is_preview", False)
        context["shared_content_version"] = f"preview-{uuid.uuid4().hex}" if preview else scope_version(CONTENT)
        return context

    @path("daftar/", name="enrol")
    def enrol(self, request):
        from courses import services

        if request.method != "POST":
            return redirect(self.url)
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        try:
            services.enrollment_create(user=request.user, course=self)
        except services.EnrollmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Anda terdaftar di kursus ini. Selamat belajar!"))
        return redirect(self.url)


class QuestionOrder(models.TextChoices):
    FIXED = "fixed", _("Tetap (urutan penyusun)")
    SHUFFLED = "shuffled", _("Diacak (soal dan pilihan)")


class ReviewPolicy(models.TextChoices):
    RESULT_ONLY = "result_only", _("Hanya benar/salah dan penjelasan")
    ALWAYS = "always", _("Selalu tampilkan jawaban benar")
    AFTER_PASS_OR_LAST = "after_pass_or_last", _("Tampilkan jawaban benar setelah lulus atau kesempatan habis")


class ModulePage(CourseScopedPermissionsMixin, RoutablePageMixin, Page):
    """One lesson of a course, optionally closed by a quiz (or the course's final exam)."""

    summary = models.TextField(_("ringkasan"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("perkiraan durasi (menit)"), default=20)
    body = StreamField(LessonStreamBlock(), verbose_name=_("isi pelajaran"), blank=True)
    is_final_exam = models.BooleanField(
        _("ujian akhir"), default=False, help_text=_("Tandai bila modul ini adalah ujian akhir kursus.")
    )

    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Persentase skor minimum untuk lulus, 0–100."),
    )
    quiz_max_attempts = models.PositiveSmallIntegerField(
        _("maksimum percobaan"), default=3, help_text=_("0 = tanpa batas.")
    )
    quiz_time_limit_minutes = models.PositiveSmallIntegerField(
        _("batas waktu (menit)"), null=True, blank=True, help_text=_("Kosongkan bila tanpa batas waktu.")
    )
    quiz_question_order = models.CharField(
        _("urutan soal"), max_length=10, choices=QuestionOrder.choices, default=QuestionOrder.FIXED
    )
    quiz_draw_count = models.PositiveSmallIntegerField(
        _("jumlah soal yang ditarik"),
        default=0,
        help_text=_("Tarik N soal acak dari bank soal; 0 = semua soal."),
    )
    quiz_review_policy = models.CharField(
        _("kebijakan pembahasan"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_PASS_OR_LAST,
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("is_final_exam")]),
        FieldPanel("body"),
    ]
    quiz_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quiz_pass_mark"), FieldPanel("quiz_max_attempts")]),
                FieldRowPanel([FieldPanel("quiz_time_limit_minutes"), FieldPanel("quiz_draw_count")]),
                FieldRowPanel([FieldPanel("quiz_question_order"), FieldPanel("quiz_review_policy")]),
            ],
            heading=_("Pengaturan kuis"),
        ),
        InlinePanel("questions", heading=_("Soal"), label=_("Soal")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Materi")),
            ObjectList(quiz_panels, heading=_("Kuis")),
            ObjectList(Page.promote_panels, heading=_("Promosi")),
            ObjectList(Page.settings_panels, heading=_("Pengaturan")),
        ]
    )
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    base_form_class = ModulePageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")

    @cached_property
    def course(self):
        """The parent course, in one query (the parent's path is a prefix of ours)."""
        return CoursePage.objects.select_related("agency").get(path=course_path_of(self))

    def serve(self, request, *args, **kwargs):
        """Every route of a module needs an enrolled officer who has reached it."""
        from courses import services

        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = services.module_access(user=request.user, module=self, course=self.course, outline=self.outline(request))
        if not access.allowed:
            messages.warning(request, access.message)
            return redirect(self.course.url)
        return super().serve(request, *args, **kwargs)

    @path("", name="lesson")
    def lesson(self, request):
        from courses import services
        from courses.selectors import module_context_for_user

        if getattr(request, "is_preview", False):  # a draft, seen by its editor: nothing to record
            return self.render(request)
        outline = self.outline(request)
        services.module_open(user=request.user, module=self, outline=outline)
        # Only the lesson shows the officer's place in the course and the quiz history;
        # the quiz form and result pages read what they show themselves.
        context = module_context_for_user(user=request.user, module=self, course=self.course, outline=outline)
        return self.render(request, context_overrides=context)

    @path("selesai/", name="complete")
    def complete(self, request):
        from courses import services

        if request.method != "POST":
            return redirect(self.url)
        try:
            services.module_complete(user=request.user, module=self)
        except services.ProgressError as error:
            messages.error(request, error.message)
            return redirect(self.url)
        messages.success(request, _("Modul ditandai selesai."))
        next_module = services.next_module_for(user=request.user, course=self.course, after=self)
        return redirect(next_module.url if next_module else self.course.url)

    @path("kuis/", name="quiz_start")
    def quiz_start(self, request):
        from courses import quiz

        if request.method != "POST":
            return redirect(self.url)
        try:
            attempt = quiz.quiz_attempt_start(user=request.user, module=self, outline=self.outline(request))
        except quiz.QuizError as error:
            messages.error(request, error.message)
            return redirect(self.url)
        return redirect(self.url + self.reverse_subpage("quiz_attempt", args=[attempt.pk]))

    def _attempt_or_404(self, request, attempt_id):
        """Only the officer's own attempts at this module exist for them."""
        from courses import quiz

        try:
            return quiz.get_attempt_for_user(user=request.user, attempt_id=attempt_id, module=self)
        except quiz.AttemptNotFound:
            raise Http404 from None

    @path("kuis/<int:attempt_id>/", name="quiz_attempt")
    def quiz_attempt(self, request, attempt_id):
        from courses import quiz
        from courses.forms import QuizSubmissionForm

        attempt = self._attempt_or_404(request, attempt_id)
        result_url = self.url + self.reverse_subpage("quiz_result", args=[attempt.pk])
        if attempt.status != "in_progress":
            return redirect(result_url)
        shown = quiz.attempt_questions(attempt)
        form = QuizSubmissionForm(shown, request.POST if request.method == "POST" else None)
        # Past the deadline (and its grace) the attempt is closed as expired, whatever was sent.
        overdue = quiz.is_overdue(attempt)
        if request.method == "POST" or overdue:
            if overdue or form.is_valid():
                try:
                    quiz.quiz_attempt_submit(
                        user=request.user,
                        attempt_id=attempt.pk,
                        answers={} if overdue else form.answers(),
                        module=self,
                        shown=shown,
                    )
                except quiz.AttemptAlreadyFinished as error:
                    messages.info(request, error.message)
                except quiz.QuizError as error:
                    messages.error(request, error.message)
                    return redirect(self.url)
                return redirect(result_url)
        return self.render(
            request,
            template="courses/module_quiz.html",
            context_overrides={"attempt": attempt, "form": form, "course": self.course},
        )

    @path("kuis/<int:attempt_id>/hasil/", name="quiz_result")
    def quiz_result(self, request, attempt_id):
        from courses.selectors import attempt_review, completion_next_steps

        attempt = self._attempt_or_404(request, attempt_id)
        if attempt.status == "in_progress":
            return redirect(self.url + self.reverse_subpage("quiz_attempt", args=[attempt.pk]))
        outline = self.outline(request)  # built by serve() for the access check
        enrollment = outline.enrollment
        review = attempt_review(
            user=request.user, module=self, attempt=attempt, since=enrollment.renewed_at if enrollment else None
        )
        # A pass that completed the course: what it earned is the next step.
        if attempt.passed and outline.is_completed:
            review["next_steps"] = completion_next_steps(user=request.user, course=self.course)
        return self.render(
            request,
            template="courses/module_quiz_result.html",
            context_overrides={"course": self.course, **review},
        )

    def outline(self, request):
        """The officer's outline of this module's course, built once per request.

        Access checks, recording the visit and the page itself all read it; a write made
        while serving (a quiz submitted, a module completed) is followed by a redirect.
        """
        from courses.selectors import course_outline_for_user

        cached = self.__dict__.get("_outline")
        if cached is None or cached[0] is not request:
            cached = self.__dict__["_outline"] = (request, course_outline_for_user(user=request.user, course=self.course))
        return cached[1]

    def get_context(self, request, *args, **kwargs):
        from lms.cache import CONTENT, scope_version

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        # The lesson is the same for every officer: rendered once per content version (a
        # preview shows a draft, so its key never matches a live entry).
        context["shared_content_version"] = f"preview-{uuid.uuid4().hex}" if preview else scope_version(CONTENT)
        return context
