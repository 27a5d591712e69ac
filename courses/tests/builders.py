"""Builders for small page trees: home → catalog → course → modules."""

from wagtail.models import Page, Site

from courses.models import Choice, CourseIndexPage, CoursePage, ModulePage, Question
from lms.models import HomePage
from lms.tests.factories import AgencyFactory


def make_catalog() -> CourseIndexPage:
    """The home page and catalog, attached to the default site (created once per test)."""
    catalog = CourseIndexPage.objects.filter(slug="kursus").first()
    if catalog:
        return catalog
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Pimpasa", slug="pimpasa-uji"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home.add_child(instance=CourseIndexPage(title="Katalog Kursus", slug="kursus"))


def make_course(*, catalog=None, agency=None, legal_bases=(), modules=0, **kwargs) -> CoursePage:
    catalog = catalog or make_catalog()
    title = kwargs.pop("title", "Kursus Uji")
    course = CoursePage(
        title=title,
        agency=agency or AgencyFactory(),
        summary=kwargs.pop("summary", f"Ringkasan {title}."),
        **kwargs,
    )
    catalog.add_child(instance=course)
    if legal_bases:
        course.legal_bases.set(legal_bases)
        course.save_revision().publish()
    for number in range(1, modules + 1):
        make_module(course=course, title=f"Modul {number}")
    return course


def make_module(*, course, title="Modul", questions=(), **kwargs) -> ModulePage:
    """A live module; `questions` is a list of (text, [(choice, correct), ...]) or dicts."""
    module = ModulePage(title=title, **kwargs)
    for spec in questions:
        if isinstance(spec, tuple):
            spec = {"text": spec[0], "choices": spec[1]}
        choices = spec.pop("choices")
        question = Question(**spec)
        question.choices = [Choice(text=text, is_correct=correct) for text, correct in choices]
        module.questions.add(question)
    course.add_child(instance=module)
    return module


def quiz_questions(count=3, *, choices=3, correct=0, **fields) -> list[dict]:
    """`count` question specs for `make_module(questions=...)`: "Soal 1?" … with choices
    "Pilihan 1.0" …, the one at position `correct` (0-based, or a set for multiple choice) right."""
    right = correct if isinstance(correct, (set, frozenset)) else {correct}
    return [
        {
            "text": f"Soal {number}?",
            **fields,
            "choices": [(f"Pilihan {number}.{index}", index in right) for index in range(choices)],
        }
        for number in range(1, count + 1)
    ]
