"""Reads of the learning domain, shaped for pages, each in a fixed number of queries.

A course's state for one officer is built from its outline (the live modules,
the same for everyone and kept in the shared cache) and two queries for the
officer's own enrolment and progress rows, however many courses and modules
there are.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from wagtail import hooks

from courses import policies
from courses.choices import Level
from courses.models.progress import AttemptStatus, Enrollment, ModuleProgress, QuizAttempt
from courses.models.quiz import Choice, Question
from courses.tree import course_path_of
from lms.cache import CONTENT, scope_version
from lms.cache import TIMEOUT as SHARED_PAGE_TIMEOUT

if TYPE_CHECKING:  # the pages import this module; it receives them as arguments
    from courses.models.pages import CoursePage, ModulePage


class ModuleState:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    AVAILABLE = "available"
    LOCKED = "locked"
    # A live module the officer has not done in a course they completed: published (or
    # published again) after the completion. Open and optional until the next renewal.
    NEW = "new"


@dataclass
class ModuleRow:
    module: "ModuleLink"
    state: str
    has_quiz: bool


@dataclass
class CourseProgress:
    """One officer's standing in one course, the same on every page that shows it.

    Built only by `course_progress` (the rule); My learning, the course and module pages,
    the catalog and HR's officer page all read it. A completed course stays completed:
    modules published after the completion are NEW, left out of the counts, and shown
    as "N modul baru".
    """

    course: CoursePage
    enrollment: Enrollment | None
    rows: list[ModuleRow] = field(default_factory=list)

    @property
    def module_count(self) -> int:
        """Every live module of the course, new ones included (the course's size)."""
        return len(self.rows)

    @property
    def total(self) -> int:
        """The modules that count towards completion: every live one, except NEW ones."""
        return sum(1 for row in self.rows if row.state != ModuleState.NEW)

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.state == ModuleState.COMPLETED)

    @property
    def percent(self) -> int:
        if self.is_completed:
            return 100
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def new_modules(self) -> list["ModuleLink"]:
        return [row.module for row in self.rows if row.state == ModuleState.NEW]

    @property
    def new_count(self) -> int:
        return len(self.new_modules)

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def is_completed(self) -> bool:
        return self.enrollment is not None and self.enrollment.completed_at is not None

    @property
    def next_module(self) -> "ModuleLink | None":
        for row in self.rows:
            if row.state in (ModuleState.AVAILABLE, ModuleState.IN_PROGRESS):
                return row.module
        return None


@dataclass(frozen=True)
class ModuleLink:
    """A live module as outlines show it: its title, where it is and whether it has a quiz; no lesson."""

    pk: int
    title: str
    url: str
    path: str
    has_quiz: bool


STRUCTURE_TIMEOUT = 24 * 60 * 60


def _structure_key(version: str, course_pk: int) -> str:
    return f"course-structure:{version}:{course_pk}"


def course_structures(courses: list[CoursePage]) -> dict[int, tuple[ModuleLink, ...]]:
    """The live modules of each course, in order, the same for every visitor.

    Kept in the shared cache under the "content" version, which publishing,
    unpublishing, moving or deleting any page renews (lms/cache_invalidation.py),
    so a page view reads a course's outline without loading its module pages.
    Misses are built together in one query.
    """
    if not courses:
        return {}
    # The version is read before the data, so an invalidation landing meanwhile leaves the entry stale-born.
    version = scope_version(CONTENT)
    keys = {course.pk: _structure_key(version, course.pk) for course in courses}
    found = cache.get_many(list(keys.values()))
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [course for course in courses if course.pk not in result]
    if missing:
        built = _build_structures(missing)
        cache.set_many({keys[pk]: links for pk, links in built.items()}, timeout=STRUCTURE_TIMEOUT)
        result.update(built)
    return result


def _module_page_model():
    """ModulePage, as the progress rows name it: the pages import this module, so it never imports them."""
    return ModuleProgress._meta.get_field("module").related_model


def _build_structures(courses: list[CoursePage]) -> dict[int, tuple[ModuleLink, ...]]:
    by_path = {course.path: course for course in courses}
    depths = {course.depth + 1 for course in courses}
    # Modules are the course pages' children: select them by depth and path prefix.
    prefix_filter = Q()
    for path in by_path:
        prefix_filter |= Q(path__startswith=path)
    modules = (
        _module_page_model().objects.live()
        .filter(prefix_filter, depth__in=depths)
        # Outlines link to modules; they never show a lesson, so its (large) body stays behind,
        # and "has a quiz" is an EXISTS, not a COUNT grouped by every column of the page.
        .defer("body")
        .annotate(has_questions=Exists(Question.objects.filter(page=OuterRef("pk"))))
        .order_by("path")
    )
    links: dict[int, list[ModuleLink]] = {course.pk: [] for course in courses}
    for module in modules:
        course = by_path.get(course_path_of(module))
        if course is not None:
            links[course.pk].append(
                ModuleLink(
                    pk=module.pk, title=module.title, url=module.get_url(), path=module.path,
                    has_quiz=module.has_questions,
                )
            )
    return {pk: tuple(rows) for pk, rows in links.items()}


