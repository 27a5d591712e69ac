"""Volume data for benchmarks and for trying the HR pages at size.

`generate_load_data(officers=10_000, courses=100, attempts_per_officer=20)`
adds, on top of the demo content (`seed_demo`), that many officers with their
offices and villages, courses of quiz modules, and for every officer
enrolments, module progress, graded quiz attempts with their answers and the
certificates of the courses they completed.

Pages form a tree (treebeard paths, Wagtail's multi-table inheritance), so the
courses and modules are built once through the page API; every other row is
inserted in bulk: `COPY` on PostgreSQL (ids reserved from the table's
sequence first, so children can point at parents without reading them back),
`bulk_create` elsewhere. Each run adds a new batch ("beban01", "beban02", ...)
and never touches earlier rows.
"""

import datetime
import json
import logging
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.rich_text import RichText

from certificates.codes import code_generate, serial_format
from certificates.models import Certificate
from certificates.models.records import SerialCounter
from courses.models import (
    AttemptAnswer,
    Choice,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    ModulePage,
    ModuleProgress,
    Question,
    QuizAttempt,
)
from lms import cache, roles
from lms.cache_invalidation import invalidate_now_and_on_commit
from demo.seed import seed_demo
from lms.models import Agency, LegalBasis, LegalProvision, OfficerProfile, Office, Village

PASSWORD = "Pimpasa-Beban-2026"
USERNAME_PREFIX = "beban"
PASS_MARK = 70


@dataclass
class LoadReport:
    batch: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)

    def lines(self) -> list[str]:
        total = sum(seconds for _step, seconds in self.timings)
        out = [f"batch {self.batch}: password for every officer: {PASSWORD}"]
        out += [f"  {step:<34} {seconds:7.2f} s" for step, seconds in self.timings]
        out.append(f"  {'total':<34} {total:7.2f} s")
        out += [f"  {name:<34} {count:>9,}" for name, count in self.counts.items()]
        return out


class _Timer:
    def __init__(self, report: LoadReport, echo):
        self.report, self.echo = report, echo

    def step(self, name: str):
        timer = self

        class _Step:
            def __enter__(self):
                self.started = time.perf_counter()

            def __exit__(self, *exc):
                seconds = time.perf_counter() - self.started
                timer.report.timings.append((name, seconds))
                if exc[0] is None:
                    timer.echo(f"{name}: {seconds:.2f} s")

        return _Step()


