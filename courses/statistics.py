"""Quiz statistics for trainers: how each quiz, question and choice performs,
and which provisions of the law officers get wrong. Aggregates in the database,
a fixed number of queries per report."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from courses.models import AttemptAnswer, Choice, CoursePage, ModulePage, Question, QuizAttempt
from courses.models.progress import AttemptStatus
from courses.tree import course_path_of
from lms.models import Agency, LegalProvision


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def quiz_modules_for_agencies(agencies) -> list[ModulePage]:
    """Modules with questions under the given agencies' courses, with attempt aggregates."""
    courses = list(CoursePage.objects.filter(agency__in=agencies).only("path", "depth", "title"))
    if not courses:
        return []
    prefix = Q()
    for course in courses:
        prefix |= Q(path__startswith=course.path, depth=course.depth + 1)
    finished = ~Q(quiz_attempts__status=AttemptStatus.IN_PROGRESS)
    modules = (
        ModulePage.objects.filter(prefix)
        .annotate(
            question_count=Count("questions", distinct=True),
            attempt_count=Count("quiz_attempts", filter=finished, distinct=True),
            passed_count=Count("quiz_attempts", filter=finished & Q(quiz_attempts__passed=True), distinct=True),
        )
        .filter(question_count__gt=0)
        .order_by("path")
    )
    averages = dict(
        QuizAttempt.objects.filter(module__in=modules.values("pk"))
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .values_list("module_id")
        .annotate(avg=Avg("score_percent"))
    )
    by_path = {course.path: course for course in courses}
    result = list(modules)
    for module in result:
        module.course_title = by_path[course_path_of(module)].title
        module.pass_rate = _share(module.passed_count, module.attempt_count)
        module.average_score = averages.get(module.pk)
    return result


@dataclass
class ChoiceStat:
    choice: Choice
    picks: int
    share: int | None


@dataclass
class QuestionStat:
    question: Question
    answered: int
    correct: int
    share_correct: int | None
    choices: list[ChoiceStat]


def quiz_statistics(module: ModulePage) -> dict:
    attempts = QuizAttempt.objects.filter(module=module).exclude(status=AttemptStatus.IN_PROGRESS)
    summary = attempts.aggregate(
        attempts=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        expired=Count("pk", filter=Q(status=AttemptStatus.EXPIRED)),
        officers=Count("user", distinct=True),
        average=Avg("score_percent"),
    )
    summary["pass_rate"] = _share(summary["passed"], summary["attempts"])
    questions = (
        Question.objects.filter(page=module)
        .select_related("legal_basis")
        .prefetch_related("provisions")
        .annotate(
            answered=Count("answers", distinct=True),
            correct=Count("answers", filter=Q(answers__is_correct=True), distinct=True),
        )
        .order_by("sort_order")
    )
    choices = Choice.objects.filter(question__page=module).annotate(picks=Count("picked_in")).order_by("sort_order")
    choices_by_question = {}
    for choice in choices:
        choices_by_question.setdefault(choice.question_id, []).append(choice)
    stats = []
    for question in questions:
        stats.append(
            QuestionStat(
                question=question,
                answered=question.answered,
                correct=question.correct,
                share_correct=_share(question.correct, question.answered),
                choices=[
                    ChoiceStat(choice=c, picks=c.picks, share=_share(c.picks, question.answered))
                    for c in choices_by_question.get(question.pk, [])
                ],
            )
        )
    return {"summary": summary, "questions": stats}


@dataclass
class ProvisionStat:
    """Item analysis of one provision: how officers answer the questions that test it."""

    label: str  # "UU 21/2007 Pasal 2 ayat (1)", or an untagged basis and its free-text reference
    provision: LegalProvision | None
    answered: int
    correct: int
    questions: int
    share_correct: int | None


def provision_statistics(agency: Agency) -> list[ProvisionStat]:
    """Share of correct answers per legal provision across all the agency's quizzes (four queries).

    Grouped by the provisions each answer's question tested when it was answered (copied onto the
    answer); answers tagged only with a legal basis or a free-text reference form their own rows.
    An answer to a question testing two provisions counts for each of them.
    """
    course_paths = list(CoursePage.objects.filter(agency=agency).values_list("path", flat=True))
    if not course_paths:
        return []
    prefix = Q()
    for path in course_paths:
        prefix |= Q(attempt__module__path__startswith=path)
    answers = AttemptAnswer.objects.filter(prefix)
    counts = {
        "answered": Count("pk", distinct=True),
        "correct": Count("pk", filter=Q(is_correct=True), distinct=True),
        "question_count": Count("question", distinct=True),
    }
    tagged = list(answers.filter(provisions__isnull=False).values("provisions").annotate(**counts))
    provisions = LegalProvision.objects.in_bulk([row["provisions"] for row in tagged])
    stats = [
        ProvisionStat(
            label=str(provisions[row["provisions"]]),
            provision=provisions[row["provisions"]],
            answered=row["answered"],
            correct=row["correct"],
            questions=row["question_count"],
            share_correct=_share(row["correct"], row["answered"]),
        )
        for row in tagged
    ]
    untagged = (
        answers.filter(provisions__isnull=True)
        .exclude(legal_basis__isnull=True, provision="")
        .values("legal_basis__short_name", "provision")
        .annotate(**counts)
    )
    stats += [
        ProvisionStat(
            label=" ".join(part for part in (row["legal_basis__short_name"], row["provision"]) if part),
            provision=None,
            answered=row["answered"],
            correct=row["correct"],
            questions=row["question_count"],
            share_correct=_share(row["correct"], row["answered"]),
        )
        for row in untagged
    ]
    order = {provision.pk: n for n, provision in enumerate(sorted(provisions.values(), key=_provision_order))}
    stats.sort(key=lambda stat: (stat.provision is None, order.get(stat.provision and stat.provision.pk, 0), stat.label))
    return stats


def _provision_order(provision: LegalProvision):
    return (provision.legal_basis.year, provision.legal_basis.short_name, provision.pasal_number, provision.pasal, provision.ayat, provision.butir)