def progress_for_courses(*, user, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    """Per-course progress of `user`: the shared outlines plus two queries for the officer's own rows."""
    if not courses:
        return {}
    structures = course_structures(courses)
    enrollments, progress = {}, {}
    if user.is_authenticated:
        course_ids = [course.pk for course in courses]
        enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course_id__in=course_ids)}
        progress = dict(
            ModuleProgress.objects.filter(user=user, course_id__in=course_ids).values_list("module_id", "completed_at")
        )
    return {
        course.pk: course_progress(
            course=course, enrollment=enrollments.get(course.pk), modules=structures[course.pk], progress=progress
        )
        for course in courses
    }


def course_progress(
    *, course: CoursePage, enrollment: Enrollment | None, modules, progress: dict[int, object]
) -> CourseProgress:
    """The rule for an officer's progress in a course; every page's progress is built here.

    `modules`: the course's live modules in order (ModuleLink); `progress`: the officer's
    module id → completion time (None while only opened). Modules open in order. A
    completed enrolment stays completed when a module is published later (its certificate
    stands): the officer's modules not done are then NEW, open and optional, and left out
    of the counts, until a renewal (services.enrollment_renew) clears the completion and
    every live module counts again.
    """
    summary = CourseProgress(course=course, enrollment=enrollment)
    completed_course = summary.is_completed
    blocked = False  # an earlier module is not completed yet
    for module in modules:
        opened = module.pk in progress
        if opened and progress[module.pk]:
            state = ModuleState.COMPLETED
        elif enrollment is None:
            state = ModuleState.LOCKED
        elif completed_course:
            state = ModuleState.NEW
        elif blocked:
            state = ModuleState.LOCKED
        elif opened:
            state = ModuleState.IN_PROGRESS
        else:
            state = ModuleState.AVAILABLE
        blocked = blocked or state != ModuleState.COMPLETED
        summary.rows.append(ModuleRow(module=module, state=state, has_quiz=module.has_quiz))
    return summary


@dataclass(frozen=True)
class CourseCard:
    """A course as the catalog lists it: the same for everyone, kept in the shared cache."""

    pk: int
    path: str
    depth: int
    title: str
    url: str
    summary: str
    agency_short_name: str
    level: str
    duration_minutes: int
    legal_bases: tuple[str, ...]

    def get_level_display(self) -> str:
        return Level(self.level).label  # translated when the page renders


def _card_key(version: str, course_pk: int) -> str:
    return f"course-card:{version}:{course_pk}"


def _card(course: CoursePage) -> CourseCard:
    return CourseCard(
        pk=course.pk, path=course.path, depth=course.depth, title=course.title, url=course.get_url(),
        summary=course.summary, agency_short_name=course.agency.short_name, level=course.level,
        duration_minutes=course.duration_minutes,
        legal_bases=tuple(basis.short_name for basis in course.legal_bases.all()),
    )


def course_cards(course_ids: list[int], *, version: str, load) -> list[CourseCard]:
    """Cards of the given courses in that order; misses are loaded together in two queries.

    `load`: a callable giving the courses of some ids with their agency and legal bases
    (`CourseIndexPage.courses_by_id`)."""
    keys = {pk: _card_key(version, pk) for pk in course_ids}
    found = cache.get_many(list(keys.values()))
    cards = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in course_ids if pk not in cards]
    if missing:
        loaded = load(missing)
        built = {course.pk: _card(course) for course in loaded}
        cache.set_many({keys[pk]: card for pk, card in built.items()}, timeout=STRUCTURE_TIMEOUT)
        cards.update(built)
    return [cards[pk] for pk in course_ids if pk in cards]


class _PageWindow:
    """One catalog page's course ids and the total, standing in for the queryset a Paginator slices."""

    def __init__(self, *, total: int, start: int, ids: list[int]):
        self.total, self.start, self.ids = total, start, ids

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        if isinstance(key, slice) and (key.start or 0) == self.start:
            return list(self.ids)
        raise IndexError("only the cached page of the catalog is at hand")


