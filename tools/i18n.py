"""Translation catalogue chores that must work without GNU gettext.

    python tools/i18n.py compile   # every catalogue's .po -> .mo (run by `make setup` and `make test`)
    python tools/i18n.py fill-id   # Indonesian is the source language: empty msgstr := msgid
    python tools/i18n.py check     # list untranslated and fuzzy entries; exit 1 if any

Two kinds of catalogue live under locale/:
- locale/<lang>/LC_MESSAGES/django.po: the project's own strings, whose msgids are
  Indonesian. `make messages` re-extracts them; fill-id copies msgid to msgstr in
  the Indonesian one.
- locale/wagtail/id/LC_MESSAGES/{django,djangojs}.po: Indonesian for Wagtail admin
  strings (English msgids) that Wagtail's own id_ID catalogue lacks or words
  against locale/GLOSSARY.md. Written by hand; makemessages never touches them
  (no source file maps to that folder) and fill-id must not, or it would
  "translate" them back into English. compile and check cover them.

Compiling with polib (pure Python, pinned in requirements.txt) instead of
`manage.py compilemessages` keeps `make run` and `make test` working on a
machine without gettext's msgfmt. Only refreshing the catalogues from the
source (`make messages`, which runs Django's makemessages) needs xgettext.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
WAGTAIL_LOCALE = LOCALE / "wagtail"  # second entry of settings.LOCALE_PATHS
SOURCE_LANGUAGE = "id"


def catalogues(language: str = "*"):
    """The project's own catalogues (Indonesian msgids)."""
    return sorted(LOCALE.glob(f"{language}/LC_MESSAGES/*.po"))


def all_catalogues():
    """The project's catalogues and the hand-written ones for Wagtail's admin."""
    return catalogues() + sorted(WAGTAIL_LOCALE.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in all_catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Fuzzy entries are guesses by msgmerge; like msgfmt, leave them out.
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(ROOT)}")
    return 0


def fill_source_language() -> int:
    for po_path in catalogues(SOURCE_LANGUAGE):  # never WAGTAIL_LOCALE: its msgids are English
        po = polib.pofile(str(po_path), wrapwidth=79)
        filled = 0
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if entry.msgid_plural:
                if entry.msgstr_plural.get(0) != entry.msgid:
                    entry.msgstr_plural = {0: entry.msgid}  # Indonesian has one plural form
                    filled += 1
            elif entry.msgstr != entry.msgid:
                entry.msgstr = entry.msgid
                filled += 1
        po.save()
        print(f"{po_path.relative_to(ROOT)}: {filled} entries set to their source text")
    return 0


def problems(po_path: Path) -> list[str]:
    """Untranslated or fuzzy entries of one catalogue, as readable lines."""
    found = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def check() -> int:
    status = 0
    for po_path in all_catalogues():
        for line in problems(po_path):
            print(f"{po_path.relative_to(ROOT)}: {line}")
            status = 1
    return status


if __name__ == "__main__":
    commands = {"compile": compile_all, "fill-id": fill_source_language, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
