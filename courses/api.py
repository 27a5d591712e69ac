"""What the apps above courses (certificates, hr) may ask of it, instead of its models.

Courses by id or slug, the live courses' titles, who completed a course, an officer's
courses and last graded attempts, stalled enrolments. With `courses.selectors`
(progress, outlines), `courses.services` (enrol, renew) and `courses.signals`
(a course completed), this is the public surface of the app; what it returns are
plain model instances and querysets, to be read, not written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from courses.admin_filters import RefresherFilter  # noqa: F401  (the public surface: the admin's refresher list)
from courses.models import ContentReview, CoursePage, Enrollment, ModulePage, QuizAttempt, Refresher
from courses.models.progress import AttemptStatus
from courses.selectors import CitedBlock, LegalImpact, legal_impact_content  # noqa: F401  (the public surface)
from courses.tree import course_path_of


def course_by_id(pk, *, with_agency: bool = False) -> CoursePage | None:
    """The course of that id (live or not), or None; `with_agency`: its agency loaded in the same query."""
    courses = CoursePage.objects.filter(pk=pk)
    if with_agency:
        courses = courses.select_related("agency")
    return courses.first()


def course_by_slug(slug: str) -> CoursePage | None:
    """The course of that slug (live or not), or None."""
    return CoursePage.objects.filter(slug=slug).first()


def live_course_titles() -> list[tuple[int, str]]:
    """(id, title) of every live course, by title: what a chooser of courses offers."""
    return list(CoursePage.objects.live().order_by("title").values_list("pk", "title"))


def course_completer_ids(*, course) -> QuerySet:
    """The ids of the users who completed `course` in their current cycle, as a subquery (`pk__in=`)."""
    return Enrollment.objects.filter(course=course, completed_at__isnull=False).values("user_id")


def enrolled_courses(*, user) -> list[CoursePage]:
    """The courses `user` is enrolled in, with their agency, most recently active first."""
    enrollments = Enrollment.objects.filter(user=user).select_related("course__agency").order_by("-last_activity_at")
    return [enrollment.course for enrollment in enrollments]


def last_graded_attempts(*, user, courses: list[CoursePage]) -> dict[int, QuizAttempt]:
    """Course id → the officer's most recently submitted quiz attempt in that course (one query)."""
    attempts = (
        QuizAttempt.objects.filter(user=user, status=AttemptStatus.SUBMITTED)
        .select_related("module")
        .order_by("-submitted_at")
    )
    by_path = {course.path: course for course in courses}
    last_by_course: dict[int, QuizAttempt] = {}
    for attempt in attempts:
        course = by_path.get(course_path_of(attempt.module))
        if course is not None:
            last_by_course.setdefault(course.pk, attempt)
    return last_by_course


def stalled_enrollments(*, inactive_before: datetime.datetime) -> QuerySet:
    """Enrolments not completed and with no activity since `inactive_before`, longest idle first,
    with the officer's profile and the course loaded."""
    return (
        Enrollment.objects.filter(completed_at__isnull=True, last_activity_at__lt=inactive_before)
        .select_related("user__officer_profile", "course")
        .order_by("last_activity_at")
    )


def modules_changed_by(*, change, course_ids=None) -> dict[int, list[ModulePage]]:
    """Course id → its modules a change in the law touched (a content review, open or cleared,
    exists for them), in course order: what a refresher asks for again. One query."""
    reviews = ContentReview.objects.filter(change=change)
    if course_ids is not None:
        reviews = reviews.filter(course_id__in=course_ids)
    result: dict[int, list[ModulePage]] = {}
    for review in reviews.select_related("module").order_by("module__path"):
        result.setdefault(review.course_id, []).append(review.module)
    return result


def refreshers_of(*, change, user_ids=None) -> QuerySet:
    """The refreshers required for `change` (optionally of some officers), with their modules' ids."""
    refreshers = Refresher.objects.filter(change=change)
    if user_ids is not None:
        refreshers = refreshers.filter(user_id__in=user_ids)
    return refreshers