def _reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model`, reserved before inserting the rows."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
            last = cursor.fetchone()[0]
            return list(range(last - count + 1, last + 1))
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(model, fields: list[str], rows) -> int:
    """Insert tuples of `fields` (attnames, in order) into `model`'s table; returns the count."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    if connection.vendor == "postgresql":
        # COPY knows no Django defaults: send them for the columns not given (fields added later),
        # including the empty string Django gives a text field that has no default and no NULL.
        defaults = [
            f
            for f in meta.concrete_fields
            if f.attname not in fields and (f.has_default() or (not f.null and f.get_default() == ""))
        ]
        if defaults:
            fields = [*fields, *(f.attname for f in defaults)]
            tail = tuple(f.get_default() for f in defaults)
            rows = [(*row, *tail) for row in rows]
        by_attname = {f.attname: f for f in meta.concrete_fields}
        json_positions = [i for i, name in enumerate(fields) if isinstance(by_attname[name], models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(by_attname[name].column) for name in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if json_positions:
                        row = list(row)
                        for i in json_positions:
                            row[i] = json.dumps(row[i])
                    copy.write_row(row)
    else:
        model.objects.bulk_create((model(**dict(zip(fields, row))) for row in rows), batch_size=500)
    return len(rows)


def _skip_deferred_foreign_key_checks() -> None:
    """Let PostgreSQL skip the per-row foreign key triggers for this transaction, as pg_restore does.

    The rows are consistent by construction (every id is reserved before it is
    referenced); checking five million references one by one at commit would
    take longer than writing them. Needs a superuser; otherwise the checks run.
    """
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # noqa: BLE001 - not allowed: keep the checks, just slower
        pass


def _refresh_planner_statistics() -> None:
    """ANALYZE the whole database once the rows are in.

    Autovacuum analyses a table only some time after a bulk load; until then
    PostgreSQL plans with the statistics of the near-empty tables (the HR
    registry, for one, sorted every certificate of an agency instead of
    reading the newest fifty off an index). SQLite plans without statistics
    unless asked, so it is left alone.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _next_batch() -> str:
    """beban01, beban02, ...: the first batch name no user has yet."""
    User = get_user_model()
    taken = set(
        User.objects.filter(username__startswith=USERNAME_PREFIX, username__contains="_").values_list(
            "username", flat=True
        )
    )
    prefixes = {name.split("_", 1)[0] for name in taken}
    number = 1
    while f"{USERNAME_PREFIX}{number:02d}" in prefixes:
        number += 1
    if number > 99:
        raise ValueError("At most 99 load-data batches per database; start from a fresh database.")
    return f"{USERNAME_PREFIX}{number:02d}"


def _build_courses(*, catalog, batch, count, modules_per_course, questions_per_quiz, rng):
    """`count` live courses with quiz modules, through the page API; returns [(course, [(module, [(q, [choice])])])]."""
    agencies = list(Agency.objects.order_by("code"))
    legal_bases = list(LegalBasis.objects.order_by("code"))
    built = []
    for number in range(1, count + 1):
        title = f"Kursus Beban {batch[-2:]}-{number:03d}: Pencegahan TPPO tingkat {number % 3 + 1}"
        course = catalog.add_child(
            instance=CoursePage(
                title=title,
                slug=slugify(f"{batch}-kursus-{number:03d}"),
                agency=agencies[number % len(agencies)],
                summary="Materi uji beban: migrasi aman, tanda-tanda TPPO, dan rujukan kasus di desa binaan.",
                level=["dasar", "menengah", "lanjutan"][number % 3],
                duration_minutes=30 * modules_per_course,
                lesson_hours=2,
                validity_months=24 if number % 4 else None,
            )
        )
        modules = []
        for module_number in range(1, modules_per_course + 1):
            module = course.add_child(
                instance=ModulePage(
                    title=f"Modul {module_number}",
                    slug=f"modul-{module_number}",
                    summary="Bacaan singkat dan kuis.",
                    body=[("paragraph", RichText("<p>Materi pelajaran untuk uji beban: migrasi aman dan TPPO.</p>" * 4))],
                    quiz_max_attempts=0,
                )
            )
            modules.append(module)
        built.append((course, modules))
    # Legal bases, questions and choices of every course at once.
    if legal_bases:
        through = CoursePage.legal_bases.through
        _insert(
            through,
            ["id", "coursepage_id", "legalbasis_id"],
            zip(
                _reserve_ids(through, len(built)),
                [course.pk for course, _ in built],
                [legal_bases[i % len(legal_bases)].pk for i in range(len(built))],
            ),
        )
    all_modules = [module for _course, modules in built for module in modules]
    question_ids = _reserve_ids(Question, len(all_modules) * questions_per_quiz)
    question_rows, quiz = [], {}
    ids = iter(question_ids)
    for module in all_modules:
        quiz[module.pk] = []
        for order in range(questions_per_quiz):
            qid = next(ids)
            basis = legal_bases[order % len(legal_bases)] if legal_bases else None
            question_rows.append(
                (qid, module.pk, order, f"Soal {order + 1} modul {module.pk}?", "single", 1, "", basis.pk if basis else None, "")
            )
            quiz[module.pk].append(qid)
    _insert(
        Question,
        ["id", "page_id", "sort_order", "text", "kind", "points", "explanation", "legal_basis_id", "provision_note"],
        question_rows,
    )
    # Each question tests Pasal 2 of its legal basis.
    pasal2 = {basis.pk: LegalProvision.objects.get_or_create(legal_basis=basis, pasal="2", ayat="", butir="")[0].pk for basis in legal_bases}
    tags = [(row[0], pasal2[row[7]]) for row in question_rows if row[7]]
    tagged = Question.provisions.through
    _insert(tagged, ["id", "question_id", "legalprovision_id"], ((pk, *row) for pk, row in zip(_reserve_ids(tagged, len(tags)), tags)))
    choice_ids = iter(_reserve_ids(Choice, len(question_ids) * 4))
    choice_rows, choices = [], {}
    for qid in question_ids:
        choices[qid] = []
        for order in range(4):
            cid = next(choice_ids)
            choice_rows.append((cid, qid, order, f"Pilihan {order + 1}", order == 0))
            choices[qid].append(cid)
    _insert(Choice, ["id", "question_id", "sort_order", "text", "is_correct"], choice_rows)
    question_text = {row[0]: (row[3], row[7]) for row in question_rows}
    return [
        (course, [(module, [(qid, choices[qid]) for qid in quiz[module.pk]]) for module in modules])
        for course, modules in built
    ], question_text


@transaction.atomic
def generate_load_data(
    *,
    officers: int,
    courses: int,
    attempts_per_officer: int,
    modules_per_course: int = 5,
    questions_per_quiz: int = 5,
    seed: int = 2026,
    with_demo: bool = True,
    echo=lambda line: None,
) -> LoadReport:
    rng = random.Random(seed)
    # Wagtail logs every page it creates; hundreds of lines would bury the timings.
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    report = LoadReport()
    timer = _Timer(report, echo)
    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()

    with timer.step("demo content (seed_demo)"):
        if with_demo:
            seed_demo()
        catalog = CourseIndexPage.objects.live().first()
        if catalog is None or not Agency.objects.exists():
            raise ValueError("No catalog page or agency yet: run without --no-demo (or `manage.py seed_demo`) first.")
        batch = report.batch = _next_batch()
        tag = int(batch[-2:])

    with timer.step(f"{courses} courses × {modules_per_course} modules (page API)"):
        course_tree, question_text = _build_courses(
            catalog=catalog,
            batch=batch,
            count=courses,
            modules_per_course=modules_per_course,
            questions_per_quiz=questions_per_quiz,
            rng=rng,
        )

    _skip_deferred_foreign_key_checks()

    with timer.step(f"{officers} officers, offices, villages"):
        office_count = max(1, officers // 80)
        office_ids = _reserve_ids(Office, office_count)
        _insert(
            Office,
            ["id", "code", "name", "kind", "city", "province"],
            (
                (oid, f"{batch}-kanim-{i}", f"Kantor Imigrasi Beban {tag:02d}-{i}", "kanim", f"Kota {i}", f"Provinsi {i % 34}")
                for i, oid in enumerate(office_ids)
            ),
        )
        village_ids = _reserve_ids(Village, officers)
        _insert(
            Village,
            ["id", "name", "district", "regency", "province", "office_id"],
            (
                (vid, f"Desa Beban {tag:02d}-{i}", f"Kecamatan {i % 97}", f"Kabupaten {i % 211}", f"Provinsi {i % 34}",
                 office_ids[i % office_count])
                for i, vid in enumerate(village_ids)
            ),
        )
        password = make_password(PASSWORD)
        user_ids = _reserve_ids(User, officers)
        _insert(
            User,
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined"],
            (
                (uid, password, False, f"{batch}_{i:05d}", "Petugas", f"Beban {i}", f"{batch}_{i:05d}@pimpasa.example",
                 False, True, now)
                for i, uid in enumerate(user_ids)
            ),
        )
        group = Group.objects.get_or_create(name=roles.OFFICER)[0]
        membership = User.groups.through
        _insert(
            membership,
            ["id", "user_id", "group_id"],
            zip(_reserve_ids(membership, officers), user_ids, [group.pk] * officers),
        )
        _insert(
            OfficerProfile,
            ["id", "user_id", "nip", "full_name", "rank", "office_id", "village_id"],
            (
                (pid, uid, str(198_000_000_000_000_000 + tag * 10_000_000 + i), f"Petugas Beban {tag:02d}-{i}",
                 "Penata Muda (III/a)", office_ids[i % office_count], village_ids[i])
                for i, (pid, uid, vid) in enumerate(zip(_reserve_ids(OfficerProfile, officers), user_ids, village_ids))
            ),
        )

    with timer.step(f"progress, {attempts_per_officer} attempts per officer, answers"):
        counts = _learning_history(
            user_ids=user_ids,
            course_tree=course_tree,
            question_text=question_text,
            attempts_per_officer=attempts_per_officer,
            rng=rng,
            now=now,
            echo=echo,
        )
    completed = counts.pop("_completed")

    with timer.step("certificates of completed courses"):
        counts["certificates"] = _certificates(completed=completed, course_tree=course_tree, user_ids=user_ids, tag=tag, today=today, rng=rng)

    with timer.step("planner statistics (ANALYZE)"):
        _refresh_planner_statistics()
    # Offices arrived by COPY, past the signals that renew the filters' cached option lists.
    invalidate_now_and_on_commit(cache.CHOICES)

    report.counts = {"officers": officers, "courses": courses, "modules": courses * modules_per_course, **counts}
    return report


def _learning_history(*, user_ids, course_tree, question_text, attempts_per_officer, rng, now, echo):
    """Enrolments, progress, attempts and answers, inserted in chunks of officers."""
    n_courses = len(course_tree)
    modules_per_course = len(course_tree[0][1]) if course_tree else 0
    totals = {"enrollments": 0, "module progress": 0, "quiz attempts": 0, "answers": 0, "_completed": []}
    if not n_courses or not modules_per_course or not attempts_per_officer:
        return totals
    courses_each = min(n_courses, -(-attempts_per_officer // modules_per_course))
    pasal2 = dict(LegalProvision.objects.filter(pasal="2", ayat="", butir="").values_list("legal_basis_id", "pk"))
    chunk = 1000
    for start in range(0, len(user_ids), chunk):
        enrollments, progress, attempts, answers, picked, answer_tags = [], [], [], [], [], []
        chunk_users = user_ids[start : start + chunk]
        n_attempts = len(chunk_users) * attempts_per_officer
        attempt_ids = iter(_reserve_ids(QuizAttempt, n_attempts))
        # Answer ids are reserved per chunk: one per question of every attempt.
        per_attempt = len(course_tree[0][1][0][1])
        answer_ids = iter(_reserve_ids(AttemptAnswer, n_attempts * per_attempt))
        for offset, user_id in enumerate(chunk_users):
            index = start + offset
            first_course = (index * 7) % n_courses
            left = attempts_per_officer
            started = now - datetime.timedelta(days=rng.randint(1, 400))
            for k in range(courses_each):
                if left == 0:
                    break
                course, modules = course_tree[(first_course + k) % n_courses]
                all_passed = True
                taken = 0
                for module, questions in modules:
                    if left == 0:
                        break
                    left -= 1
                    taken += 1
                    when = started + datetime.timedelta(minutes=10 * (k * modules_per_course + taken))
                    attempt_id = next(attempt_ids)
                    score = 0
                    layout = []
                    for qid, choice_ids in questions:
                        correct = rng.random() < 0.86
                        chosen = choice_ids[0] if correct else choice_ids[rng.randint(1, len(choice_ids) - 1)]
                        answer_id = next(answer_ids)
                        text, basis = question_text[qid]
                        answers.append((answer_id, attempt_id, qid, correct, int(correct), text, basis, ""))
                        if basis:
                            answer_tags.append((answer_id, pasal2[basis]))
                        picked.append((answer_id, chosen))
                        layout.append({"question": qid, "choices": choice_ids})
                        score += int(correct)
                    percent = Decimal(100 * score) / len(questions)
                    passed = percent >= PASS_MARK
                    all_passed &= passed
                    attempts.append(
                        (attempt_id, user_id, module.pk, 1, "submitted", when, None, when + datetime.timedelta(minutes=6),
                         layout, PASS_MARK, score, len(questions), percent.quantize(Decimal("0.01")), passed)
                    )
                    progress.append((user_id, module.pk, course.pk, when, when if passed else None))
                finished = all_passed and taken == len(modules)
                last = started + datetime.timedelta(minutes=10 * (k + 1) * modules_per_course)
                enrollments.append((user_id, course.pk, started, last, last if finished else None))
                if finished:
                    totals["_completed"].append((user_id, course.pk, timezone.localdate(last)))
        totals["enrollments"] += _insert(
            Enrollment,
            ["id", "user_id", "course_id", "enrolled_at", "last_activity_at", "completed_at"],
            ((pk, *row) for pk, row in zip(_reserve_ids(Enrollment, len(enrollments)), enrollments)),
        )
        totals["module progress"] += _insert(
            ModuleProgress,
            ["id", "user_id", "module_id", "course_id", "started_at", "completed_at"],
            ((pk, *row) for pk, row in zip(_reserve_ids(ModuleProgress, len(progress)), progress)),
        )
        totals["quiz attempts"] += _insert(
            QuizAttempt,
            ["id", "user_id", "module_id", "number", "status", "started_at", "deadline", "submitted_at", "layout",
             "pass_mark", "score_points", "max_points", "score_percent", "passed"],
            attempts,
        )
        totals["answers"] += _insert(
            AttemptAnswer,
            ["id", "attempt_id", "question_id", "is_correct", "points_awarded", "question_text", "legal_basis_id", "provision"],
            answers,
        )
        through = AttemptAnswer.selected_choices.through
        _insert(
            through,
            ["id", "attemptanswer_id", "choice_id"],
            ((pk, *row) for pk, row in zip(_reserve_ids(through, len(picked)), picked)),
        )
        tagged = AttemptAnswer.provisions.through
        _insert(
            tagged,
            ["id", "attemptanswer_id", "legalprovision_id"],
            ((pk, *row) for pk, row in zip(_reserve_ids(tagged, len(answer_tags)), answer_tags)),
        )
        echo(f"  officers {start + len(chunk_users):>6,}: {totals['answers']:>9,} answers")
    return totals


def _certificates(*, completed, course_tree, user_ids, tag, today, rng) -> int:
    """Certificates of the completed courses, serials taken from each agency's counter in one step."""
    if not completed:
        return 0
    courses = {course.pk: course for course, _modules in course_tree}
    profiles = dict(OfficerProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "full_name"))
    nips = dict(OfficerProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "nip"))
    agencies = {agency.pk: agency for agency in Agency.objects.all()}
    needed: dict[tuple[int, int], int] = {}
    for _user, course_id, issued_on in completed:
        key = (courses[course_id].agency_id, issued_on.year)
        needed[key] = needed.get(key, 0) + 1
    next_number = {}
    for (agency_id, year), count in needed.items():
        SerialCounter.objects.get_or_create(agency_id=agency_id, year=year)
        counter = SerialCounter.objects.select_for_update().get(agency_id=agency_id, year=year)
        next_number[(agency_id, year)] = counter.last_number + 1
        counter.last_number += count
        counter.save(update_fields=["last_number"])
    now = timezone.now()
    rows = []
    ids = _reserve_ids(Certificate, len(completed))
    for pk, (user_id, course_id, issued_on) in zip(ids, completed):
        course = courses[course_id]
        agency = agencies[course.agency_id]
        key = (agency.pk, issued_on.year)
        number = next_number[key]
        next_number[key] += 1
        expires_on = None
        if course.validity_months:
            expires_on = issued_on + datetime.timedelta(days=round(course.validity_months * 30.44))
        revoked = rng.random() < 0.02
        rows.append(
            (pk, user_id, course_id, None, 1, agency.pk, profiles[user_id], nips[user_id], course.title, agency.name,
             "UU 21/2007", course.lesson_hours, issued_on, expires_on,
             serial_format(agency_code=agency.code, year=issued_on.year, number=number, pattern=agency.serial_format),
             issued_on.year, number,
             code_generate(), now if revoked else None, "issued_in_error" if revoked else "", "", "", "", None, now, now)
        )
    return _insert(
        Certificate,
        ["id", "holder_id", "course_id", "program_id", "cycle", "agency_id", "holder_name", "holder_nip", "title",
         "agency_name", "legal_basis", "lesson_hours", "issued_on", "expires_on", "serial", "serial_year",
         "serial_number", "code", "revoked_at", "revocation_reason", "revocation_note", "pdf", "pdf_sha256",
         "rendered_at", "created_at", "updated_at"],
        rows,
    )
