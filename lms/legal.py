"""Recording a change of the law: the provisions it touches get their new status, a revision each,
and an audit entry; then upper layers are told (lms.signals.legal_change_applied)."""

import datetime
import re

from django.db import transaction
from django.utils import timezone

from lms import audit
from lms.models import LegalBasis, LegalChange, LegalProvision
from lms.signals import legal_change_applied


_REFERENCE = re.compile(
    r"pasal\s+(?P<pasal>\d+[A-Z]?)"
    r"(?:\s+ayat\s*\(?\s*(?P<ayat>\d+[a-z]?)\s*\)?)?"
    r"(?:\s+(?P<butir>(?:huruf\s+[a-z]{1,2}|angka\s+\d+)))?",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:dan|serta)?|\s(?:dan|serta))\s*", re.IGNORECASE)


def provision_references(text: str) -> list[tuple[str, str, str]] | None:
    """Parse "Pasal 2 ayat (1)", "Pasal 1 angka 1", "Pasal 5, Pasal 13, dan Pasal 69" into
    (pasal, ayat, butir) triples; None when any part of the text is not such a reference
    (the caller then keeps the text as it is: nothing is dropped silently)."""
    text = (text or "").strip().rstrip(".")
    if not text:
        return None
    references, position = [], 0
    while True:
        match = _REFERENCE.match(text, position)
        if match is None:
            return None
        butir = " ".join((match["butir"] or "").lower().split())
        references.append((match["pasal"].upper(), match["ayat"] or "", butir))
        position = match.end()
        if position == len(text):
            return references
        separator = _SEPARATOR.match(text, position)
        if separator is None or separator.end() == position:
            return None
        position = separator.end()


def reference_split(reference: str) -> tuple[str, list[tuple[str, str, str]]]:
    """"UU-21-2007:Pasal 2 ayat (1)" -> ("UU-21-2007", [("2", "1", "")]); ValueError when not readable."""
    code, separator, rest = (reference or "").partition(":")
    references = provision_references(rest) if separator else None
    if not code.strip() or not references:
        raise ValueError(f"Not a provision reference (KODE:Pasal ...): {reference!r}")
    return code.strip(), references


def provisions_for_reference(reference: str, *, create: bool = False) -> list[LegalProvision]:
    """The provisions a reference names, e.g. "UU-21-2007:Pasal 2 ayat (1)" (demo data, commands).

    With `create`, missing provisions of an existing legal basis are added (status berlaku, no text);
    an unknown legal basis code raises LegalBasis.DoesNotExist."""
    code, references = reference_split(reference)
    basis = LegalBasis.objects.get(code=code)
    result = []
    for pasal, ayat, butir in references:
        lookup = {"legal_basis": basis, "pasal": pasal, "ayat": ayat, "butir": butir}
        if create:
            provision, _created = LegalProvision.objects.get_or_create(**lookup)
        else:
            provision = LegalProvision.objects.filter(**lookup).first()
        if provision is not None:
            result.append(provision)
    return result


def legal_change_apply(change: LegalChange, *, user) -> None:
    """Apply a recorded change once; a change already applied is left as it is.

    In one transaction: each item's provision gets the new status, the amending instrument and
    provision, and (when repealed) an end date the day before the change is in force; a revision
    and an audit entry per provision; `applied_at`; then `legal_change_applied` is sent inside the
    same transaction so the receivers' writes are atomic with it.
    """
    with transaction.atomic():
        change = LegalChange.objects.select_for_update().select_related("instrument").get(pk=change.pk)
        if change.applied_at is not None:
            return
        items = list(change.items.select_related("provision__legal_basis", "replacement__legal_basis"))
        for item in items:
            provision = item.provision
            old_status = provision.get_status_display()
            provision.status = item.new_status
            provision.changed_by = change.instrument
            provision.changed_by_provision = item.replacement
            if item.new_status == LegalProvision.Status.DICABUT:
                provision.in_force_until = change.in_force_on - datetime.timedelta(days=1)
            provision.save()
            provision.save_revision(user=user, clean=False)
            audit.record(
                provision,
                audit.LEGAL_PROVISION_CHANGED,
                user=user,
                data={
                    "provision": str(provision),
                    "old": str(old_status),
                    "new": str(provision.get_status_display()),
                    "instrument": str(change.instrument),
                    "change_id": change.pk,
                },
            )
        change.applied_at = timezone.now()
        change.save(update_fields=["applied_at"])
        audit.record(
            change,
            audit.LEGAL_CHANGE_APPLIED,
            user=user,
            data={
                "instrument": str(change.instrument),
                "in_force_on": change.in_force_on.isoformat(),
                "provisions": ", ".join(str(item.provision) for item in items),
            },
        )
        legal_change_applied.send(sender=LegalChange, change=change, user=user)