def catalog_filter_key(course_filter) -> str:
    """A digest of the filter's own parameters: other query parameters change nothing, so
    they never make a new cache entry (a visitor cannot fill the cache with junk URLs)."""
    params = []
    if course_filter.is_bound:
        params = sorted(
            (name, values) for name in course_filter.filters if any(values := course_filter.data.getlist(name))
        )
    return hashlib.sha256(repr(params).encode()).hexdigest()


def catalog_page(*, catalog, course_filter, courses, page_number, per_page: int, load):
    """One page of the filtered catalog as (paginator page of card ids, cards).

    Which courses a filter finds is the same for everyone: the page's course ids and
    the total are kept in the shared cache under the "content" version, keyed by the
    filter's parameters, and the cards under each course's id. A warm page costs no query.
    `courses`: a callable giving the queryset the filter narrows, called on a miss only;
    `load`: as for `course_cards`.
    """
    version = scope_version(CONTENT)
    # A page number is the visitor's to choose: only plausible ones get an entry of their own.
    cacheable = page_number in (None, "") or (str(page_number).isdigit() and len(str(page_number)) <= 4)
    key = f"catalog-page:{version}:{catalog.pk}:{catalog_filter_key(course_filter)}:{page_number or ''}"
    entry = cache.get(key) if cacheable else None
    if entry is None:
        course_filter.queryset = courses()
        page_obj = Paginator(course_filter.qs, per_page).get_page(page_number)
        courses_on_page = list(page_obj.object_list)
        cards = [_card(course) for course in courses_on_page]
        cache.set_many({_card_key(version, card.pk): card for card in cards}, timeout=STRUCTURE_TIMEOUT)
        entry = {
            "total": page_obj.paginator.count, "number": page_obj.number,
            "start": (page_obj.number - 1) * per_page, "ids": [card.pk for card in cards],
        }
        if cacheable:
            # Searches are free text: their entries live as long as a shared page (lms.cache).
            cache.set(key, entry, timeout=SHARED_PAGE_TIMEOUT)
    else:
        cards = course_cards(entry["ids"], version=version, load=load)
    window = _PageWindow(total=entry["total"], start=entry["start"], ids=entry["ids"])
    return Paginator(window, per_page).page(entry["number"]), cards


def course_outline_for_user(*, user, course: CoursePage) -> CourseProgress:
    return progress_for_courses(user=user, courses=[course])[course.pk]


def course_cards_for_user(*, user, courses: list[CoursePage]) -> list[CourseProgress]:
    summaries = progress_for_courses(user=user, courses=courses)
    return [summaries[course.pk] for course in courses]


# Apps above courses say what a completed course led to (the certificates app: the officer's
# certificate) by registering a function with this Wagtail hook; courses knows nothing of them.
COMPLETION_NEXT_STEP_HOOK = "course_completion_next_step"


def completion_next_steps(*, user, course: CoursePage) -> list:
    """What to show an officer who completed `course`, from every app registered with
    COMPLETION_NEXT_STEP_HOOK: `fn(user=, course=)` returns None or an object with a
    `template_name`, rendered with it as `step`."""
    steps = (function(user=user, course=course) for function in hooks.get_hooks(COMPLETION_NEXT_STEP_HOOK))
    return [step for step in steps if step is not None]


# Apps above courses add panels to My learning (the certificates app: the officer's JP this year
# against the target) by registering a function with this Wagtail hook, as for COMPLETION_NEXT_STEP_HOOK.
MY_LEARNING_PANEL_HOOK = "my_learning_panels"


def my_learning_panels(*, user) -> list:
    """What apps registered with MY_LEARNING_PANEL_HOOK show above the officer's courses:
    `fn(user=)` returns None or an object with a `template_name`, rendered with it as `panel`."""
    panels = (function(user=user) for function in hooks.get_hooks(MY_LEARNING_PANEL_HOOK))
    return [panel for panel in panels if panel is not None]


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


def module_context_for_user(*, user, module: ModulePage, course: CoursePage, outline: CourseProgress | None = None) -> dict:
    """What the module page shows besides the lesson: position, progress, quiz history.

    `outline`: the course outline the request already built (ModulePage.serve checks access with it).
    """
    if outline is None:
        outline = course_outline_for_user(user=user, course=course)
    rows = outline.rows
    index = next((i for i, row in enumerate(rows) if row.module.pk == module.pk), None)
    # Only a module with a quiz has attempts to list (a lesson without one is most of the course).
    has_quiz = rows[index].has_quiz if index is not None else True
    attempts = (
        list(QuizAttempt.objects.filter(user=user, module=module).order_by("-number"))
        if user.is_authenticated and has_quiz
        else []
    )
    return {
        "course": course,
        "outline": outline,
        "module_row": rows[index] if index is not None else None,
        "previous_module": rows[index - 1].module if index else None,
        "next_module": rows[index + 1].module if index is not None and index + 1 < len(rows) else None,
        "attempts": attempts,
        "quiz": policies.quiz_status(
            max_attempts=module.quiz_max_attempts,
            attempts=attempts,
            since=outline.enrollment.renewed_at if outline.enrollment else None,
        ),
    }


