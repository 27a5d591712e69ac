"""Print what a change in the law touches: courses, modules, lesson blocks, questions and certificate holders.

    manage.py legal_impact UU-1-2023                     every change that instrument made
    manage.py legal_impact UU-21-2007                   (a law that made none: every change recorded for it)
    manage.py legal_impact 3                            change number 3
    manage.py legal_impact "UU-21-2007:Pasal 2 ayat (1)"   one provision

The same lists as the admin's impact pages (certificates.selectors.legal_impact_of_*).
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates import selectors
from lms.models import LegalBasis, LegalChange, LegalProvision


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def find_provision(arg: str) -> LegalProvision:
    code, _sep, label = arg.partition(":")
    basis = LegalBasis.objects.filter(code__iexact=code.strip()).first()
    if basis is None:
        raise CommandError(_("Dasar hukum dengan kode “%(code)s” tidak ada.") % {"code": code.strip()})
    wanted = _normal(label)
    for provision in basis.provisions.all():
        if _normal(provision.label) == wanted:
            return provision
    known = ", ".join(provision.label for provision in basis.provisions.all()[:20]) or "—"
    raise CommandError(
        _("%(basis)s tidak memiliki “%(label)s”. Yang tercatat: %(known)s")
        % {"basis": basis.short_name, "label": label.strip(), "known": known}
    )


def find_reports(arg: str) -> list:
    """The reports an argument names: a change id, a provision ("CODE:Pasal …"), or an instrument code."""
    arg = arg.strip()
    if arg.isdigit():
        change = LegalChange.objects.filter(pk=int(arg)).first()
        if change is None:
            raise CommandError(_("Perubahan peraturan nomor %(id)s tidak ada.") % {"id": arg})
        return [selectors.legal_impact_of_change(change)]
    if ":" in arg:
        return [selectors.legal_impact_of_provision(find_provision(arg))]
    basis = LegalBasis.objects.filter(code__iexact=arg).first()
    if basis is None:
        raise CommandError(
            _("“%(arg)s” tidak dikenal: beri kode dasar hukum (mis. UU-1-2023), nomor perubahan, "
              "atau pasal (mis. \"UU-21-2007:Pasal 2 ayat (1)\").") % {"arg": arg}
        )
    changes = LegalChange.objects.filter(instrument=basis).order_by("in_force_on", "pk")
    if not changes.exists():
        changes = LegalChange.objects.filter(items__provision__legal_basis=basis).distinct().order_by("in_force_on", "pk")
    return [selectors.legal_impact_of_change(change) for change in changes]


class Command(BaseCommand):
    help = (
        "Print the courses, modules, lesson blocks, questions and certificate holders a change in the law touches. "
        'Argument: an instrument code (UU-1-2023), a change id, or a provision ("UU-21-2007:Pasal 2 ayat (1)").'
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help='Instrument code, change id, or "CODE:Pasal …"')

    def handle(self, *args, target, **options):
        reports = find_reports(target)
        if not reports:
            self.stdout.write(_("Belum ada perubahan peraturan yang dicatat untuk %(arg)s.") % {"arg": target})
        for number, report in enumerate(reports):
            if number:
                self.stdout.write("")
            self.write_report(report)

    def line(self, text="", indent=0):
        self.stdout.write("  " * indent + str(text))

    def write_report(self, report):
        for change in report.changes:
            self.line(
                _("Perubahan #%(id)s: %(instrument)s, berlaku %(date)s")
                % {"id": change.pk, "instrument": change.instrument, "date": change.in_force_on.isoformat()}
            )
            for item in change.items.all():
                replacement = f" ({_('pengganti')}: {item.replacement})" if item.replacement else ""
                self.line(f"- {item.provision} → {item.get_new_status_display()}{replacement}", 1)
        if not report.changes:
            self.line(_("Belum ada perubahan peraturan yang dicatat untuk pasal ini."))
        impact = report.content
        self.line(_("Kursus (%(count)s):") % {"count": len(impact.courses)})
        for course in impact.courses:
            self.line(f"- {course.title} [{course.agency.short_name}]", 1)
        self.line(_("Modul (%(count)s):") % {"count": len(impact.modules)})
        for module in impact.modules:
            self.line(f"- {impact.course_of(module).title} / {module.title}", 1)
        self.line(_("Blok pelajaran (%(count)s):") % {"count": len(impact.blocks)})
        for block in impact.blocks:
            mode = _("Bunyi pasal") if block.mode == "quote" else _("Ringkasan")
            self.line(f"- {block.module.title}: {_('blok')} {block.block_id}, {block.provision}, {mode}", 1)
        self.line(_("Soal (%(count)s):") % {"count": len(impact.questions)})
        for question in impact.questions:
            tags = "; ".join(str(provision) for provision in question.impact_provisions)
            self.line(f"- {question.page.title}: “{question.text}” [{tags}]", 1)
        holders = list(report.holders)
        if report.issued_until:
            heading = _("Pemegang sertifikat berlaku yang terbit sampai %(date)s (%(count)s):") % {
                "date": report.issued_until.isoformat(), "count": len(holders),
            }
        else:
            heading = _("Pemegang sertifikat berlaku (%(count)s):") % {"count": len(holders)}
        self.line(heading)
        for certificate in holders:
            self.line(
                f"- {certificate.holder_name} ({certificate.holder_nip}) — {certificate.title}, "
                f"{certificate.serial}, {_('terbit')} {certificate.issued_on.isoformat()}",
                1,
            )
