"""Reads of the learning domain, shaped for pages, each in a fixed number of queries.

A course's state for one officer is built from two queries however many
courses and modules there are: the live modules of those courses, and the
officer's progress rows for them.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from courses.models import CoursePage, Enrollment, ModulePage, ModuleProgress, Question, QuizAttempt


class ModuleState:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    AVAILABLE = "available"
    LOCKED = "locked"


@dataclass
class ModuleRow:
    module: ModulePage
    state: str
    has_quiz: bool


@dataclass
class CourseProgress:
    course: CoursePage
    enrollment: Enrollment | None
    rows: list[ModuleRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.state == ModuleState.COMPLETED)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def is_completed(self) -> bool:
        return self.enrollment is not None and self.enrollment.completed_at is not None

    @property
    def next_module(self) -> ModulePage | None:
        for row in self.rows:
            if row.state in (ModuleState.AVAILABLE, ModuleState.IN_PROGRESS):
                return row.module
        return None


def _parent_path(page) -> str:
    return page.path[: -page.steplen]


def progress_for_courses(*, user, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    """Per-course progress of `user`, in three queries for any number of courses."""
    if not courses:
        return {}
    by_path = {course.path: course for course in courses}
    depths = {course.depth + 1 for course in courses}
    # Modules are the course pages' children: select them by depth and path prefix.
    prefix_filter = Q()
    for path in by_path:
        prefix_filter |= Q(path__startswith=path)
    modules = (
        ModulePage.objects.live()
        .filter(prefix_filter, depth__in=depths)
        # Outlines link to modules; they never show a lesson, so its (large) body stays behind,
        # and "has a quiz" is an EXISTS, not a COUNT grouped by every column of the page.
        .defer("body")
        .annotate(has_questions=Exists(Question.objects.filter(page=OuterRef("pk"))))
        .order_by("path")
    )
    modules = [module for module in modules if _parent_path(module) in by_path]
    enrollments, progress = {}, {}
    if user.is_authenticated:
        enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)}
        progress = {
            p.module_id: p for p in ModuleProgress.objects.filter(user=user, course__in=courses).only(
                "module_id", "completed_at"
            )
        }
    result = {course.pk: CourseProgress(course=course, enrollment=enrollments.get(course.pk)) for course in courses}
    for module in modules:
        course = by_path[_parent_path(module)]
        summary = result[course.pk]
        row_progress = progress.get(module.pk)
        if row_progress is not None and row_progress.completed_at:
            state = ModuleState.COMPLETED
        elif summary.enrollment is None:
            state = ModuleState.LOCKED
        elif any(row.state != ModuleState.COMPLETED for row in summary.rows):
            state = ModuleState.LOCKED
        elif row_progress is not None:
            state = ModuleState.IN_PROGRESS
        else:
            state = ModuleState.AVAILABLE
        summary.rows.append(ModuleRow(module=module, state=state, has_quiz=module.has_questions))
    return result


def course_outline_for_user(*, user, course: CoursePage) -> CourseProgress:
    return progress_for_courses(user=user, courses=[course])[course.pk]


def course_cards_for_user(*, user, courses: list[CoursePage]) -> list[CourseProgress]:
    summaries = progress_for_courses(user=user, courses=courses)
    return [summaries[course.pk] for course in courses]


def my_learning_for_user(*, user) -> list[CourseProgress]:
    """The officer's enrolled courses, most recently active first."""
    enrollments = (
        Enrollment.objects.filter(user=user, course__live=True)
        .select_related("course__agency")
        .order_by("completed_at", "-last_activity_at")
    )
    courses = [enrollment.course for enrollment in enrollments]
    summaries = progress_for_courses(user=user, courses=courses)
    return [summaries[course.pk] for course in courses]


def module_context_for_user(*, user, module: ModulePage, course: CoursePage) -> dict:
    """What the module page shows besides the lesson: position, progress, quiz history."""
    from courses.quiz import quiz_status

    outline = course_outline_for_user(user=user, course=course)
    rows = outline.rows
    index = next((i for i, row in enumerate(rows) if row.module.pk == module.pk), None)
    attempts = list(QuizAttempt.objects.filter(user=user, module=module).order_by("-number")) if user.is_authenticated else []
    return {
        "course": course,
        "outline": outline,
        "module_row": rows[index] if index is not None else None,
        "previous_module": rows[index - 1].module if index else None,
        "next_module": rows[index + 1].module if index is not None and index + 1 < len(rows) else None,
        "attempts": attempts,
        "quiz": quiz_status(
            user=user, module=module, attempts=attempts, since=outline.enrollment.renewed_at if outline.enrollment else None
        ),
    }


@dataclass
class ReviewItem:
    number: int
    question: object
    choices: list  # [(choice, selected: bool, correct: bool | None)]
    is_correct: bool
    points_awarded: int


def attempt_review(*, user, module: ModulePage, attempt: QuizAttempt) -> dict:
    """The graded attempt as the officer may see it, per the quiz's review policy."""
    from courses.quiz import attempt_questions, quiz_status, show_correct_answers

    attempts = list(QuizAttempt.objects.filter(user=user, module=module))
    since = Enrollment.objects.filter(user=user, course_id=module.course.pk).values_list("renewed_at", flat=True).first()
    status = quiz_status(user=user, module=module, attempts=attempts, since=since)
    reveal = show_correct_answers(module=module, attempt=attempt, status=status)
    answers = {
        answer.question_id: answer
        for answer in attempt.answers.prefetch_related("selected_choices")
    }
    items = []
    for number, (question, choices) in enumerate(attempt_questions(attempt), start=1):
        answer = answers.get(question.pk)
        selected = {choice.pk for choice in answer.selected_choices.all()} if answer else set()
        items.append(
            ReviewItem(
                number=number,
                question=question,
                choices=[(choice, choice.pk in selected, choice.is_correct if reveal else None) for choice in choices],
                is_correct=bool(answer and answer.is_correct),
                points_awarded=answer.points_awarded if answer else 0,
            )
        )
    return {"attempt": attempt, "items": items, "quiz": status, "reveal_answers": reveal}
