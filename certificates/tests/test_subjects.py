"""`Subject`: one course or one program, by key; "c12"/"p3" is its text (the HR pages' `subjek` parameter)."""

import pytest
from django.db.models import Q

from certificates.models import Certificate
from certificates.selectors import officers_awaiting_certificate
from certificates.services import certificate_issue, certificates_issue_for_users
from certificates.subjects import Subject, SubjectKind
from certificates.tests.factories import make_program
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer


@pytest.mark.parametrize("text, kind, pk", [("c12", SubjectKind.COURSE, 12), ("p3", SubjectKind.PROGRAM, 3)])
def test_text_round_trip(text, kind, pk):
    subject = Subject.parse(text)
    assert (subject.kind, subject.pk) == (kind, pk)
    assert str(subject) == text
    assert subject == Subject(kind, pk) and hash(subject) == hash(Subject(kind, pk))


@pytest.mark.parametrize(
    "junk", [None, "", "c", "p", "x12", "C12", "c-1", "c1.5", " c12", "c12 ", "c１２", "c١٢", "12", "pc1", "c" + "9" * 19]
)
def test_anything_else_parses_to_none(junk):
    assert Subject.parse(junk) is None


def test_exactly_one_of_course_and_program():
    assert Subject.from_ids(course_id=4) == Subject.course(4)
    assert Subject.from_ids(program_id=4) == Subject.program(4)
    assert Subject.course(4) != Subject.program(4)
    for ids in ({}, {"course_id": 1, "program_id": 2}):
        with pytest.raises(ValueError, match="exactly one course or one program"):
            Subject.from_ids(**ids)


def test_filters_and_row_fields():
    assert Subject.course(7).q() == Q(course_id=7)
    assert Subject.program(7).q("certificate__") == Q(certificate__program_id=7)
    assert Subject.course(7).ids() == {"course_id": 7, "program_id": None}
    assert Subject.program(7).ids() == {"course_id": None, "program_id": 7}


@pytest.mark.django_db
def test_of_and_resolve(catalog, django_assert_num_queries):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")
    program = make_program(courses=[course])
    assert Subject.of(course) == Subject.course(course.pk)
    assert Subject.of(program) == Subject.program(program.pk)
    with django_assert_num_queries(0):
        assert Subject.of(course).resolve() is course
    with django_assert_num_queries(1):
        assert Subject.course(course.pk).resolve() == course
    assert Subject.program(program.pk).resolve() == program
    assert Subject.course(course.pk + 1000).resolve() is None


@pytest.mark.django_db
def test_a_certificate_is_issued_for_the_subject_it_names(catalog):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")
    officer = make_officer()
    certificate = certificate_issue(user=officer, subject=Subject.of(course))
    assert (certificate.course_id, certificate.program_id) == (course.pk, None)
    assert certificate_issue(user=officer, subject=Subject.course(course.pk)) == certificate  # once per cycle
    assert list(officers_awaiting_certificate(subject=Subject.of(course))) == []


@pytest.mark.django_db
def test_the_bulk_issue_task_refuses_a_subject_that_is_gone():
    with pytest.raises(LookupError):
        certificates_issue_for_users(user_ids=[], course_id=987654)
    with pytest.raises(ValueError):
        certificates_issue_for_users(user_ids=[])
    assert not Certificate.objects.exists()
