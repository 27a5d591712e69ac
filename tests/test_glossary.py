"""The Indonesian catalogues and the templates use the words of locale/GLOSSARY.md."""

import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GLOSSARY = ROOT / "locale" / "GLOSSARY.md"
INDONESIAN_CATALOGUES = [
    ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po",
    *sorted((ROOT / "locale" / "wagtail" / "id" / "LC_MESSAGES").glob("*.po")),
]
# Demo data the interface shows (course titles and lesson text come from here).
DEMO_DATA = [ROOT / "demo" / "curriculum.json"]


@dataclass
class Term:
    indonesian: str
    not_used: list[str]
    except_in: list[str]

    def misuses(self, text: str) -> list[str]:
        """The forbidden words in `text`, once the phrases allowed are taken out."""
        for phrase in self.except_in:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text, flags=re.I)
        return [word for word in self.not_used if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.I)]


def glossary() -> list[Term]:
    rows = [line for line in GLOSSARY.read_text().splitlines() if line.startswith("|")][2:]  # header, rule
    terms = []
    for row in rows:
        indonesian, _english, not_used, except_in, _why = (cell.strip() for cell in row.strip("|").split("|"))
        terms.append(Term(indonesian, re.findall(r"`([^`]+)`", not_used), re.findall(r"`([^`]+)`", except_in)))
    return terms


def template_texts(source: str) -> list[str]:
    """What a template shows: its translatable strings and its text between tags."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", source, flags=re.S)
    # Wagtail's admin templates name a CSS class in this block ("login"): markup, not words.
    source = re.sub(r"{%\s*block\s+bodyclass\s*%}.*?{%\s*endblock\s*%}", " ", source, flags=re.S)
    strings = re.findall(r"{%\s*(?:translate|trans)\s+(?:\"([^\"]*)\"|'([^']*)')", source)
    blocks = re.findall(r"{%\s*blocktrans(?:late)?\b.*?%}(.*?){%\s*endblocktrans(?:late)?\s*%}", source, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    return [double or single for double, single in strings] + blocks + [text]


def indonesian_texts():
    for path in INDONESIAN_CATALOGUES:
        for entry in polib.pofile(str(path)):
            for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
                yield f"{path.relative_to(ROOT)}: {entry.msgid!r}", text
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            for text in template_texts(path.read_text()):
                yield str(path.relative_to(ROOT)), text
    for path in DEMO_DATA:
        yield str(path.relative_to(ROOT)), path.read_text()


def test_the_glossary_names_each_term_and_what_not_to_use():
    terms = {term.indonesian: term for term in glossary()}
    assert {"pilihan ganda kompleks", "Pembelajaran saya", "petugas tidak aktif", "penjeratan utang"} <= terms.keys()
    assert {"saring, saringan", "masuk", "kursus"} <= terms.keys()
    assert all(term.not_used for term in terms.values())


def test_a_term_the_glossary_forbids_is_found_and_its_exceptions_are_not():
    kursus, pilihan = (next(t for t in glossary() if t.indonesian == name) for name in ("kursus", "pilihan ganda kompleks"))
    assert kursus.misuses("Daftar pelatihan tersedia") == ["pelatihan"]
    assert kursus.misuses("Gunakan setelah hari pelatihan.") == []
    assert pilihan.misuses("Pilihan ganda (semua jawaban benar)") == ["pilihan ganda"]
    assert pilihan.misuses("Pilihan ganda kompleks (semua jawaban benar)") == []


@pytest.mark.parametrize("term", glossary(), ids=lambda term: term.indonesian)
def test_catalogues_templates_and_demo_data_follow_the_glossary(term):
    found = [f"{where}: {word}" for where, text in indonesian_texts() for word in term.misuses(text)]
    assert found == [], f"locale/GLOSSARY.md: use {term.indonesian!r}"
