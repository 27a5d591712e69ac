"""The catalog, its courses and their modules, as Wagtail pages.

Pages own their request flow (enrol, mark done, take the quiz) through small
override points; the work itself is done by `courses.services` (writes) and read by
`courses.selectors`, which the pages import and which never import the pages.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, TabbedInterface, ObjectList
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses import offline, offline_sync, selectors, services
from courses.admin_forms import ModulePageForm
from courses.blocks import LessonStreamBlock
from courses.choices import Level, QuestionOrder, ReviewPolicy
from courses.filters import CourseFilter
from courses.models.quiz_page import QuizPageMixin
from courses.panels import LegalReviewPanel
from courses.permissions import AgencyScopedPageForm, CourseScopedPermissionsMixin
from courses.tree import course_path_of
from lms.cache import CONTENT, SharedPageCacheMixin, scope_version
from lms.routing import TypedChildRouteMixin


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

    def get_courses(self):
        return CoursePage.objects.live().public().child_of(self).order_by("title")

    def courses_by_id(self, ids):
        """Courses of the given ids as catalog cards show them (agency and legal bases loaded)."""
        return CoursePage.objects.filter(pk__in=ids).select_related("agency").prefetch_related("legal_bases")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The courses are found only when the cached page misses (`public()` itself queries).
        course_filter = CourseFilter(request.GET or None, queryset=CoursePage.objects.none(), request=request)
        page_obj, cards = selectors.catalog_page(
            catalog=self, course_filter=course_filter, courses=self.get_courses,
            page_number=request.GET.get("halaman"), per_page=self.per_page, load=self.courses_by_id,
        )
        context.update(
            filter=course_filter,
            page_obj=page_obj,
            courses=selectors.course_cards_for_user(user=request.user, courses=cards),
            is_filtered=course_filter.is_bound and any(v for v in course_filter.data.values()),
            # The filter form is the same for everyone with the same query: a cached fragment.
            shared_content_version=scope_version(CONTENT),
            filter_key=selectors.catalog_filter_key(course_filter),
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

    def course_path(self) -> str:
        return self.path

    def child_routed(self, child) -> None:
        child.__dict__["course"] = self  # ModulePage.course, without its query

    def get_modules(self):
        return ModulePage.objects.live().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        outline = context["outline"] = selectors.course_outline_for_user(user=request.user, course=self)
        notices = selectors.legal_review_notices(self)
        context["review_notices"] = selectors.course_review_notices(notices)
        context["review_module_ids"] = set(notices)
        context["modules_under_review"] = [row.module.title for row in outline.rows if row.module.pk in notices]
        if outline.is_completed:  # the certificate it earned
            context["next_steps"] = selectors.completion_next_steps(user=request.user, course=self)
        # The course's description and facts are the same for everyone: cached as a fragment
        # under the content version, so a logged-in officer's page reuses them too.
        # A preview shows a draft: its key never matches a live entry (nor another preview).
        preview = getattr(request, "is_preview", False)
        context["shared_content_version"] = f"preview-{uuid.uuid4().hex}" if preview else scope_version(CONTENT)
        return context

    @path("daftar/", name="enrol")
    def enrol(self, request):
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


class ModulePage(QuizPageMixin, CourseScopedPermissionsMixin, RoutablePageMixin, Page):
    """One lesson of a course, optionally closed by a quiz (or the course's final exam).

    The quiz's routes and their override points come from `QuizPageMixin`; its settings are fields here.
    """

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

    content_panels = [LegalReviewPanel()] + Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("is_final_exam")]),
        FieldPanel("body"),
    ]
    quiz_panels = [
        LegalReviewPanel(),
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
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        replay = offline_sync.is_sync_replay(request)
        if not request.user.is_authenticated:
            if replay:  # the phone keeps the queued item until the officer logs in again
                return JsonResponse({"ok": False, "retry": True, "message": str(offline_sync.SYNC_LOGIN_NEEDED)}, status=401)
            return redirect_to_login(request.get_full_path())
        access = services.module_access(user=request.user, module=self, course=self.course, outline=self.outline(request))
        if not access.allowed:
            if replay:
                return JsonResponse({"ok": False, "message": str(access.message)}, status=409)
            messages.warning(request, access.message)
            return redirect(self.course.url)
        return super().serve(request, *args, **kwargs)

    @path("", name="lesson")
    def lesson(self, request):
        if getattr(request, "is_preview", False):  # a draft, seen by its editor: nothing to record
            return self.render(request)
        outline = self.outline(request)
        # "Simpan untuk offline" fetching the lesson (courses/offline.py) is not the officer reading it.
        if not offline.is_offline_save(request):
            services.module_open(user=request.user, module=self, outline=outline)
        # Only the lesson shows the officer's place in the course and the quiz history;
        # the quiz form and result pages read what they show themselves.
        context = selectors.module_context_for_user(user=request.user, module=self, course=self.course, outline=outline)
        return self.render(request, context_overrides=context)

    @path("selesai/", name="complete")
    def complete(self, request):
        if request.method != "POST":
            return redirect(self.url)
        if offline_sync.is_sync_replay(request):
            # "Tandai selesai" pressed offline, sent again by the phone (README "Offline"): JSON, no
            # flash message. Completing twice changes nothing (the first completion time stays),
            # so a repeated replay of the same item is harmless.
            try:
                progress = services.module_complete(user=request.user, module=self)
            except services.ProgressError as error:
                return JsonResponse({"ok": False, "message": str(error.message)}, status=409)
            return JsonResponse({"ok": True, "module": self.pk, "completed_at": progress.completed_at.isoformat()})
        try:
            services.module_complete(user=request.user, module=self)
        except services.ProgressError as error:
            messages.error(request, error.message)
            return redirect(self.url)
        messages.success(request, _("Modul ditandai selesai."))
        next_module = services.next_module_for(user=request.user, course=self.course, after=self)
        return redirect(next_module.url if next_module else self.course.url)

    def outline(self, request):
        """The officer's outline of this module's course, built once per request.

        Access checks, recording the visit and the page itself all read it; a write made
        while serving (a quiz submitted, a module completed) is followed by a redirect.
        """
        cached = self.__dict__.get("_outline")
        if cached is None or cached[0] is not request:
            cached = self.__dict__["_outline"] = (request, selectors.course_outline_for_user(user=request.user, course=self.course))
        return cached[1]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        # The lesson is the same for every officer: rendered once per content version (a
        # preview shows a draft, so its key never matches a live entry).
        context["shared_content_version"] = f"preview-{uuid.uuid4().hex}" if preview else scope_version(CONTENT)
        return context
