"""A small world in which the law changes: two agencies' courses, questions tagged with
provisions, and a reviewer who records the KUHP as changing UU 21/2007 Pasal 2 ayat (1)."""

import datetime
from dataclasses import dataclass

from courses.models import ModulePage, Question
from courses.tests.builders import make_course, make_module, quiz_questions
from lms import roles
from lms.legal import legal_change_apply
from lms.models import LegalChange, LegalChangeItem, LegalProvision
from lms.tests.factories import AgencyFactory, LegalBasisFactory, LegalProvisionFactory, UserFactory

IN_FORCE = datetime.date(2026, 1, 2)


@dataclass
class Scene:
    catalog: object
    imi_course: object
    polri_course: object
    penalties: ModulePage  # Imigrasi: 2 of its 4 questions tagged with Pasal 2 ayat (1)
    untouched: ModulePage  # Imigrasi: questions tagged with another provision
    polri_module: ModulePage  # Polri: 1 question tagged with Pasal 2 ayat (1)
    reading: ModulePage  # Imigrasi, no quiz: its lesson cites Pasal 2 ayat (1) (summary) and Pasal 48
    pasal2: LegalProvision
    pasal48: LegalProvision
    pasal457: LegalProvision
    kuhp: object
    imi_trainer: object
    polri_trainer: object
    reviewer: object

    def tag(self, module, count, provision):
        """Tag the first `count` questions of `module` with `provision`; returns them."""
        questions = list(module.questions.order_by("sort_order", "pk")[:count])
        for question in questions:
            question.provisions.add(provision)
            question.save()
        return questions


def make_scene(catalog) -> Scene:
    roles.sync_catalog(catalog=catalog)
    imi = AgencyFactory(code="IMI", short_name="Imigrasi")
    polri = AgencyFactory(code="POLRI", short_name="Polri")
    uu21 = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    kuhp = LegalBasisFactory(code="KUHP-2023", short_name="KUHP (UU 1/2023)", year=2023)
    imi_course = make_course(catalog=catalog, agency=imi, title="Kursus Imigrasi")
    polri_course = make_course(catalog=catalog, agency=polri, title="Kursus Polri")
    penalties = make_module(course=imi_course, title="Sanksi pidana TPPO", questions=quiz_questions(4))
    untouched = make_module(course=imi_course, title="Modul lain", questions=quiz_questions(2))
    polri_module = make_module(course=polri_course, title="Penyidikan", questions=quiz_questions(2))
    pasal2 = LegalProvisionFactory(legal_basis=uu21, pasal="2", ayat="1")
    pasal48 = LegalProvisionFactory(legal_basis=uu21, pasal="48")
    reading = make_module(
        course=imi_course,
        title="Bacaan dasar hukum",
        body=[
            ("heading", {"text": "Dasar hukum", "level": "h2"}),
            ("legal_citation", {"provision": pasal2, "mode": "summary", "text": "Perekrutan untuk eksploitasi dipidana."}),
            ("legal_citation", {"provision": pasal48, "mode": "summary", "text": "Korban berhak atas restitusi."}),
        ],
    )
    scene = Scene(
        catalog=catalog,
        imi_course=imi_course,
        polri_course=polri_course,
        penalties=penalties,
        untouched=untouched,
        polri_module=polri_module,
        reading=reading,
        pasal2=pasal2,
        pasal48=pasal48,
        pasal457=LegalProvisionFactory(legal_basis=kuhp, pasal="457"),
        kuhp=kuhp,
        imi_trainer=UserFactory(username="pelatih-imi", groups=[roles.TRAINER_IMIGRASI]),
        polri_trainer=UserFactory(username="pelatih-polri", groups=[roles.TRAINER_POLRI]),
        reviewer=UserFactory(username="peninjau", groups=[roles.REVIEWER]),
    )
    scene.tag(penalties, 2, scene.pasal2)
    scene.tag(untouched, 2, scene.pasal48)
    scene.tag(polri_module, 1, scene.pasal2)
    return scene


def record_change(scene: Scene, *, provisions=None, withhold=True, user=None) -> LegalChange:
    """The KUHP recorded as putting `provisions` (default: Pasal 2 ayat (1)) under review, and applied."""
    change = LegalChange.objects.create(
        instrument=scene.kuhp,
        in_force_on=IN_FORCE,
        summary="KUHP baru mengatur penyelundupan manusia di Pasal 457.",
        withhold_questions=withhold,
        recorded_by=user or scene.reviewer,
    )
    for provision in provisions or [scene.pasal2]:
        LegalChangeItem.objects.create(change=change, provision=provision, replacement=scene.pasal457)
    legal_change_apply(change, user=user or scene.reviewer)
    return change


def tagged(module, provision) -> list[Question]:
    return list(module.questions.filter(provisions=provision).order_by("sort_order", "pk"))