def refreshers_of_agencies(*, agency_ids=None) -> QuerySet:
    """Refreshers of the courses of these agencies (None: every agency), newest first, with what a
    listing shows loaded: the officer and their profile, the course and its agency, the change and
    its instrument, who required it, and the modules asked for (in course order). Three queries
    for a page of any length: the rows, and the modules (prefetched) once."""
    refreshers = Refresher.objects.all()
    if agency_ids is not None:
        refreshers = refreshers.filter(course__agency_id__in=agency_ids)
    return (
        refreshers.select_related(
            "user__officer_profile", "course__agency", "change__instrument", "required_by"
        )
        .prefetch_related(Prefetch("modules", queryset=ModulePage.objects.order_by("path")))
        .order_by("-required_at", "-pk")
    )


def refresher_counts(refreshers: QuerySet) -> dict[str, int]:
    """How many of these refreshers there are, still open and completed: one query."""
    counts = refreshers.order_by().aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(completed_at__isnull=True))
    )
    return {**counts, "completed": counts["total"] - counts["open"]}


def courses_by_ids(ids) -> list[CoursePage]:
    """The course pages of these ids (live or not), with their agency."""
    return list(CoursePage.objects.filter(pk__in=ids).select_related("agency"))


def refreshers_unreminded(*, refresher_ids=None) -> QuerySet:
    """Open refreshers whose officer has not been e-mailed yet, with what the reminder shows."""
    refreshers = Refresher.objects.filter(completed_at__isnull=True, reminded_at__isnull=True)
    if refresher_ids is not None:
        refreshers = refreshers.filter(pk__in=refresher_ids)
    return (
        refreshers.select_related("user__officer_profile", "course", "change__instrument")
        .prefetch_related("modules")
        .order_by("pk")
    )


def reviews_of_change(change) -> dict[int, ContentReview]:
    """Module id → its review for a change in the law (open or cleared), with who cleared it."""
    return {
        review.module_id: review
        for review in ContentReview.objects.filter(change=change).select_related("cleared_by")
    }


def enrollment_cycle_start(*, user, course) -> datetime.date | None:
    """The local (Jakarta) day the officer's current cycle of `course` began: the day they enrolled,
    or the day the course was reopened for a renewal; None if they never enrolled."""
    enrollment = Enrollment.objects.filter(user=user, course=course).only("enrolled_at", "renewed_at").first()
    if enrollment is None:
        return None
    return timezone.localdate(enrollment.renewed_at or enrollment.enrolled_at)


def course_score(*, user, course) -> Decimal | None:
    """The officer's score for `course` in the current cycle, in percent: the best passed attempt at
    the final exam (the mean when there are several), else the mean of the best passed attempt at
    each quiz; None when no quiz was passed (a course without quizzes)."""
    renewed_at = Enrollment.objects.filter(user=user, course=course).values_list("renewed_at", flat=True).first()
    attempts = QuizAttempt.objects.filter(
        user=user,
        module__path__startswith=course.path,
        module__depth=course.depth + 1,
        status=AttemptStatus.SUBMITTED,
        passed=True,
        score_percent__isnull=False,
    )
    if renewed_at is not None:
        attempts = attempts.filter(started_at__gte=renewed_at)
    best = list(attempts.values("module_id", "module__is_final_exam").annotate(best=Max("score_percent")))
    final = [row["best"] for row in best if row["module__is_final_exam"]]
    scores = final or [row["best"] for row in best]
    if not scores:
        return None
    return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def course_modules_outline(*, course) -> list[tuple[str, int]]:
    """(title, estimated minutes) of the course's live modules, in the course's order."""
    return list(
        ModulePage.objects.live().child_of(course).order_by("path").values_list("title", "duration_minutes")
    )


def catalog_courses(*, agency_id: int | None = None) -> QuerySet:
    """Live courses with their agency, legal bases and prerequisites loaded (a fixed number of queries
    for any number of courses): the catalog's metadata as the integration API shows it."""
    courses = CoursePage.objects.live().select_related("agency").prefetch_related("legal_bases", "prerequisites")
    if agency_id is not None:
        courses = courses.filter(agency_id=agency_id)
    return courses


def enrollments_of(*, user, agency_id: int | None = None) -> list[Enrollment]:
    """`user`'s enrolments (of `agency_id`'s courses only, when given) with course and agency, oldest first."""
    enrollments = Enrollment.objects.filter(user=user).select_related("course__agency").order_by("enrolled_at", "pk")
    if agency_id is not None:
        enrollments = enrollments.filter(course__agency_id=agency_id)
    return list(enrollments)