@dataclass(frozen=True)
class ReviewItem:
    """One question of a graded attempt, holding only what the review policy lets the officer see."""

    number: int
    text: str
    provision_label: str
    choices: list  # [(choice text, selected: bool, correct: bool | None)]; None = not shown
    is_correct: bool | None  # None = not shown yet
    explanation: str  # "" = none, or not shown yet


def attempt_review(*, user, module: ModulePage, attempt: QuizAttempt, since=None) -> dict:
    """The graded attempt as the officer may see it, per the quiz's review policy.

    `since`: the start of the enrolment's current cycle (Enrollment.renewed_at). The officer's
    other attempts are counted, not loaded: the page costs the same after one attempt or a thousand.
    """
    status = quiz_status_counted(user=user, module=module, since=since)
    visible = policies.review_visibility(policy=module.quiz_review_policy, status=status)
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
                text=question.text,
                provision_label=question.provision_label,
                choices=[
                    (choice.text, choice.pk in selected, choice.is_correct if visible.correct_choices else None)
                    for choice in choices
                ],
                is_correct=bool(answer and answer.is_correct) if visible.feedback else None,
                explanation=question.explanation if visible.feedback else "",
            )
        )
    return {"attempt": attempt, "items": items, "quiz": status, "review": visible}


# The quiz: what an attempt draws from, shows and counts.


def quiz_question_bank(module: ModulePage) -> list[tuple[Question, list[Choice]]]:
    """The quiz's questions with their choices, in the author's order (two queries)."""
    questions = module.questions.prefetch_related("choices").order_by("sort_order", "pk")
    return [(question, list(question.choices.all())) for question in questions]


def attempt_questions(attempt: QuizAttempt) -> list[tuple[Question, list]]:
    """The attempt's questions and choices in the order they were shown (two queries).

    Questions or choices a trainer deleted since are left out, never re-drawn.
    """
    # By id, straight from the layout: the layout already says which choices and in what order.
    question_ids = [item["question"] for item in attempt.layout]
    choice_ids = [choice for item in attempt.layout for choice in item["choices"]]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids).select_related("legal_basis")}
    choices = {c.pk: c for c in Choice.objects.filter(pk__in=choice_ids)}
    result = []
    for item in attempt.layout:
        question = questions.get(item["question"])
        if question is None:
            continue
        shown = [choices[c] for c in item["choices"] if c in choices and choices[c].question_id == question.pk]
        result.append((question, shown))
    return result


def own_attempts(user, attempt_id: int):
    """The officer's attempt by primary key. The module is checked on the row, not in the
    query: with both officer and module in the WHERE clause PostgreSQL prefers the
    (user, module, number) index and walks the officer's whole history at that module."""
    return QuizAttempt.objects.filter(pk=attempt_id, user=user)


def attempt_for_user(*, user, attempt_id: int, module: ModulePage) -> QuizAttempt | None:
    """The officer's own attempt at this module, or None: nobody else's exists for them."""
    attempt = own_attempts(user, attempt_id).first()
    if attempt is None or attempt.module_id != module.pk:
        return None
    return attempt


def quiz_status_counted(*, user, module: ModulePage, since=None) -> policies.QuizStatus:
    """The officer's standing at a module's quiz, counted by the database instead of loading the history.

    One aggregate query, however many attempts there are; a second one loads the open attempt
    only when there is one (at most one per officer and module). `since`: as for `policies.quiz_status`.
    """
    attempts = QuizAttempt.objects.filter(user=user, module=module)
    in_cycle = Q(started_at__gte=since) if since is not None else Q()
    counts = attempts.aggregate(
        used=Count("pk", filter=in_cycle),
        passed=Count("pk", filter=in_cycle & Q(passed=True)),
        open=Count("pk", filter=in_cycle & Q(status=AttemptStatus.IN_PROGRESS)),
    )
    open_attempt = None
    if counts["open"]:
        open_attempt = attempts.filter(in_cycle, status=AttemptStatus.IN_PROGRESS).first()
        if open_attempt is not None and policies.is_overdue(open_attempt):
            open_attempt = None
    return policies.attempt_status(
        max_attempts=module.quiz_max_attempts, used=counts["used"], passed=counts["passed"] > 0, open_attempt=open_attempt
    )
