"""Working through a dropped connection (README "Offline", tools/pwa/src/sync.js):
"Tandai selesai" pressed offline is recorded once when the connection returns; quiz
answers ticked before the connection dropped are graded once when it returns, under the
server's deadline rules; nothing on the phone (Cache Storage, IndexedDB) holds an answer key."""

import json
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Choice, ModuleProgress, Question, QuizAttempt
from courses.models.progress import AttemptStatus
from courses.tests.builders import make_course, make_module
from tests.e2e.harness import OFFICER, answer_quiz, axe_violations, describe

DUMP_INDEXEDDB = """async () => {
  const open = indexedDB.open("pimpasa-sync");
  const db = await new Promise((resolve, reject) => { open.onsuccess = () => resolve(open.result); open.onerror = reject; });
  const out = {};
  for (const name of db.objectStoreNames) {
    const request = db.transaction(name).objectStore(name).getAll();
    out[name] = await new Promise((resolve) => { request.onsuccess = () => resolve(request.result); });
  }
  db.close();
  return out;
}"""

DUMP_CACHES = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({cache: name, url: request.url, body: await response.clone().text()});
    }
  }
  return out;
}"""


def ready(page):
    expect(page.locator("html[data-sync-ready]")).to_have_count(1)


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_tandai_selesai_offline_is_recorded_once_when_back_online(demo, page, shots):
    catalog = demo.course("IMI").get_parent().specific
    course = make_course(catalog=catalog, title="Membaca di Desa")
    first = make_module(course=course, title="Membaca tanpa sinyal")
    make_module(course=course, title="Modul berikutnya")
    demo.enrol(OFFICER, course)
    officer = demo.user(OFFICER)
    demo.log_in(page, OFFICER)

    page.goto(demo.url(first.url))
    ready(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.get_by_text("Ditandai selesai di ponsel ini.")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("Menunggu sinkronisasi: 1 modul.")
    expect(page.get_by_role("button", name="Tandai selesai")).to_be_hidden()
    shots.take(page, "marked done offline: waiting to sync")
    assert_accessible(page)
    assert not ModuleProgress.objects.filter(user=officer, module=first, completed_at__isnull=False).exists()

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_be_hidden()
    assert page.evaluate(DUMP_INDEXEDDB)["progress"] == []
    rows = ModuleProgress.objects.filter(user=officer, module=first)
    assert rows.count() == 1 and rows.get().completed_at is not None
    page.reload()
    expect(page.get_by_text("Modul ini sudah selesai.")).to_be_visible()
    shots.take(page, "synced: the module is done")
    assert ModuleProgress.objects.filter(user=officer, module=first, completed_at__isnull=False).count() == 1


def quiz_texts(module) -> tuple[list[str], list[str]]:
    """The quiz's question texts, and the texts of its right choices. A lesson may well
    mention what a right answer says (it teaches it); an answer key pairs it with its question."""
    questions = list(Question.objects.filter(page=module).values_list("text", flat=True))
    right = list(Choice.objects.filter(question__page=module, is_correct=True).values_list("text", flat=True))
    return questions, right


def assert_no_answer_key(page, module):
    questions, right = quiz_texts(module)
    assert questions and right
    kept = json.dumps(page.evaluate(DUMP_INDEXEDDB))
    assert not [text for text in questions + right if text in kept]  # IndexedDB: none of the quiz's words
    cached = page.evaluate(DUMP_CACHES)
    assert cached, "nothing was saved for offline"
    assert not [entry["url"] for entry in cached if "/kuis/" in entry["url"]]  # no quiz page, form or result
    assert not [(entry["url"], text) for entry in cached for text in questions if text in entry["body"]]


def start_quiz_offline_submit(demo, page, shots, module):
    demo.enrol(OFFICER, module.get_parent().specific)
    demo.log_in(page, OFFICER)
    page.goto(demo.quiz_attempt_url(OFFICER, module))
    ready(page)
    answer_quiz(page)  # every tick is kept on the phone
    page.context.set_offline(True)
    page.get_by_role("button", name="Kumpulkan jawaban").click()
    expect(page.get_by_text("Jawaban Anda tersimpan di ponsel ini")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("Menunggu sinkronisasi: jawaban 1 kuis.")
    shots.take(page, "quiz submitted offline: answers kept on the phone")
    return QuizAttempt.objects.get(user=demo.user(OFFICER), module=module)


def test_quiz_answered_across_a_dropped_connection_is_graded_once(demo, page, shots):
    course = demo.course("IMI")
    module = demo.modules(course)[0]
    demo.enrol(OFFICER, course)
    demo.log_in(page, OFFICER)
    page.goto(demo.url(course.url))
    page.get_by_role("button", name="Simpan untuk offline").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("Tersimpan untuk offline")

    attempt = start_quiz_offline_submit(demo, page, shots, module)
    assert_accessible(page)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    kept = page.evaluate(DUMP_INDEXEDDB)["answers"]
    assert [item["attempt"] for item in kept] == [attempt.pk] and kept[0]["pending"] is True
    # Only the positions ticked: no question, no choice text, nothing saying what is right.
    assert all(name.startswith("q") and value.isdigit() for name, value in kept[0]["fields"])
    assert_no_answer_key(page, module)

    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Lulus", exact=True)).to_be_visible()
    shots.take(page, "back online: graded")
    attempts = QuizAttempt.objects.filter(user=demo.user(OFFICER), module=module)
    assert attempts.count() == 1
    graded = attempts.get()
    assert (graded.status, graded.passed) == (AttemptStatus.SUBMITTED, True)
    assert graded.answers.count() > 0

    # The result page (which may show the right answers) reached no cache, nor IndexedDB.
    assert_no_answer_key(page, module)
    assert page.evaluate(DUMP_INDEXEDDB)["answers"] == []


def test_answers_arriving_after_the_deadline_and_grace_are_expired(demo, page, shots, settings):
    settings.QUIZ_DEADLINE_GRACE_SECONDS = 30
    course = demo.course("IMI")
    module = demo.modules(course)[0]
    attempt = start_quiz_offline_submit(demo, page, shots, module)
    # The connection stays down past the deadline and its grace, whatever the phone's clock says.
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))

    page.context.set_offline(False)
    expect(page.get_by_text("Waktu habis")).to_be_visible()
    shots.take(page, "back online too late: expired")
    attempts = QuizAttempt.objects.filter(user=demo.user(OFFICER), module=module)
    assert attempts.count() == 1
    expired = attempts.get()
    assert (expired.status, expired.passed, expired.score_points) == (AttemptStatus.EXPIRED, False, 0)
    assert expired.answers.count() == 0
