"""courses 0006: free-text provision tags and legal citations move to LegalProvision with nothing lost."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courses.models import ModulePage as RealModulePage
from courses.selectors import citations_of
from lms.legal import provision_references

BEFORE = [("courses", "0005_question_provisions")]
# (legal basis code or None, the old free-text tag)
OLD_TAGS = [
    ("UU-21-2007", "Pasal 2 ayat (1)"),
    ("UU-21-2007", "Pasal 1 angka 1"),
    ("UU-18-2017", "Pasal 4 ayat (2) huruf b"),
    ("UU-18-2017", "Pasal 5, Pasal 13, dan Pasal 69"),
    ("UU-18-2017", "Pasal 13 huruf e"),
    ("UU-21-2007", "Pasal 43–51"),  # a range: not one provision, kept word for word
    ("UU-21-2007", "Bab VI, Pencegahan"),
    ("PERPRES-49-2023", ""),  # the law as a whole
    (None, "Pasal 7"),  # no legal basis to hang it on: kept word for word
    ("UU-21-2007", "Pasal 2 ayat (1)"),  # the same provision again: one provision, two questions
]


def migrate_to(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def build_old_world(old):
    Locale = old.get_model("wagtailcore", "Locale")
    ContentType = old.get_model("contenttypes", "ContentType")
    LegalBasis = old.get_model("lms", "LegalBasis")
    ModulePage = old.get_model("courses", "ModulePage")
    Question = old.get_model("courses", "Question")
    Revision = old.get_model("wagtailcore", "Revision")
    bases = {
        code: LegalBasis.objects.create(code=code, short_name=code.replace("-", " "), title=code, number="1", year=2000 + n)
        for n, code in enumerate(["UU-21-2007", "UU-18-2017", "PERPRES-49-2023"])
    }
    module_type, _created = ContentType.objects.get_or_create(app_label="courses", model="modulepage")
    module = ModulePage.objects.create(
        title="Modul lama", draft_title="Modul lama", slug="modul-lama", path="0001ZZZZ0001", depth=2, numchild=0,
        content_type=module_type, locale=Locale.objects.first(), url_path="/modul-lama/",
    )
    body = [
        {"type": "paragraph", "value": "<p>Pengantar</p>", "id": "p-1"},
        {"type": "legal_citation", "id": "c-1", "value": {"legal_basis": bases["UU-21-2007"].pk, "article": "Pasal 2 ayat (1)", "text": "Ringkasan pasal 2."}},
        {"type": "legal_citation", "id": "c-2", "value": {"legal_basis": bases["UU-18-2017"].pk, "article": "Pasal 69 dan Pasal 81", "text": "Larangan dan ancaman pidananya."}},
        {"type": "legal_citation", "id": "c-3", "value": {"legal_basis": bases["UU-21-2007"].pk, "article": "Pasal 43–51", "text": "Hak korban."}},
    ]
    ModulePage.objects.filter(pk=module.pk).update(body=body)
    questions = []
    for n, (code, tag) in enumerate(OLD_TAGS):
        questions.append(
            Question.objects.create(
                page_id=module.pk, sort_order=n, text=f"Soal {n}?", legal_basis=bases.get(code), provision=tag
            )
        )
    draft = Revision.objects.create(
        content_type=module_type, base_content_type_id=ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0].pk,
        object_id=str(module.pk), created_at=timezone.now(), object_str="Modul lama",
        content={
            "pk": module.pk,
            "title": "Modul lama",
            "body": json.dumps(body),
            "questions": [
                {"pk": q.pk, "text": q.text, "legal_basis": q.legal_basis_id, "provision": q.provision}
                for q in questions
            ],
        },
    )
    user = old.get_model("auth", "User").objects.create(username="petugas-lama")
    attempt = old.get_model("courses", "QuizAttempt").objects.create(
        user=user, module_id=module.pk, number=1, status="submitted", submitted_at=timezone.now(), pass_mark=70
    )
    AttemptAnswer = old.get_model("courses", "AttemptAnswer")
    answers = [
        AttemptAnswer.objects.create(
            attempt=attempt, question_id=q.pk, is_correct=True, points_awarded=1, question_text=q.text,
            legal_basis_id=q.legal_basis_id, provision=q.provision,
        )
        for q in questions[:-1]  # the last question repeats the first one's tag
    ]
    return bases, module, questions, draft, answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_old_tag_and_citation_survives():
    try:
        old = migrate_to(BEFORE)
        bases, module, old_questions, draft, old_answers = build_old_world(old)

        new = migrate_to()

        Question = new.get_model("courses", "Question")
        Through = Question.provisions.through
        LegalProvision = new.get_model("lms", "LegalProvision")
        by_pk = {p.pk: p for p in LegalProvision.objects.all()}
        for old_question, (code, tag) in zip(old_questions, OLD_TAGS, strict=True):
            question = Question.objects.get(pk=old_question.pk)
            tagged = [
                by_pk[pk] for pk in Through.objects.filter(question_id=question.pk).order_by("pk").values_list("legalprovision_id", flat=True)
            ]
            assert question.legal_basis_id == (bases[code].pk if code else None), tag
            if tagged:  # read as provisions: exactly the references the text named, of its legal basis
                assert question.provision_note == ""
                assert [(p.pasal, p.ayat, p.butir) for p in tagged] == provision_references(tag), tag
                assert {p.legal_basis_id for p in tagged} == {bases[code].pk}
            else:  # otherwise word for word
                assert question.provision_note == tag
        # answers already given are counted under the same provisions (item analysis per provision)
        AttemptAnswer = new.get_model("courses", "AttemptAnswer")
        AnswerThrough = AttemptAnswer.provisions.through
        for old_answer in old_answers:
            answer_tags = list(
                AnswerThrough.objects.filter(attemptanswer_id=old_answer.pk).order_by("pk").values_list("legalprovision_id", flat=True)
            )
            question_tags = list(
                Through.objects.filter(question_id=old_answer.question_id).order_by("pk").values_list("legalprovision_id", flat=True)
            )
            assert answer_tags == question_tags
            assert AttemptAnswer.objects.get(pk=old_answer.pk).provision == old_answer.provision  # the copy stays as it was
        # one provision per distinct reference, numbered for the natural order
        pasal2 = LegalProvision.objects.get(legal_basis=bases["UU-21-2007"].pk, pasal="2", ayat="1", butir="")
        assert pasal2.pasal_number == 2 and pasal2.status == "berlaku" and pasal2.text == ""
        assert Through.objects.filter(legalprovision_id=pasal2.pk).count() == 2

        # the lesson: provision + "summary"; an article that is not one provision keeps its wording in the text
        ModulePage = new.get_model("courses", "ModulePage")
        blocks = list(ModulePage.objects.get(pk=module.pk).body.raw_data)
        assert blocks[0] == {"type": "paragraph", "value": "<p>Pengantar</p>", "id": "p-1"}
        citations = [block["value"] for block in blocks[1:]]
        # "Pasal 69 dan Pasal 81" becomes one citation per provision, the wording kept on the first
        assert [by_pk[c["provision"]].pasal for c in citations] == ["2", "69", "81", "Pasal 43–51"]
        assert {by_pk[c["provision"]].legal_basis_id for c in citations[1:3]} == {bases["UU-18-2017"].pk}
        assert [c["mode"] for c in citations] == ["summary"] * 4
        assert [c["text"] for c in citations] == [
            "Ringkasan pasal 2.",
            "Pasal 69 dan Pasal 81: Larangan dan ancaman pidananya.",
            "Bagian dari kutipan Pasal 69 dan Pasal 81 di atas.",
            "Hak korban.",
        ]
        assert [block["id"] for block in blocks] == ["p-1", "c-1", "c-2", "c-2-2", "c-3"]
        assert by_pk[citations[0]["provision"]].pk == pasal2.pk
        # a later change to either provision finds the lesson
        lesson = RealModulePage.objects.get(pk=module.pk)
        for pasal in ("69", "81"):
            cited = LegalProvision.objects.get(legal_basis=bases["UU-18-2017"].pk, pasal=pasal, ayat="", butir="")
            assert [pk for _id, pk, _mode in citations_of(lesson)].count(cited.pk) == 1, pasal

        # the draft revision: the same lesson and tags
        content = new.get_model("wagtailcore", "Revision").objects.get(pk=draft.pk).content
        assert json.loads(content["body"]) == blocks
        for revision_question, (code, tag) in zip(content["questions"], OLD_TAGS, strict=True):
            assert "provision" not in revision_question
            labels = [(by_pk[pk].pasal, by_pk[pk].ayat, by_pk[pk].butir) for pk in revision_question["provisions"]]
            if labels:
                assert sorted(labels) == sorted(provision_references(tag)) and revision_question["provision_note"] == ""
            else:
                assert revision_question["provision_note"] == tag
    finally:
        migrate_to()
